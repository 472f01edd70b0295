/*
 * transport-unix.c: a session's client over the local unix socket, framed
 * by wire.c. Input frames come from an untrusted local user.
 */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session.h"
#include "wire.h"

/* Send output on a stream. */
static int
transport_unix_send(struct transport *tr, int stream, const void *p,
    size_t len)
{
	return (wire_write(tr->fd, stream == 2 ? WIRE_STDERR : WIRE_STDOUT, p,
	    len));
}

/* Read the client's input until it says end of file. */
static int
transport_unix_read_input(struct transport *tr, struct buf *b, size_t max,
    volatile sig_atomic_t *stop, char **err)
{
	struct pollfd	 pfd;
	struct buf	 p;
	int		 type, r;

	buf_init(&p);
	for (;;) {
		if (*stop) {
			*err = xstrdup("interrupted");
			goto fail;
		}
		pfd.fd = tr->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			xasprintf(err, "poll: %s", strerror(errno));
			goto fail;
		}
		r = wire_read(tr->fd, &type, &p, WIRE_MAX_FRAME);
		if (r <= 0) {
			*err = xstrdup("the client went away");
			goto fail;
		}
		if (type == WIRE_STDIN_EOF)
			break;
		if (type != WIRE_STDIN) {
			*err = xstrdup("unexpected frame from the client");
			goto fail;
		}
		if (b->len + p.len > max) {
			xasprintf(err, "input is larger than %zu bytes", max);
			goto fail;
		}
		buf_add(b, p.data, p.len);
	}
	buf_free(&p);
	return (0);
fail:
	buf_free(&p);
	return (-1);
}

/* Take one message from an interactive client (see session.h). */
static int
transport_unix_read_some(struct transport *tr, struct buf *b, int wake_fd,
    int *eof, char **err)
{
	struct pollfd	 pfd[2];
	struct buf	 p;
	int		 type, r, rc = -1;

	pfd[0].fd = tr->fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = wake_fd;
	pfd[1].events = POLLIN;
	pfd[1].revents = 0;
	if (poll(pfd, wake_fd >= 0 ? 2 : 1, -1) < 0) {
		if (errno == EINTR)
			return (0);
		xasprintf(err, "poll: %s", strerror(errno));
		return (-1);
	}
	if (pfd[0].revents == 0)
		return (0);
	buf_init(&p);
	r = wire_read(tr->fd, &type, &p, WIRE_MAX_FRAME);
	if (r <= 0) {
		*err = xstrdup("the client went away");
		goto out;
	}
	switch (type) {
	case WIRE_STDIN:
		buf_add(b, p.data, p.len);
		break;
	case WIRE_STDIN_EOF:
		*eof = 1;
		break;
	case WIRE_WINSIZE:
		if (p.len != 4) {
			*err = xstrdup("bad window size from the client");
			goto out;
		}
		tr->cols = ((unsigned char)p.data[0] << 8) |
		    (unsigned char)p.data[1];
		tr->rows = ((unsigned char)p.data[2] << 8) |
		    (unsigned char)p.data[3];
		break;
	default:
		*err = xstrdup("unexpected frame from the client");
		goto out;
	}
	rc = 1;
out:
	buf_free(&p);
	return (rc);
}

/*
 * Say we are done, then read and drop what the client still sends until it
 * closes (at most a second): closing a socket with unread data resets the
 * connection, and the client could lose the end of its output.
 */
static void
transport_unix_drain(int fd)
{
	struct pollfd	 pfd;
	char		 tmp[4096];
	int		 i;

	if (shutdown(fd, SHUT_WR) != 0)
		return;
	for (i = 0; i < 100; i++) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 10) < 0 && errno != EINTR)
			return;
		if ((pfd.revents & (POLLIN|POLLHUP)) == 0)
			continue;
		if (read(fd, tmp, sizeof tmp) <= 0)
			return;
	}
}

/* Send the exit status. */
static int
transport_unix_finish(struct transport *tr, int status)
{
	unsigned char	 st[4];
	int		 rc;

	st[0] = (status >> 24) & 0xff;
	st[1] = (status >> 16) & 0xff;
	st[2] = (status >> 8) & 0xff;
	st[3] = status & 0xff;
	rc = wire_write(tr->fd, WIRE_EXIT, st, sizeof st);
	transport_unix_drain(tr->fd);
	return (rc);
}

/* A transport for a connected unix socket. */
struct transport *
transport_unix_new(int fd)
{
	struct transport	*tr;

	tr = xcalloc(1, sizeof *tr);
	tr->send = transport_unix_send;
	tr->read_input = transport_unix_read_input;
	tr->finish = transport_unix_finish;
	tr->read_some = transport_unix_read_some;
	tr->fd = fd;
	return (tr);
}
