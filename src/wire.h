/*
 * wire.h: the framing used on the unix socket between a client and its
 * session process, and on the channel between a session process and the
 * monitor. A frame is one type byte, a 4-byte big-endian length and the
 * payload. Handles untrusted input (frames from any local user).
 */
#ifndef WIRE_H
#define WIRE_H

#include <signal.h>

#include "dbgate.h"

#define WIRE_MAX_FRAME	(DBGATE_MAX_INPUT + 1024 * 1024)
#define WIRE_HDR	5

/* Client <-> session. */
#define WIRE_ARGV	'A'	/* client: argv, NUL-separated */
#define WIRE_STDIN	'I'	/* client: input bytes */
#define WIRE_STDIN_EOF	'i'	/* client: end of input */
#define WIRE_STDOUT	'O'	/* session: output bytes */
#define WIRE_STDERR	'E'	/* session: message bytes */
#define WIRE_EXIT	'X'	/* session: exit status, 4 bytes */
#define WIRE_WINSIZE	'W'	/* client: terminal size, columns and rows,
				   2 bytes each (dbgate connect) */

/* Session <-> monitor. */
#define WIRE_M_REGISTER	'R'	/* session: JSON {id,user,target} */
#define WIRE_M_REGOK	'r'	/* monitor: JSON {ok, reason} */
#define WIRE_M_STATUS	'Q'	/* session: status query */
#define WIRE_M_STATUSOK	'q'	/* monitor: JSON status */
#define WIRE_M_RELOADED	'N'	/* monitor: the config changed (empty) */
#define WIRE_M_GETCONF	'G'	/* session: send me the config */
#define WIRE_M_CONFIG	'C'	/* monitor: the config (dump text) */
#define WIRE_M_REVOKE	'K'	/* monitor: access revoked, reason text */
#define WIRE_M_AUTH	'U'	/* session: SSH login, JSON {user,from} */

/*
 * While *flag (if set) is non-zero, a read or write interrupted by a
 * signal fails with EINTR instead of being retried: a session told to end
 * must not stay blocked on a client that stopped reading.
 */
void	 wire_set_interrupt(volatile sig_atomic_t *flag);

/* Write one frame, retrying short writes and EINTR. 0 or -1 (errno). */
int	 wire_write(int fd, int type, const void *, size_t);
/* Write a frame whose payload is two parts (avoids a copy). */
int	 wire_write2(int fd, int type, const void *, size_t, const void *,
	    size_t);

/*
 * Read one frame into payload (reset first), at most max bytes. Returns 1
 * with *type set, 0 on a clean end of file before a frame, -1 on error or
 * a malformed or oversized frame (errno EPROTO or EMSGSIZE).
 */
int	 wire_read(int fd, int *type, struct buf *payload, size_t max);

/*
 * Fill a unix socket address for path. Returns the address length, or 0
 * if the path does not fit.
 */
struct sockaddr_un;
size_t	 wire_sockaddr(struct sockaddr_un *, const char *path);

/* Pack argv as NUL-separated strings. */
void	 wire_pack_argv(struct buf *, int argc, char *const *argv);
/*
 * Unpack NUL-separated strings (the payload must end in NUL) into a
 * NULL-terminated argv (caller frees with argsplit_free). 0 or -1 and
 * *err.
 */
int	 wire_unpack_argv(const char *, size_t, char ***argv, int *argc,
	    char **err);

#endif
