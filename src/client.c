/*
 * client.c: the local client side of every client command (or, with a
 * gateway host, client-ssh.c's): connect to the daemon's unix socket, send the command, stream input, relay output and
 * return the gateway's exit status. What the gateway sends is written out
 * as it is; the gateway has already made it safe for a terminal.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cmd.h"
#include "dbgate.h"
#include "wire.h"

/* Write all of p to fd. */
static int
client_write_all(int fd, const char *p, size_t len)
{
	ssize_t	 w;

	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return (-1);
		p += w;
		len -= (size_t)w;
	}
	return (0);
}

/* Connect to the daemon. */
static int
client_connect(const char *path)
{
	struct sockaddr_un	 sun;
	socklen_t		 len;
	int			 fd;

	if ((len = wire_sockaddr(&sun, path)) == 0) {
		fprintf(stderr, "dbgate: bad socket path %s\n", path);
		return (-1);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, len) != 0) {
		fprintf(stderr, "dbgate: cannot reach the gateway at %s: %s "
		    "(is \"dbgate serve\" running? --socket or DBGATE_SOCKET "
		    "name another socket)\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return (-1);
	}
	return (fd);
}

/*
 * Send stdin to the gateway as input frames, then end of input. Stops
 * early (returning 1) when the gateway speaks first: it refused the
 * request, and its answer must not wait for input that may never end.
 */
static int
client_send_stdin(int fd)
{
	struct pollfd	 pfd[2];
	char		 tmp[65536];
	ssize_t		 r;

	for (;;) {
		pfd[0].fd = fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = STDIN_FILENO;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		if (pfd[0].revents != 0)
			return (1);
		if (pfd[1].revents == 0)
			continue;
		r = read(STDIN_FILENO, tmp, sizeof tmp);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "dbgate: reading standard input: "
			    "%s\n", strerror(errno));
			return (-1);
		}
		if (r == 0)
			break;
		if (wire_write(fd, WIRE_STDIN, tmp, (size_t)r) != 0)
			return (-1);
	}
	return (wire_write(fd, WIRE_STDIN_EOF, NULL, 0));
}

/* Run a client command on the gateway. */
int
client_run(const struct cmd_ctx *ctx, int argc, char *const *argv,
    const char *input, size_t len, int read_stdin)
{
	struct buf	 b;
	char		*host;
	int		 fd, type, r, status = -1;
	size_t		 off;

	switch (client_gateway(ctx, &host)) {
	case -1:
		return (EXIT_USAGE);
	case 1:
		status = client_ssh_run(host, argc, argv, input, len,
		    read_stdin);
		free(host);
		return (status);
	}
	signal(SIGPIPE, SIG_IGN);
	if ((fd = client_connect(ctx->socket_path)) < 0)
		return (EXIT_UNREACH);
	buf_init(&b);
	wire_pack_argv(&b, argc, argv);
	if (wire_write(fd, WIRE_ARGV, b.data, b.len) != 0)
		goto lost;
	/* The gateway reads all input before it answers. */
	if (read_stdin) {
		if (client_send_stdin(fd) < 0)
			goto lost;
	} else {
		for (off = 0; input != NULL && off < len; off += 65536)
			if (wire_write(fd, WIRE_STDIN, input + off,
			    len - off > 65536 ? 65536 : len - off) != 0)
				goto lost;
		if (wire_write(fd, WIRE_STDIN_EOF, NULL, 0) != 0)
			goto lost;
	}
	for (;;) {
		r = wire_read(fd, &type, &b, WIRE_MAX_FRAME);
		if (r <= 0)
			goto lost;
		switch (type) {
		case WIRE_STDOUT:
			if (client_write_all(STDOUT_FILENO, b.data, b.len)
			    != 0) {
				/* Our reader went away (a closed pipe). */
				close(fd);
				buf_free(&b);
				return (EXIT_INTERNAL);
			}
			break;
		case WIRE_STDERR:
			(void)client_write_all(STDERR_FILENO, b.data, b.len);
			break;
		case WIRE_EXIT:
			if (b.len == 4)
				status = ((unsigned char)b.data[3]);
			goto done;
		default:
			fprintf(stderr, "dbgate: unexpected message from the "
			    "gateway\n");
			status = EXIT_INTERNAL;
			goto done;
		}
	}
lost:
	/* Output may already have been written: frames are relayed as they
	 * come, so anything before this point is complete. */
	while (wire_read(fd, &type, &b, WIRE_MAX_FRAME) == 1) {
		if (type == WIRE_STDERR)
			(void)client_write_all(STDERR_FILENO, b.data, b.len);
		else if (type == WIRE_STDOUT)
			(void)client_write_all(STDOUT_FILENO, b.data, b.len);
		else if (type == WIRE_EXIT && b.len == 4) {
			status = (unsigned char)b.data[3];
			goto done;
		}
	}
	fprintf(stderr, "dbgate: the connection to the gateway was lost; "
	    "the outcome of a write is unknown\n");
	status = EXIT_UNREACH;
done:
	close(fd);
	buf_free(&b);
	return (status < 0 ? EXIT_INTERNAL : status);
}

