/*
 * transport-ssh.c: the SSH way in, a libssh server.
 *
 * The monitor loads the host key (creating an Ed25519 one on first start)
 * and hands it to each session process it forks for an SSH connection.
 * The session process runs the server side of that one connection: key
 * exchange (after which its copy of the host key is freed), public-key
 * authentication against the user's AuthorizedKeys, one session channel
 * carrying one exec or shell request, and then struct transport over that
 * channel, so the command runs exactly as it does over the unix socket.
 *
 * Everything from the network is untrusted. A login succeeds only on a
 * verified signature: a key that is merely offered gets "key acceptable"
 * and nothing more. Passwords, keyboard-interactive, port and agent
 * forwarding, X11 and subsystems are refused.
 *
 * Threads: once the command runs, the transcript's writer thread sends
 * output and a pump thread answers the client (keepalives, window
 * adjustments) while a statement runs; one mutex serialises every call
 * into libssh. An interactive session (connect with a pty) reads the
 * client itself through read_some, on the main thread at the prompt and
 * on the REPL's watcher while a statement runs, so the pump stops there.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libssh/libssh.h>
#include <libssh/callbacks.h>
#include <libssh/server.h>

#include "argsplit.h"
#include "authkeys.h"
#include "cmd.h"
#include "session.h"
#include "wire.h"

#define TSSH_MAX_AUTH_TRIES	6	/* refused attempts, then goodbye */
#define TSSH_FAIL_FLOOR_MS	20	/* a refusal takes at least this */
#define TSSH_REQUEST_TIMEOUT	30	/* seconds from login to a command */
#define TSSH_POLL_MS		100
#define TSSH_CLOSE_WAIT_MS	1000	/* for the client to hang up */
#define TSSH_MAX_COMMAND	(128 * 1024)
#define TSSH_MAX_TERM		64
#define TSSH_CHUNK		32768
#define TSSH_MAX_CHOICE		64	/* bytes typed at the target prompt */

/* Public-key signature algorithms accepted from clients. */
#define TSSH_PUBKEY_ALGS	"ssh-ed25519,ecdsa-sha2-nistp256," \
	"ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256"

struct transport_ssh {
	struct transport	 tr;		/* first: the ops */
	struct session		*s;
	ssh_session		 ssh;
	ssh_event		 event;
	ssh_channel		 channel;
	struct ssh_server_callbacks_struct scb;
	struct ssh_channel_callbacks_struct ccb;
	pthread_mutex_t		 lock;		/* every libssh call */
	pthread_t		 pump;
	int			 pump_running;
	int			 wake[2];	/* stops the pump */
	char			 addr[INET6_ADDRSTRLEN];
	int			 port;
	char			*user;		/* the login that succeeded */
	int			 authenticated;
	int			 failures;
	int			 key_flags;	/* AUTHKEY_* of that key */
	char			*command;	/* the exec request */
	int			 shell;
	int			 requested;	/* exec or shell came */
	int			 peer_closed;	/* the client closed the channel */
	int			 pty;
	char			*term;
	char			*lang;
};

static void	tssh_pump_stop(struct transport_ssh *);

/* Milliseconds on the monotonic clock. */
static long long
tssh_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* Sleep ms milliseconds. */
static void
tssh_sleep_ms(long long ms)
{
	struct timespec	 ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/*
 * Make a refusal take at least TSSH_FAIL_FLOOR_MS (doubled until it covers
 * the work done), so that its timing does not tell an unknown user from a
 * wrong key.
 */
static void
tssh_refusal_floor(long long start)
{
	long long	 spent = tssh_now_ms() - start, floor;

	for (floor = TSSH_FAIL_FLOOR_MS; floor < spent; floor *= 2)
		;
	tssh_sleep_ms(floor - spent);
}

/* The "SHA256:..." fingerprint of a key (caller frees), or NULL. */
static char *
tssh_fingerprint(ssh_key key)
{
	unsigned char	*hash = NULL;
	size_t		 hlen;
	char		*fp, *out;

	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
	    &hlen) != SSH_OK)
		return (NULL);
	fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	ssh_clean_pubkey_hash(&hash);
	if (fp == NULL)
		return (NULL);
	out = xstrdup(fp);
	ssh_string_free_char(fp);
	return (out);
}

/* Write a new Ed25519 host key to path (0600) and path.pub (0644). */
static ssh_key
tssh_hostkey_create(const char *path, char **err)
{
	ssh_key	 key = NULL;
	char	*b64 = NULL, *pub64 = NULL, *pubpath, *line;
	size_t	 len;
	int	 fd;

	if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK ||
	    ssh_pki_export_privkey_base64(key, NULL, NULL, NULL, &b64) !=
	    SSH_OK) {
		xasprintf(err, "cannot create an Ed25519 SSH host key");
		ssh_key_free(key);
		return (NULL);
	}
	len = strlen(b64);
	fd = open(path, O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, b64, len) != (ssize_t)len || fsync(fd) != 0) {
		xasprintf(err, "cannot write the SSH host key %s: %s", path,
		    strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		sodium_memzero(b64, len);
		ssh_string_free_char(b64);
		ssh_key_free(key);
		return (NULL);
	}
	close(fd);
	sodium_memzero(b64, len);
	ssh_string_free_char(b64);

	xasprintf(&pubpath, "%s.pub", path);
	if (ssh_pki_export_pubkey_base64(key, &pub64) == SSH_OK) {
		xasprintf(&line, "%s %s dbgate-host-key\n",
		    ssh_key_type_to_char(ssh_key_type(key)), pub64);
		fd = open(pubpath, O_WRONLY|O_CREAT|O_TRUNC|O_NOFOLLOW|
		    O_CLOEXEC, 0644);
		if (fd < 0 || write(fd, line, strlen(line)) !=
		    (ssize_t)strlen(line))
			log_warn("cannot write %s: %s", pubpath,
			    strerror(errno));
		if (fd >= 0)
			close(fd);
		free(line);
		ssh_string_free_char(pub64);
	}
	free(pubpath);
	return (key);
}

