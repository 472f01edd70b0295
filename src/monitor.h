/*
 * monitor.h: the daemon (`dbgate serve`): the privileged monitor that holds
 * the configuration, the vault key and the signing key, listens, forks a
 * session per connection and answers the sessions' requests.
 */
#ifndef MONITOR_H
#define MONITOR_H

/* Run the daemon in the foreground; returns the exit status. */
int	 monitor_run(const char *config_path);

/* server.c: listening sockets and service manager notification. */
/* Listen on a unix socket at path (mode 0666, parent made 0755 if
 * missing); refuses if another process listens there. fd or -1, *err. */
int	 server_listen_unix(const char *path, char **err);
/* Listen on a TCP address (numeric) and port. fd or -1, *err. */
int	 server_listen_tcp(const char *addr, int port, char **err);
/* Tell systemd (NOTIFY_SOCKET) a state such as "READY=1". */
void	 server_notify(const char *state);

#endif