/*
 * dbgate connect: the terminal goes raw while the session runs, and is
 * restored however this process ends (exit, a signal, the gateway gone).
 */
static struct termios		 client_tio;
static int			 client_tio_saved;
static volatile sig_atomic_t	 client_winch;

/* Put the terminal back as it was. */
static void
client_restore_tty(void)
{
	if (client_tio_saved)
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &client_tio);
	client_tio_saved = 0;
}

/* A fatal signal: restore the terminal, then die of it. */
static void
client_tty_signal(int sig)
{
	client_restore_tty();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The window changed size. */
static void
client_sigwinch(int sig)
{
	(void)sig;
	client_winch = 1;
}

/* Send the terminal's size (WIRE_WINSIZE), if known. */
static int
client_send_winsize(int fd)
{
	struct winsize	 ws;
	unsigned char	 p[4];

	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0)
		return (0);
	p[0] = ws.ws_col >> 8;
	p[1] = ws.ws_col & 0xff;
	p[2] = ws.ws_row >> 8;
	p[3] = ws.ws_row & 0xff;
	return (wire_write(fd, WIRE_WINSIZE, p, sizeof p));
}

/* Run dbgate connect TARGET over the local socket, or through ssh -t. */
int
client_interactive(const struct cmd_ctx *ctx, const char *target)
{
	struct pollfd		 pfd[2];
	struct termios		 raw;
	struct winsize		 ws;
	struct sigaction	 sa;
	struct buf		 b;
	char			*argv[7], size[32], *host, tmp[4096];
	const char		*term;
	ssize_t			 r;
	int			 argc = 0, fd, type, status = -1, i, in_open = 1;
	static const int	 fatal[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT };

	argv[argc++] = "connect";
	switch (client_gateway(ctx, &host)) {
	case -1:
		return (EXIT_USAGE);
	case 1:
		argv[argc++] = (char *)target;
		status = client_ssh_interactive(host, argc, argv);
		free(host);
		return (status);
	}
	term = getenv("TERM");
	if (term != NULL && *term != '\0' && strlen(term) < 64) {
		argv[argc++] = "--term";
		argv[argc++] = (char *)term;
	}
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 &&
	    ws.ws_row > 0) {
		snprintf(size, sizeof size, "%ux%u", ws.ws_col, ws.ws_row);
		argv[argc++] = "--size";
		argv[argc++] = size;
	}
	argv[argc++] = (char *)target;
	argv[argc] = NULL;

	signal(SIGPIPE, SIG_IGN);
	if ((fd = client_connect(ctx->socket_path)) < 0)
		return (EXIT_UNREACH);
	buf_init(&b);
	wire_pack_argv(&b, argc, argv);
	if (wire_write(fd, WIRE_ARGV, b.data, b.len) != 0) {
		close(fd);
		buf_free(&b);
		fprintf(stderr, "dbgate: the connection to the gateway was "
		    "lost\n");
		return (EXIT_UNREACH);
	}

	if (tcgetattr(STDIN_FILENO, &client_tio) == 0) {
		client_tio_saved = 1;
		atexit(client_restore_tty);
		memset(&sa, 0, sizeof sa);
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = client_tty_signal;
		for (i = 0; i < (int)(sizeof fatal / sizeof fatal[0]); i++)
			sigaction(fatal[i], &sa, NULL);
		sa.sa_handler = client_sigwinch;
		sigaction(SIGWINCH, &sa, NULL);
		raw = client_tio;
		cfmakeraw(&raw);
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
	}
	for (;;) {
		if (client_winch) {
			client_winch = 0;
			if (client_send_winsize(fd) != 0)
				goto lost;
		}
		pfd[0].fd = fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = in_open ? STDIN_FILENO : -1;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			goto lost;
		}
		if (pfd[1].revents != 0) {
			r = read(STDIN_FILENO, tmp, sizeof tmp);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				in_open = 0;
				if (wire_write(fd, WIRE_STDIN_EOF, NULL, 0) != 0)
					goto lost;
			} else if (wire_write(fd, WIRE_STDIN, tmp, (size_t)r)
			    != 0)
				goto lost;
		}
		if (pfd[0].revents == 0)
			continue;
		if (wire_read(fd, &type, &b, WIRE_MAX_FRAME) <= 0)
			goto lost;
		switch (type) {
		case WIRE_STDOUT:
			(void)client_write_all(STDOUT_FILENO, b.data, b.len);
			break;
		case WIRE_STDERR:
			(void)client_write_all(STDERR_FILENO, b.data, b.len);
			break;
		case WIRE_EXIT:
			if (b.len == 4)
				status = (unsigned char)b.data[3];
			goto done;
		default:
			goto lost;
		}
	}
lost:
	client_restore_tty();
	fprintf(stderr, "\r\ndbgate: the connection to the gateway was lost; "
	    "the outcome of a running statement is unknown\n");
	status = EXIT_UNREACH;
done:
	client_restore_tty();
	close(fd);
	buf_free(&b);
	return (status < 0 ? EXIT_INTERNAL : status);
}