/* Load the host key, creating it if it is missing. */
struct ssh_key_struct *
transport_ssh_hostkey_load(const char *path, int *created, char **fp,
    char **err)
{
	struct stat	 st;
	struct buf	 b;
	ssh_key		 key = NULL;
	char		 tmp[4096];
	ssize_t		 r;
	int		 fd;

	*created = 0;
	fd = open(path, O_RDONLY|O_NOFOLLOW|O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		if ((key = tssh_hostkey_create(path, err)) == NULL)
			return (NULL);
		*created = 1;
		goto done;
	}
	if (fd < 0) {
		xasprintf(err, "cannot open the SSH host key %s: %s", path,
		    strerror(errno));
		return (NULL);
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
		xasprintf(err, "the SSH host key %s must be a regular file "
		    "owned by the gateway's user with mode 0600 (chmod 600 %s)",
		    path, path);
		close(fd);
		return (NULL);
	}
	buf_init(&b);
	while ((r = read(fd, tmp, sizeof tmp)) > 0 && b.len < 65536)
		buf_add(&b, tmp, (size_t)r);
	close(fd);
	sodium_memzero(tmp, sizeof tmp);
	if (ssh_pki_import_privkey_base64(buf_cstr(&b), NULL, NULL, NULL,
	    &key) != SSH_OK || !ssh_key_is_private(key)) {
		xasprintf(err, "the SSH host key %s cannot be read (an "
		    "unencrypted OpenSSH private key is expected)", path);
		ssh_key_free(key);
		key = NULL;
	}
	sodium_memzero(b.data, b.cap);
	buf_free(&b);
	if (key == NULL)
		return (NULL);
done:
	if ((*fp = tssh_fingerprint(key)) == NULL)
		*fp = xstrdup("(no fingerprint)");
	return (key);
}

/* Free (and so wipe) a host key. */
void
transport_ssh_hostkey_free(struct ssh_key_struct *key)
{
	ssh_key_free(key);
}

/* The type name of a key, for messages. */
const char *
transport_ssh_key_type(struct ssh_key_struct *key)
{
	return (ssh_key_type_to_char(ssh_key_type(key)));
}

/*
 * Whether user may log in with key from this client now: the user has a
 * User block with AuthorizedKeys and the file lets the key in. The same
 * steps run for an unknown user. Sets *flags for a key that may; NULL
 * means yes, else the reason (static text) it may not.
 */
static const char *
tssh_key_allowed(struct transport_ssh *ts, const char *user, ssh_key key,
    int *flags)
{
	const struct config_user	*u;
	const struct authkey		*k = NULL;
	struct authkeys			*ak = NULL;
	const char			*why = "no such user", *found;
	char				*err = NULL;

	u = config_find_user(ts->s->cfg, user);
	if (u != NULL && u->authorized_keys != NULL) {
		if (authkeys_load(u->authorized_keys, &ak, &err) != 0) {
			log_error("ssh: %s", err);
			free(err);
			return ("the user's AuthorizedKeys cannot be read");
		}
	} else {
		ak = authkeys_parse("", 0);
		if (u != NULL)
			why = "the user has no AuthorizedKeys";
	}
	if (ak->nerrors > 0) {
		log_error("ssh: %s:%d: %s (every key of user %s is refused "
		    "until this is fixed)", u->authorized_keys,
		    ak->errors[0].line, ak->errors[0].msg, u->name);
		why = "the user's AuthorizedKeys has errors";
	} else {
		k = authkeys_find(ak, key, ts->addr, time(NULL), &found);
		if (u != NULL && u->authorized_keys != NULL)
			why = found;
	}
	if (k != NULL && u != NULL)
		*flags = k->flags;
	authkeys_free(ak);
	return (k != NULL && u != NULL ? NULL : why);
}

/* Note a refused attempt; too many end the connection. */
static void
tssh_refused(struct transport_ssh *ts)
{
	if (++ts->failures >= TSSH_MAX_AUTH_TRIES)
		log_warn("ssh: too many authentication failures from %s "
		    "port %d; disconnecting", ts->addr, ts->port);
}

/*
 * Public-key authentication. A probe (state NONE) is answered "key
 * acceptable" at most; only a verified signature (state VALID) logs in.
 */
