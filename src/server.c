/*
 * server.c: the daemon's listening sockets (unix, and TCP for SSH) and its
 * messages to the service
 * manager (sd_notify protocol, written here: one datagram to
 * $NOTIFY_SOCKET).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dbgate.h"
#include "monitor.h"
#include "wire.h"

/* Create path's parent directory (0755) if it is missing. */
static int
server_mkparent(const char *path, char **err)
{
	char	*dir, *slash;
	int	 rc = 0;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
			xasprintf(err, "cannot create %s: %s", dir,
			    strerror(errno));
			rc = -1;
		}
	}
	free(dir);
	return (rc);
}

/* Listen on a unix socket. */
int
server_listen_unix(const char *path, char **err)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	socklen_t		 len;
	mode_t			 mask;
	int			 fd, probe, rc;

	if ((len = wire_sockaddr(&sun, path)) == 0) {
		xasprintf(err, "bad socket path %s", path);
		return (-1);
	}
	if (server_mkparent(path, err) != 0)
		return (-1);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			xasprintf(err, "%s exists and is not a socket", path);
			return (-1);
		}
		probe = socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0);
		if (probe >= 0 && connect(probe, (struct sockaddr *)&sun,
		    len) == 0) {
			close(probe);
			xasprintf(err, "another dbgate is already listening "
			    "on %s", path);
			return (-1);
		}
		if (probe >= 0)
			close(probe);
		unlink(path);	/* stale, from a daemon that died */
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK,
	    0)) < 0) {
		xasprintf(err, "socket: %s", strerror(errno));
		return (-1);
	}
	/* The mode comes from the umask at bind: no chmod of a path that
	 * could be swapped in between. */
	mask = umask(0111);
	rc = bind(fd, (struct sockaddr *)&sun, len);
	umask(mask);
	if (rc != 0 || listen(fd, 128) != 0) {
		xasprintf(err, "cannot listen on %s: %s", path,
		    strerror(errno));
		close(fd);
		return (-1);
	}
	return (fd);
}

/* Listen on a TCP address and port (the SSH listener). */
int
server_listen_tcp(const char *addr, int port, char **err)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 len;
	int			 fd, on = 1;

	memset(&ss, 0, sizeof ss);
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		len = sizeof *sin;
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		len = sizeof *sin6;
	} else {
		xasprintf(err, "bad address %s", addr);
		return (-1);
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK,
	    0)) < 0) {
		xasprintf(err, "socket: %s", strerror(errno));
		return (-1);
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (bind(fd, (struct sockaddr *)&ss, len) != 0 ||
	    listen(fd, 128) != 0) {
		xasprintf(err, "cannot listen on %s%s%s:%d: %s",
		    ss.ss_family == AF_INET6 ? "[" : "", addr,
		    ss.ss_family == AF_INET6 ? "]" : "", port, strerror(errno));
		close(fd);
		return (-1);
	}
	return (fd);
}

/* Tell the service manager a state. */
void
server_notify(const char *state)
{
	struct sockaddr_un	 sun;
	const char		*path;
	socklen_t		 len;
	int			 fd;

	if ((path = getenv("NOTIFY_SOCKET")) == NULL ||
	    (*path != '/' && *path != '@') ||
	    (len = wire_sockaddr(&sun, path)) == 0)
		return;
	if (*path == '@')
		sun.sun_path[0] = '\0';	/* abstract namespace */
	if ((fd = socket(AF_UNIX, SOCK_DGRAM|SOCK_CLOEXEC, 0)) < 0)
		return;
	(void)sendto(fd, state, strlen(state), MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, len);
	close(fd);
}
