/*
 * log.c: the daemon's operational log on stderr (the journal under
 * systemd). Audit records and transcripts never go through here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dbgate.h"

static const char	*log_progname = "dbgate";
static enum log_level	 log_level = LOG_LEVEL_INFO;
static char		 log_prefix[256];

/* Set the program name and level. */
void
log_init(const char *progname, enum log_level level)
{
	log_progname = progname;
	log_level = level;
}

/* Change the level. */
void
log_set_level(enum log_level level)
{
	log_level = level;
}

/* Set the per-session prefix ("sess=ID user@target"), or clear it. */
void
log_set_prefix(const char *prefix)
{
	if (prefix == NULL)
		log_prefix[0] = '\0';
	else
		strlcpy_(log_prefix, prefix, sizeof log_prefix);
}

static void	log_vwrite(const char *, const char *, va_list, const char *)
		    printflike(2, 0);

/* Write one line: time, program, pid, level, prefix, message. */
static void
log_vwrite(const char *level, const char *fmt, va_list ap, const char *err)
{
	char		 msg[2048], line[2560], when[32];
	unsigned char	*p;
	struct timespec	 ts;
	struct tm	 tm;
	int		 n;

	vsnprintf(msg, sizeof msg, fmt, ap);
	/* Nothing from a caller may forge or break log lines. */
	for (p = (unsigned char *)msg; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	n = snprintf(line, sizeof line, "%s %s[%ld]: %s%s%s%s%s%s\n", when,
	    log_progname, (long)getpid(), level, log_prefix,
	    log_prefix[0] != '\0' ? ": " : "", msg, err ? ": " : "",
	    err ? err : "");
	if (n < 0)
		return;
	if ((size_t)n >= sizeof line) {
		n = sizeof line - 1;
		line[n - 1] = '\n';	/* keep the line whole */
	}
	/* One write(2) per line keeps lines from processes whole. */
	(void)!write(STDERR_FILENO, line, (size_t)n);
}

#define LOG_FN(fn, lvl, tag)					\
void								\
fn(const char *fmt, ...)					\
{								\
	va_list	 ap;						\
								\
	if (log_level < (lvl))					\
		return;						\
	va_start(ap, fmt);					\
	log_vwrite(tag, fmt, ap, NULL);				\
	va_end(ap);						\
}
LOG_FN(log_error, LOG_LEVEL_ERROR, "error: ")
LOG_FN(log_warn, LOG_LEVEL_WARN, "warning: ")
LOG_FN(log_info, LOG_LEVEL_INFO, "")
LOG_FN(log_debug, LOG_LEVEL_DEBUG, "debug: ")

/* Log an error with errno's text and exit with the internal-error status. */
void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_vwrite("fatal: ", fmt, ap, saved ? strerror(saved) : NULL);
	va_end(ap);
	exit(EXIT_INTERNAL);
}

/* Log an error and exit with the internal-error status. */
void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite("fatal: ", fmt, ap, NULL);
	va_end(ap);
	exit(EXIT_INTERNAL);
}