static int
tssh_auth_pubkey(ssh_session ssh, const char *user, struct ssh_key_struct *key,
    char state, void *arg)
{
	struct transport_ssh	*ts = arg;
	const char		*why;
	char			*fp;
	long long		 start = tssh_now_ms();
	int			 flags = 0;

	if (ts->authenticated)
		return (SSH_AUTH_DENIED);
	if (state != SSH_PUBLICKEY_STATE_NONE &&
	    state != SSH_PUBLICKEY_STATE_VALID)
		why = "the signature does not verify";
	else
		why = tssh_key_allowed(ts, user, key, &flags);
	fp = tssh_fingerprint(key);
	if (why != NULL) {
		log_warn("ssh: refused %s key %s %s for \"%s\" from %s port "
		    "%d: %s", state == SSH_PUBLICKEY_STATE_NONE ? "offered" :
		    "signed", ssh_key_type_to_char(ssh_key_type(key)),
		    fp != NULL ? fp : "?", user, ts->addr, ts->port, why);
		free(fp);
		tssh_refused(ts);
		tssh_refusal_floor(start);
		return (SSH_AUTH_DENIED);
	}
	if (state == SSH_PUBLICKEY_STATE_NONE) {
		log_debug("ssh: offered key %s for %s from %s port %d is "
		    "acceptable; waiting for its signature", fp != NULL ? fp :
		    "?", user, ts->addr, ts->port);
		free(fp);
		return (SSH_AUTH_SUCCESS);	/* only "key acceptable" */
	}
	log_info("ssh: accepted %s key %s for %s from %s port %d",
	    ssh_key_type_to_char(ssh_key_type(key)), fp != NULL ? fp : "?",
	    user, ts->addr, ts->port);
	free(fp);
	ts->user = xstrdup(user);
	ts->key_flags = flags;
	ts->authenticated = 1;
	return (SSH_AUTH_SUCCESS);
}

/* Passwords are refused. */
static int
tssh_auth_password(ssh_session ssh, const char *user, const char *password,
    void *arg)
{
	struct transport_ssh	*ts = arg;
	long long		 start = tssh_now_ms();

	log_warn("ssh: refused password authentication for \"%s\" from %s "
	    "port %d (only public keys are accepted)", user, ts->addr,
	    ts->port);
	tssh_refused(ts);
	tssh_refusal_floor(start);
	return (SSH_AUTH_DENIED);
}

/* A session channel: one per connection, after login. */
static ssh_channel
tssh_channel_open(ssh_session ssh, void *arg)
{
	struct transport_ssh	*ts = arg;

	if (!ts->authenticated || ts->channel != NULL) {
		log_info("ssh: refused a second session channel from %s port "
		    "%d", ts->addr, ts->port);
		return (NULL);
	}
	if ((ts->channel = ssh_channel_new(ssh)) == NULL)
		return (NULL);
	ssh_set_channel_callbacks(ts->channel, &ts->ccb);
	return (ts->channel);
}

/* 1 if s is a short printable ASCII word. */
static int
tssh_printable(const char *s, size_t max)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++)
		if (i >= max || s[i] <= ' ' || s[i] > '~')
			return (0);
	return (1);
}

/* The client's window size, for the REPL; nonsense is ignored. */
static void
tssh_set_size(struct transport_ssh *ts, int cols, int rows)
{
	if (cols <= 0 || rows <= 0 || cols > 1000 || rows > 1000)
		return;
	ts->tr.cols = (unsigned int)cols;
	ts->tr.rows = (unsigned int)rows;
}

/* pty-req: remembered for the terminal to come. */
static int
tssh_pty_request(ssh_session ssh, ssh_channel ch, const char *term,
    int cols, int rows, int pxw, int pxh, void *arg)
{
	struct transport_ssh	*ts = arg;

	if (ts->key_flags & AUTHKEY_NO_PTY) {
		log_info("ssh: refused a terminal to %s: the key is restricted "
		    "(restrict or no-pty)", ts->user);
		return (-1);
	}
	if (ts->command != NULL || ts->shell || ts->pty ||
	    !tssh_printable(term, TSSH_MAX_TERM))
		return (-1);
	ts->pty = ts->tr.tty = 1;
	free(ts->term);
	ts->term = xstrdup(term);
	tssh_set_size(ts, cols, rows);
	return (0);
}

/* window-change: the new size, remembered. */
static int
tssh_window_change(ssh_session ssh, ssh_channel ch, int cols, int rows,
    int pxw, int pxh, void *arg)
{
	struct transport_ssh	*ts = arg;

	if (!ts->pty)
		return (-1);
	tssh_set_size(ts, cols, rows);
	return (0);
}

/* shell: answered with the targets and how to use them. */
static int
tssh_shell_request(ssh_session ssh, ssh_channel ch, void *arg)
{
	struct transport_ssh	*ts = arg;

	if (ts->command != NULL || ts->shell)
		return (1);
	ts->shell = ts->requested = 1;
	return (0);
}

/* exec: the command line, split later by the no-expansion grammar. */
static int
tssh_exec_request(ssh_session ssh, ssh_channel ch, const char *command,
    void *arg)
{
	struct transport_ssh	*ts = arg;

	if (ts->command != NULL || ts->shell ||
	    strlen(command) > TSSH_MAX_COMMAND)
		return (1);
	ts->command = xstrdup(command);
	ts->requested = 1;
	return (0);
}

/* env: TERM and LANG only. */
static int
tssh_env_request(ssh_session ssh, ssh_channel ch, const char *name,
    const char *value, void *arg)
{
	struct transport_ssh	*ts = arg;
	char			**slot;

	if (strcmp(name, "TERM") == 0)
		slot = &ts->term;
	else if (strcmp(name, "LANG") == 0)
		slot = &ts->lang;
	else {
		log_debug("ssh: refused environment variable \"%s\" from %s",
		    name, ts->user);
		return (1);
	}
	if (ts->command != NULL || ts->shell ||
	    !tssh_printable(value, TSSH_MAX_TERM))
		return (1);
	free(*slot);
	*slot = xstrdup(value);
	return (0);
}

/* The client closed the channel: it has everything. */
static void
tssh_channel_closed(ssh_session ssh, ssh_channel ch, void *arg)
{
	struct transport_ssh	*ts = arg;

	ts->peer_closed = 1;
}

