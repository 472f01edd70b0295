/*
 * wire.c: frame reading and writing for the client socket and the monitor
 * channel. Frames come from untrusted local users: lengths are checked
 * before anything is allocated.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "argsplit.h"
#include "wire.h"

static volatile sig_atomic_t	*wire_interrupt;

/* Give up on EINTR while *flag is set. */
void
wire_set_interrupt(volatile sig_atomic_t *flag)
{
	wire_interrupt = flag;
}

/* Whether an EINTR should be retried. */
static int
wire_retry(void)
{
	return (errno == EINTR &&
	    (wire_interrupt == NULL || *wire_interrupt == 0));
}

/* Write all of iov, retrying short writes and EINTR. */
static int
wire_writev_all(int fd, struct iovec *iov, int n)
{
	ssize_t	 w;

	while (n > 0) {
		w = writev(fd, iov, n);
		if (w < 0) {
			if (wire_retry())
				continue;
			return (-1);
		}
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= w;
		}
	}
	return (0);
}

/* Write a frame made of two payload parts. */
int
wire_write2(int fd, int type, const void *a, size_t alen, const void *b,
    size_t blen)
{
	unsigned char	 hdr[WIRE_HDR];
	struct iovec	 iov[3];
	size_t		 len = alen + blen;

	if (len > WIRE_MAX_FRAME) {
		errno = EMSGSIZE;
		return (-1);
	}
	hdr[0] = (unsigned char)type;
	hdr[1] = (len >> 24) & 0xff;
	hdr[2] = (len >> 16) & 0xff;
	hdr[3] = (len >> 8) & 0xff;
	hdr[4] = len & 0xff;
	iov[0].iov_base = hdr;
	iov[0].iov_len = sizeof hdr;
	iov[1].iov_base = (void *)a;
	iov[1].iov_len = alen;
	iov[2].iov_base = (void *)b;
	iov[2].iov_len = blen;
	return (wire_writev_all(fd, iov, 3));
}

/* Write a frame. */
int
wire_write(int fd, int type, const void *p, size_t len)
{
	return (wire_write2(fd, type, p, len, NULL, 0));
}

/* Read exactly len bytes; 1 done, 0 EOF at start, -1 error or short. */
static int
wire_read_full(int fd, void *p, size_t len)
{
	size_t	 got = 0;
	ssize_t	 r;

	while (got < len) {
		r = read(fd, (char *)p + got, len - got);
		if (r < 0) {
			if (wire_retry())
				continue;
			return (-1);
		}
		if (r == 0) {
			if (got == 0)
				return (0);
			errno = EPROTO;
			return (-1);
		}
		got += (size_t)r;
	}
	return (1);
}

/* Read one frame. */
int
wire_read(int fd, int *type, struct buf *payload, size_t max)
{
	unsigned char	 hdr[WIRE_HDR];
	size_t		 len;
	int		 r;

	buf_reset(payload);
	if ((r = wire_read_full(fd, hdr, sizeof hdr)) <= 0)
		return (r);
	len = ((size_t)hdr[1] << 24) | ((size_t)hdr[2] << 16) |
	    ((size_t)hdr[3] << 8) | hdr[4];
	if (len > max || len > WIRE_MAX_FRAME) {
		errno = EMSGSIZE;
		return (-1);
	}
	buf_reserve(payload, len);
	if (len > 0 && wire_read_full(fd, payload->data, len) != 1) {
		if (errno == 0)
			errno = EPROTO;
		return (-1);
	}
	payload->len = len;
	*type = hdr[0];
	return (1);
}

/* Fill a unix socket address for path. */
size_t
wire_sockaddr(struct sockaddr_un *sun, const char *path)
{
	size_t	 len = strlen(path);

	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	if (len == 0 || len >= sizeof sun->sun_path)
		return (0);
	memcpy(sun->sun_path, path, len);
	return (offsetof(struct sockaddr_un, sun_path) + len);
}

/* Pack argv as NUL-separated strings. */
void
wire_pack_argv(struct buf *b, int argc, char *const *argv)
{
	int	 i;

	for (i = 0; i < argc; i++)
		buf_add(b, argv[i], strlen(argv[i]) + 1);
}

/* Unpack NUL-separated strings into argv. */
int
wire_unpack_argv(const char *p, size_t len, char ***argvp, int *argcp,
    char **err)
{
	char	**argv;
	size_t	  i, start;
	int	  argc = 0;

	if (len == 0 || p[len - 1] != '\0') {
		*err = xstrdup("malformed argument list");
		return (-1);
	}
	for (i = 0; i < len; i++)
		if (p[i] == '\0')
			argc++;
	if (argc > ARGSPLIT_MAX) {
		*err = xstrdup("too many arguments");
		return (-1);
	}
	argv = xcalloc((size_t)argc + 1, sizeof *argv);
	argc = 0;
	for (i = start = 0; i < len; i++) {
		if (p[i] == '\0') {
			argv[argc++] = xstrndup(p + start, i - start);
			start = i + 1;
		}
	}
	*argvp = argv;
	*argcp = argc;
	return (0);
}
