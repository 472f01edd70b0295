/*
 * dbgate.h: definitions shared by every part of dbgate: exit statuses,
 * limits and the small helpers (xmalloc, buf, log) that all modules use.
 */
#ifndef DBGATE_H
#define DBGATE_H

#include "build-config.h"

#include <sys/types.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses, for every command (dbgate(1), EXIT STATUS). */
#define EXIT_OK		0	/* success */
#define EXIT_DBERROR	1	/* the database reported an error */
#define EXIT_USAGE	2	/* usage or configuration error */
#define EXIT_DENIED	3	/* denied, by policy or by an approver */
#define EXIT_APPROVAL	4	/* approval required or pending */
#define EXIT_AUTH	5	/* not authenticated, or not allowed */
#define EXIT_UNREACH	6	/* gateway or backend unreachable, connection lost */
#define EXIT_INTERNAL	7	/* internal error */

/* Largest SQL input one exec request may carry. */
#define DBGATE_MAX_INPUT	(64 * 1024 * 1024)

#ifndef __dead
#define __dead __attribute__((__noreturn__))
#endif
#define printflike(a, b) __attribute__((format(printf, a, b)))

#define nitems(a) (sizeof (a) / sizeof ((a)[0]))

/* xmalloc.c: allocation that cannot fail (fatal on exhaustion). */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...) printflike(2, 3);
int	 xvasprintf(char **, const char *, va_list) printflike(2, 0);
size_t	 strlcpy_(char *, const char *, size_t);

/* strutil.c: case-insensitive edit distance, SIZE_MAX past 64 chars. */
size_t	 str_distance(const char *, const char *);

/* buf.c: a growable byte buffer. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};
void	 buf_init(struct buf *);
void	 buf_free(struct buf *);		/* releases data, len = cap = 0 */
void	 buf_reset(struct buf *);		/* len = 0, keeps memory */
void	 buf_reserve(struct buf *, size_t);	/* room for n more bytes */
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addc(struct buf *, char);
void	 buf_adds(struct buf *, const char *);
void	 buf_printf(struct buf *, const char *, ...) printflike(2, 3);
char	*buf_cstr(struct buf *);		/* NUL-terminates, returns data */

/* log.c: the daemon's log, on stderr (journal). Never for audit. */
enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};
void	 log_init(const char *progname, enum log_level);
void	 log_set_level(enum log_level);
void	 log_set_prefix(const char *);	/* e.g. "sess=ID alice@prod" */
void	 log_error(const char *, ...) printflike(1, 2);
void	 log_warn(const char *, ...) printflike(1, 2);
void	 log_info(const char *, ...) printflike(1, 2);
void	 log_debug(const char *, ...) printflike(1, 2);
__dead void fatal(const char *, ...) printflike(1, 2);
__dead void fatalx(const char *, ...) printflike(1, 2);	/* no errno */

#endif