/* Agent forwarding is refused (the request wants no answer). */
static void
tssh_agent_request(ssh_session ssh, ssh_channel ch, void *arg)
{
	struct transport_ssh	*ts = arg;

	log_info("ssh: refused agent forwarding for %s from %s port %d",
	    ts->user, ts->addr, ts->port);
}

/* Subsystems (sftp, ...) are refused. */
static int
tssh_subsystem_request(ssh_session ssh, ssh_channel ch, const char *name,
    void *arg)
{
	struct transport_ssh	*ts = arg;

	log_info("ssh: refused subsystem \"%s\" for %s from %s port %d", name,
	    ts->user, ts->addr, ts->port);
	return (1);
}

/*
 * Everything no callback took: refused with the protocol's default
 * answer (authentication failure, channel open failure, request failure),
 * and logged.
 */
static int
tssh_message(ssh_session ssh, ssh_message msg, void *arg)
{
	struct transport_ssh	*ts = arg;
	const char		*what = NULL;
	int			 sub = ssh_message_subtype(msg);

	switch (ssh_message_type(msg)) {
	case SSH_REQUEST_AUTH:
		if (sub == SSH_AUTH_METHOD_NONE)
			return (1);
		log_warn("ssh: refused %s authentication for \"%s\" from %s "
		    "port %d (only public keys are accepted)",
		    sub == SSH_AUTH_METHOD_INTERACTIVE ?
		    "keyboard-interactive" : "an unsupported",
		    ssh_message_auth_user(msg), ts->addr, ts->port);
		tssh_refused(ts);
		return (1);
	case SSH_REQUEST_SERVICE:
		return (1);	/* the default accepts ssh-userauth */
	case SSH_REQUEST_CHANNEL_OPEN:
		if (sub == SSH_CHANNEL_DIRECT_TCPIP)
			what = "port forwarding (direct-tcpip)";
		else if (sub == SSH_CHANNEL_X11)
			what = "an X11 channel";
		else if (sub == SSH_CHANNEL_AUTH_AGENT)
			what = "an agent channel";
		else if (sub != SSH_CHANNEL_SESSION)
			what = "a channel of another kind";
		break;
	case SSH_REQUEST_CHANNEL:
		if (sub == SSH_CHANNEL_REQUEST_X11)
			what = "X11 forwarding";
		else
			what = "a channel request";
		break;
	case SSH_REQUEST_GLOBAL:
		if (sub == SSH_GLOBAL_REQUEST_TCPIP_FORWARD)
			what = "remote port forwarding (tcpip-forward)";
		break;
	}
	if (what != NULL)
		log_info("ssh: refused %s for %s from %s port %d", what,
		    ts->user != NULL ? ts->user : "(not logged in)", ts->addr,
		    ts->port);
	return (1);
}

/* Whether the connection is gone. */
static int
tssh_gone(struct transport_ssh *ts)
{
	return ((ssh_get_status(ts->ssh) & (SSH_CLOSED|SSH_CLOSED_ERROR)) !=
	    0 || !ssh_is_connected(ts->ssh));
}

/* Write all of p on a stream; the caller holds the lock. 0 or -1. */
static int
tssh_write(struct transport_ssh *ts, int stream, const char *p, size_t len)
{
	volatile sig_atomic_t	*stop = &ts->s->terminate;
	int			 w, rc;

	while (len > 0) {
		if (ts->channel == NULL || !ssh_channel_is_open(ts->channel))
			return (-1);
		w = len > TSSH_CHUNK ? TSSH_CHUNK : (int)len;
		if (stream == 2)
			w = ssh_channel_write_stderr(ts->channel, p,
			    (uint32_t)w);
		else
			w = ssh_channel_write(ts->channel, p, (uint32_t)w);
		if (w < 0)
			return (-1);
		p += w;
		len -= (size_t)w;
		if (len == 0)
			break;
		/* The client's window is full: wait for it. */
		if (*stop || ssh_event_dopoll(ts->event, TSSH_POLL_MS) ==
		    SSH_ERROR || tssh_gone(ts))
			return (-1);
	}
	/* Returned once the kernel has it, as on the unix socket. */
	while ((rc = ssh_blocking_flush(ts->ssh, TSSH_POLL_MS)) == SSH_AGAIN)
		if (*stop)
			return (-1);
	return (rc == SSH_OK ? 0 : -1);
}

/* Send output; with a terminal, newlines become CR LF. */
static int
tssh_send(struct transport *tr, int stream, const void *p, size_t len)
{
	struct transport_ssh	*ts = (struct transport_ssh *)tr;
	struct buf		 b;
	const char		*s = p;
	size_t			 i;
	int			 rc;

	buf_init(&b);
	if (ts->pty) {
		for (i = 0; i < len; i++) {
			if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
				buf_addc(&b, '\r');
			buf_addc(&b, s[i]);
		}
		s = b.data;
		len = b.len;
	}
	pthread_mutex_lock(&ts->lock);
	rc = tssh_write(ts, stream, s, len);
	pthread_mutex_unlock(&ts->lock);
	buf_free(&b);
	return (rc);
}

