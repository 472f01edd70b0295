/*
 * tap.h: a minimal TAP producer for the unit tests (automake's tap-driver
 * reads the output). Header-only; each test program includes it once.
 */
#ifndef TAP_H
#define TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int	tap_n, tap_failed;

/* Record one check. */
static int
tap_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3), unused));
static int
tap_ok(int cond, const char *fmt, ...)
{
	va_list	 ap;

	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return (cond);
}

/* Compare two strings, showing both on failure. */
#define tap_is(got, want, ...) do {					\
	const char *tap_g_ = (got), *tap_w_ = (want);			\
	int tap_c_ = (tap_g_ == NULL && tap_w_ == NULL) ||		\
	    (tap_g_ != NULL && tap_w_ != NULL &&			\
	    strcmp(tap_g_, tap_w_) == 0);				\
	if (!tap_ok(tap_c_, __VA_ARGS__))				\
		printf("#   got:  \"%s\"\n#   want: \"%s\"\n",		\
		    tap_g_ ? tap_g_ : "(null)", tap_w_ ? tap_w_ : "(null)"); \
} while (0)

/* Print the plan and return the exit status. */
static int
tap_done(void) __attribute__((unused));
static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return (tap_failed != 0);
}

#endif