/* Read the client's input until its end of file. */
static int
tssh_read_input(struct transport *tr, struct buf *b, size_t max,
    volatile sig_atomic_t *stop, char **err)
{
	struct transport_ssh	*ts = (struct transport_ssh *)tr;
	char			 tmp[TSSH_CHUNK];
	int			 n, rc = -1;

	pthread_mutex_lock(&ts->lock);
	for (;;) {
		if (ts->channel == NULL) {
			*err = xstrdup("the client went away");
			break;
		}
		n = ssh_channel_read_nonblocking(ts->channel, tmp, sizeof tmp,
		    0);
		if (n == SSH_ERROR) {
			*err = xstrdup("the client went away");
			break;
		}
		if (n > 0) {
			if (b->len + (size_t)n > max) {
				xasprintf(err, "input is larger than %zu "
				    "bytes", max);
				break;
			}
			buf_add(b, tmp, (size_t)n);
			continue;
		}
		if (ssh_channel_is_eof(ts->channel)) {
			rc = 0;
			break;
		}
		if (*stop) {
			*err = xstrdup("interrupted");
			break;
		}
		if (ssh_channel_is_closed(ts->channel) ||
		    ssh_event_dopoll(ts->event, TSSH_POLL_MS) == SSH_ERROR ||
		    tssh_gone(ts)) {
			*err = xstrdup("the client went away");
			break;
		}
	}
	pthread_mutex_unlock(&ts->lock);
	return (rc);
}

/*
 * Take one message from an interactive client (see session.h). The
 * connection is read here, so the pump goes first. The lock is not held
 * while waiting: output may be sent meanwhile, and what that reads off the
 * connection lands in the channel's buffer, which the short poll timeout
 * brings back here.
 */
static int
tssh_read_some(struct transport *tr, struct buf *b, int wake_fd, int *eof,
    char **err)
{
	struct transport_ssh	*ts = (struct transport_ssh *)tr;
	struct pollfd		 pfd[2];
	char			 tmp[TSSH_CHUNK];
	unsigned int		 cols = tr->cols, rows = tr->rows;
	int			 n, rc;

	tssh_pump_stop(ts);
	for (;;) {
		rc = 0;
		pthread_mutex_lock(&ts->lock);
		if (ts->channel == NULL ||
		    ssh_event_dopoll(ts->event, 0) == SSH_ERROR)
			rc = -1;
		else if ((n = ssh_channel_read_nonblocking(ts->channel, tmp,
		    sizeof tmp, 0)) == SSH_ERROR)
			rc = -1;
		else if (n > 0) {
			buf_add(b, tmp, (size_t)n);
			rc = 1;
		} else if (ssh_channel_is_eof(ts->channel)) {
			*eof = 1;
			rc = 1;
		} else if (ssh_channel_is_closed(ts->channel) || tssh_gone(ts))
			rc = -1;
		else if (tr->cols != cols || tr->rows != rows)
			rc = 1;
		pthread_mutex_unlock(&ts->lock);
		if (rc < 0) {
			*err = xstrdup("the client went away");
			return (-1);
		}
		if (rc > 0)
			return (1);
		pfd[0].fd = tr->fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = wake_fd;
		pfd[1].events = POLLIN;
		pfd[1].revents = 0;
		if (poll(pfd, wake_fd >= 0 ? 2 : 1, TSSH_POLL_MS) < 0) {
			if (errno == EINTR)
				return (0);
			xasprintf(err, "poll: %s", strerror(errno));
			return (-1);
		}
		if (pfd[1].revents != 0)
			return (0);
	}
}

/*
 * While a command runs, answer the client (keepalives, window updates):
 * the connection is read whenever it has something and nobody else is
 * using it.
 */
static void *
tssh_pump(void *arg)
{
	struct transport_ssh	*ts = arg;
	struct pollfd		 pfd[2];
	int			 done;

	for (;;) {
		pfd[0].fd = ts->tr.fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = ts->wake[0];
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents != 0)
			break;
		if (pfd[0].revents == 0)
			continue;
		pthread_mutex_lock(&ts->lock);
		done = ssh_event_dopoll(ts->event, 0) == SSH_ERROR ||
		    tssh_gone(ts);
		pthread_mutex_unlock(&ts->lock);
		if (done)
			break;
	}
	return (NULL);
}

/* Start the pump, with every signal blocked in it. */
static void
tssh_pump_start(struct transport_ssh *ts)
{
	sigset_t	 all, old;

	if (pipe2(ts->wake, O_CLOEXEC) != 0)
		return;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (pthread_create(&ts->pump, NULL, tssh_pump, ts) == 0)
		ts->pump_running = 1;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!ts->pump_running) {
		close(ts->wake[0]);
		close(ts->wake[1]);
	}
}

/* Stop the pump. */
static void
tssh_pump_stop(struct transport_ssh *ts)
{
	if (!ts->pump_running)
		return;
	(void)!write(ts->wake[1], "", 1);
	pthread_join(ts->pump, NULL);
	close(ts->wake[0]);
	close(ts->wake[1]);
	ts->pump_running = 0;
}

/*
 * Send the exit status and close the channel, flush, and wait (a moment at
 * most) for the client to close its side: it has then read everything,
 * and hanging up cannot lose its last output to a reset. A client that
 * keeps the connection (an ssh ControlMaster) is then disconnected at
 * once, so that its next command makes a connection of its own.
 */
static int
tssh_finish(struct transport *tr, int status)
{
	struct transport_ssh	*ts = (struct transport_ssh *)tr;
	volatile sig_atomic_t	*stop = &ts->s->terminate;
	long long		 until;
	int			 rc = -1;

	tssh_pump_stop(ts);
	if (ts->ssh == NULL)
		return (-1);
	if (ts->channel != NULL && ssh_channel_is_open(ts->channel) &&
	    !tssh_gone(ts)) {
		(void)ssh_channel_request_send_exit_status(ts->channel, status);
		(void)ssh_channel_send_eof(ts->channel);
		(void)ssh_channel_close(ts->channel);
		while ((rc = ssh_blocking_flush(ts->ssh, TSSH_POLL_MS)) ==
		    SSH_AGAIN && !*stop)
			;
		until = tssh_now_ms() + TSSH_CLOSE_WAIT_MS;
		while (rc == SSH_OK && !ts->peer_closed && !tssh_gone(ts) &&
		    tssh_now_ms() < until && ssh_event_dopoll(ts->event,
		    TSSH_POLL_MS) != SSH_ERROR)
			;
		rc = rc == SSH_OK ? 0 : -1;
	}
	/* The channel goes first: a disconnect frees what is left. */
	if (ts->channel != NULL)
		ssh_channel_free(ts->channel);
	ts->channel = NULL;
	if (!tssh_gone(ts))
		ssh_disconnect(ts->ssh);
	if (ts->event != NULL) {
		ssh_event_remove_session(ts->event, ts->ssh);
		ssh_event_free(ts->event);
	}
	ts->event = NULL;
	ssh_free(ts->ssh);
	ts->ssh = NULL;
	return (rc);
}

/* Fill ts->addr and ts->port from the peer of fd; IPv4 stays IPv4. */
static void
tssh_peer(struct transport_ssh *ts, int fd)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 len = sizeof ss;

	strlcpy_(ts->addr, "unknown", sizeof ts->addr);
	if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0)
		return;
	if (ss.ss_family == AF_INET) {
		inet_ntop(AF_INET, &sin->sin_addr, ts->addr, sizeof ts->addr);
		ts->port = ntohs(sin->sin_port);
	} else if (ss.ss_family == AF_INET6) {
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
			inet_ntop(AF_INET, &sin6->sin6_addr.s6_addr[12],
			    ts->addr, sizeof ts->addr);
		else
			inet_ntop(AF_INET6, &sin6->sin6_addr, ts->addr,
			    sizeof ts->addr);
		ts->port = ntohs(sin6->sin6_port);
	}
}

/* Pump the connection until *flag is set, the deadline passes or it ends. */
static int
tssh_wait(struct transport_ssh *ts, const int *flag, long long deadline,
    const char *what)
{
	long long	 left;

	while (!*flag) {
		if (ts->failures >= TSSH_MAX_AUTH_TRIES)
			return (-1);
		if ((left = deadline - tssh_now_ms()) <= 0) {
			log_warn("ssh: %s from %s port %d timed out%s", what,
			    ts->addr, ts->port, ts->authenticated ? "" :
			    " (LoginGraceTime)");
			return (-1);
		}
		if (ssh_event_dopoll(ts->event, left > 1000 ? 1000 :
		    (int)left) == SSH_ERROR || tssh_gone(ts)) {
			log_info("ssh: %s port %d went away during %s",
			    ts->addr, ts->port, what);
			return (-1);
		}
	}
	return (0);
}

/*
 * The key exchange, without blocking. What the client sends is
 * acknowledged at once (TCP_QUICKACK after each read): the client sends
 * its KEXINIT and its key share as two packets, and a delayed ACK of the
 * first would hold the second back (Nagle) for 40 ms.
 */
static int
tssh_key_exchange(struct transport_ssh *ts, long long deadline)
{
	struct pollfd	 pfd;
	long long	 left;
	int		 r, one = 1;

	ssh_set_blocking(ts->ssh, 0);
	while ((r = ssh_handle_key_exchange(ts->ssh)) == SSH_AGAIN) {
		(void)setsockopt(ts->tr.fd, IPPROTO_TCP, TCP_QUICKACK, &one,
		    sizeof one);
		if ((left = deadline - tssh_now_ms()) <= 0)
			return (SSH_ERROR);
		pfd.fd = ts->tr.fd;
		pfd.events = POLLIN;
		if (ssh_get_poll_flags(ts->ssh) & SSH_WRITE_PENDING)
			pfd.events |= POLLOUT;
		if (poll(&pfd, 1, left > 1000 ? 1000 : (int)left) < 0 &&
		    errno != EINTR)
			return (SSH_ERROR);
	}
	return (r);
}

/* Accept an SSH connection: see session.h. */
int
transport_ssh_accept(struct session *s, int fd, char ***argvp, int *argcp)
{
	struct transport_ssh	*ts;
	ssh_bind		 bind;
	ssh_key			 hostkey;
	json_t			*note;
	char			*text, *err = NULL;
	long long		 grace, deadline;
	long			 secs;
	bool			 no = false;
	int			 r, one = 1;

	ts = xcalloc(1, sizeof *ts);
	ts->tr.send = tssh_send;
	ts->tr.read_input = tssh_read_input;
	ts->tr.finish = tssh_finish;
	ts->tr.read_some = tssh_read_some;
	ts->tr.fd = fd;
	ts->s = s;
	ts->wake[0] = ts->wake[1] = -1;
	pthread_mutex_init(&ts->lock, NULL);
	s->tr = &ts->tr;
	tssh_peer(ts, fd);
	xasprintf(&s->peer_addr, "%s port %d", ts->addr, ts->port);

	grace = s->cfg->login_grace_ms;
	deadline = grace > 0 ? tssh_now_ms() + grace : LLONG_MAX;
	/* A backstop for the blocking key exchange. */
	secs = grace > 0 ? (long)((grace + 999) / 1000) : 0;
	if (secs > 0)
		alarm((unsigned int)secs + 5);

	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	/* Small packets go at once. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	hostkey = s->secrets.ssh_host_key;
	s->secrets.ssh_host_key = NULL;
	if ((bind = ssh_bind_new()) == NULL || (ts->ssh = ssh_new()) == NULL)
		fatalx("libssh: out of memory");
	/* The bind takes the host key and frees (wipes) it with itself. */
	if (hostkey == NULL ||
	    ssh_bind_options_set(bind, SSH_BIND_OPTIONS_PROCESS_CONFIG,
	    &no) != SSH_OK ||
	    ssh_bind_options_set(bind,
	    SSH_BIND_OPTIONS_PUBKEY_ACCEPTED_KEY_TYPES, TSSH_PUBKEY_ALGS) !=
	    SSH_OK ||
	    ssh_bind_options_set(bind, SSH_BIND_OPTIONS_IMPORT_KEY,
	    hostkey) != SSH_OK) {
		log_error("ssh: cannot set up the server: %s",
		    ssh_get_error(bind));
		ssh_bind_free(bind);
		return (EXIT_INTERNAL);
	}
	ssh_set_auth_methods(ts->ssh, SSH_AUTH_METHOD_PUBLICKEY);
	ssh_callbacks_init(&ts->scb);
	ts->scb.userdata = ts;
	ts->scb.auth_pubkey_function = tssh_auth_pubkey;
	ts->scb.auth_password_function = tssh_auth_password;
	ts->scb.channel_open_request_session_function = tssh_channel_open;
	ssh_callbacks_init(&ts->ccb);
	ts->ccb.userdata = ts;
	ts->ccb.channel_pty_request_function = tssh_pty_request;
	ts->ccb.channel_pty_window_change_function = tssh_window_change;
	ts->ccb.channel_shell_request_function = tssh_shell_request;
	ts->ccb.channel_exec_request_function = tssh_exec_request;
	ts->ccb.channel_env_request_function = tssh_env_request;
	ts->ccb.channel_subsystem_request_function = tssh_subsystem_request;
	ts->ccb.channel_auth_agent_req_function = tssh_agent_request;
	ts->ccb.channel_close_function = tssh_channel_closed;
	ssh_set_server_callbacks(ts->ssh, &ts->scb);
	ssh_set_message_callback(ts->ssh, tssh_message, ts);

	r = ssh_bind_accept_fd(bind, ts->ssh, fd);
	if (r == SSH_OK)
		r = tssh_key_exchange(ts, deadline);
	if (r != SSH_OK && tssh_now_ms() >= deadline - 500)
		log_warn("ssh: key exchange from %s port %d timed out "
		    "(LoginGraceTime)", ts->addr, ts->port);
	else if (r != SSH_OK)
		log_info("ssh: key exchange with %s port %d failed: %s",
		    ts->addr, ts->port, ssh_get_error(ts->ssh));
	/* Done with the host key: the bind's copy goes now. */
	ssh_bind_free(bind);
	if (r != SSH_OK)
		return (EXIT_AUTH);

	if ((ts->event = ssh_event_new()) == NULL ||
	    ssh_event_add_session(ts->event, ts->ssh) != SSH_OK)
		fatalx("libssh: cannot poll the session");
	if (tssh_wait(ts, &ts->authenticated, deadline, "authentication") != 0)
		return (EXIT_AUTH);
	alarm(0);

	/* The monitor counts this login against the user from now on. */
	s->user = config_find_user(s->cfg, ts->user);
	s->peer_name = xstrdup(ts->user);
	note = json_pack("{s:s, s:s}", "user", ts->user, "from", ts->addr);
	text = json_dumps(note, JSON_COMPACT);
	json_decref(note);
	if (s->user == NULL || s->monitor_fd < 0 ||
	    wire_write(s->monitor_fd, WIRE_M_AUTH, text, strlen(text)) != 0) {
		free(text);
		return (EXIT_UNREACH);
	}
	free(text);

	alarm(TSSH_REQUEST_TIMEOUT + 5);
	r = tssh_wait(ts, &ts->requested, tssh_now_ms() +
	    TSSH_REQUEST_TIMEOUT * 1000, "waiting for a command");
	alarm(0);
	if (r != 0)
		return (EXIT_USAGE);
	tssh_pump_start(ts);
	ts->tr.term = ts->term;
	if (ts->shell) {
		*argvp = NULL;
		*argcp = 0;
		return (EXIT_OK);
	}
	if (argsplit(ts->command, strlen(ts->command), argvp, argcp,
	    &err) != 0) {
		session_errorf(s, "cannot read the command: %s", err);
		free(err);
		return (EXIT_USAGE);
	}
	return (EXIT_OK);
}

/* Answer a shell request: the targets, and how to use them for now. */
int
transport_ssh_shell(struct session *s)
{
	struct transport_ssh	*ts = (struct transport_ssh *)s->tr;
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	char			 host[INET6_ADDRSTRLEN] = "GATEWAY";
	char			*targets[] = { (char *)"targets", NULL };
	struct buf		 b;
	int			 port = 0, rc;

	if (getsockname(ts->tr.fd, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET) {
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->
			    sin_addr, host, sizeof host);
			port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		} else if (ss.ss_family == AF_INET6) {
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->
			    sin6_addr, host, sizeof host);
			port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
		}
	}
	buf_init(&b);
	buf_printf(&b, "Hello %s. For an interactive session:\n\n    ssh -t "
	    "-p %d %s@%s connect TARGET\n\n(or ssh -t with no command, to "
	    "choose one). Run SQL with:\n\n    ssh -p %d %s@%s exec "
	    "TARGET -c 'SELECT 1'\n    ssh -p %d %s@%s exec TARGET < "
	    "file.sql\n\nTargets you may use:\n", s->user->name, port,
	    s->user->name, host, port, s->user->name, host, port,
	    s->user->name, host);
	rc = session_send_out(s, b.data, b.len);
	buf_free(&b);
	if (rc != 0)
		return (EXIT_UNREACH);
	return (cmd_targets_entry.session(s, 1, targets));
}

/* Send a message to the chooser's terminal; 0 or -1. */
static int
tssh_choose_say(struct session *s, const char *msg)
{
	return (session_send_out(s, msg, strlen(msg)));
}

/*
 * Read one line typed at the chooser's prompt into line (echoed, with
 * backspace). 1 for a line, 0 when the user gave up (Ctrl-C, Ctrl-D, end
 * of input), -1 when the client is gone.
 */
static int
tssh_choose_line(struct session *s, struct buf *line)
{
	struct buf	 in;
	char		*err = NULL, c;
	size_t		 i;
	int		 eof = 0, r, rc = -1;

	buf_init(&in);
	buf_reset(line);
	for (;;) {
		if (s->terminate)
			goto out;
		buf_reset(&in);
		r = s->tr->read_some(s->tr, &in, s->monitor_fd, &eof, &err);
		if (r < 0) {
			log_info("%s", err);
			free(err);
			goto out;
		}
		if (session_poll_monitor(s) != 0)
			goto out;
		for (i = 0; i < in.len; i++) {
			c = in.data[i];
			if (c == '\r' || c == '\n') {
				rc = tssh_choose_say(s, "\n") == 0 ? 1 : -1;
				goto out;
			}
			if (c == 0x03 || c == 0x04) {
				rc = tssh_choose_say(s, "\n") == 0 ? 0 : -1;
				goto out;
			}
			if ((c == 0x7f || c == 0x08) && line->len > 0) {
				line->len--;
				if (tssh_choose_say(s, "\b \b") != 0)
					goto out;
			} else if (c > ' ' && c <= '~' &&
			    line->len < TSSH_MAX_CHOICE) {
				buf_addc(line, c);
				if (session_send_out(s, &c, 1) != 0)
					goto out;
			}
		}
		if (eof) {
			rc = 0;
			goto out;
		}
	}
out:
	buf_free(&in);
	return (rc);
}

/* A choice of at most 6 digits as a number, else -1. */
static long long
tssh_choose_number(const char *p)
{
	long long	 v = 0;
	size_t		 i;

	for (i = 0; p[i] != '\0'; i++) {
		if (i >= 6 || p[i] < '0' || p[i] > '9')
			return (-1);
		v = v * 10 + (p[i] - '0');
	}
	return (i == 0 ? -1 : v);
}

/* Choose a target on the shell's terminal: see session.h. */
int
transport_ssh_shell_choose(struct session *s, char ***argvp, int *argcp)
{
	const struct config_target	**allowed, *t;
	struct buf			 b, line;
	const char			*choice;
	char				**argv;
	size_t				 i, n = 0;
	long long			 k;
	int				 r, status = EXIT_UNREACH;

	allowed = xcalloc(s->cfg->ntargets + 1, sizeof *allowed);
	for (i = 0; i < s->cfg->ntargets; i++) {
		t = &s->cfg->targets[i];
		if (config_user_allowed(s->user, t))
			allowed[n++] = t;
	}
	buf_init(&b);
	buf_init(&line);
	if (n == 0) {
		buf_printf(&b, "Hello %s. You may use no target; ask the "
		    "gateway's administrator.\n", s->user->name);
		status = session_send_out(s, b.data, b.len) == 0 ? EXIT_OK :
		    EXIT_UNREACH;
		goto out;
	}
	buf_printf(&b, "Hello %s. Targets you may use:\n\n", s->user->name);
	for (i = 0; i < n; i++) {
		buf_printf(&b, "  %2zu) ", i + 1);
		render_escape(&b, allowed[i]->name, strlen(allowed[i]->name));
		buf_printf(&b, " (%s)\n", config_driver_name(allowed[i]->driver));
	}
	buf_adds(&b, "\nNext time, go straight there with "
	    "\"ssh -t ... connect TARGET\".\n");
	if (session_send_out(s, b.data, b.len) != 0)
		goto out;
	for (;;) {
		if (tssh_choose_say(s, "Target (number or name, Ctrl-D to "
		    "leave): ") != 0)
			goto out;
		if ((r = tssh_choose_line(s, &line)) <= 0) {
			status = r == 0 ? EXIT_OK : EXIT_UNREACH;
			goto out;
		}
		choice = buf_cstr(&line);
		t = NULL;
		k = tssh_choose_number(choice);
		if (k >= 1 && k <= (long long)n)
			t = allowed[k - 1];
		for (i = 0; t == NULL && i < n; i++)
			if (strcmp(allowed[i]->name, choice) == 0)
				t = allowed[i];
		if (t != NULL)
			break;
		if (line.len > 0 && tssh_choose_say(s, "No such target; "
		    "type its number or its name.\n") != 0)
			goto out;
	}
	argv = xcalloc(3, sizeof *argv);
	argv[0] = xstrdup("connect");
	argv[1] = xstrdup(t->name);
	*argvp = argv;
	*argcp = 2;
	status = EXIT_OK;
out:
	buf_free(&line);
	buf_free(&b);
	free(allowed);
	return (status);
}
