/*
 * monitor.c: the daemon. It loads and checks the configuration and the
 * state directory, holds the vault key and the transcript signing key,
 * listens, forks one session process per connection, enforces session
 * limits, answers the sessions over their channels, reloads on SIGHUP and
 * stops cleanly on SIGTERM. Session processes are not trusted: frames from
 * them are parsed with limits and never block the monitor on a read.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "config.h"
#include "monitor.h"
#include "session.h"
#include "vault.h"
#include "wire.h"

#define MONITOR_MAX_LISTEN	16
#define MONITOR_STOP_WAIT	10	/* seconds before SIGKILL on stop */
#define MONITOR_MAX_CHANNEL_IN	(1024 * 1024)
#define MONITOR_MAX_CHANNEL_OUT	(4 * 1024 * 1024)

struct monitor_child {
	pid_t		 pid;
	int		 via;		/* SESSION_VIA_* */
	uid_t		 peer_uid;	/* the client's uid, seen by us */
	char		*addr;		/* SSH: the client's address */
	char		*ssh_user;	/* SSH: the user it logged in as */
	int		 preauth;	/* SSH: not logged in yet */
	int		 fd;		/* channel, -1 once closed */
	struct buf	 in;		/* partial frames */
	struct buf	 out;		/* frames not yet written */
	int		 notified;	/* told of a reload, not yet asked */
	time_t		 kill_at;	/* SIGKILL if still alive then */
	char		*id;
	char		*user;
	char		*target;
	int		 registered;
};

struct monitor {
	char			*config_path;
	struct config		*cfg;
	unsigned long		 gen;		/* bumped by each reload */
	struct buf		 dump;		/* cfg as text, for sessions */
	struct session_secrets	 secrets;
	int			 listen_fd[MONITOR_MAX_LISTEN];
	char			*listen_path[MONITOR_MAX_LISTEN]; /* unix */
	int			 listen_via[MONITOR_MAX_LISTEN];
	size_t			 nlisten;
	struct monitor_child	*children;
	size_t			 nchildren;
	time_t			 started;
};

static int			 monitor_sigpipe[2] = { -1, -1 };
static volatile sig_atomic_t	 monitor_got_hup, monitor_got_term,
				 monitor_got_chld;

/* Signal handler: note the signal and wake the loop. */
static void
monitor_signal(int sig)
{
	int	 saved = errno;

	if (sig == SIGHUP)
		monitor_got_hup = 1;
	else if (sig == SIGCHLD)
		monitor_got_chld = 1;
	else
		monitor_got_term = 1;
	(void)!write(monitor_sigpipe[1], "", 1);
	errno = saved;
}

/* Log every message from loading a configuration. */
static void
monitor_log_diags(const struct config_diags *d)
{
	size_t	 i;

	for (i = 0; i < d->n; i++)
		log_warn("%s", d->msgs[i]);
}

/* StateDir must exist (it is created if missing), be ours and be 0700. */
static int
monitor_check_state_dir(const char *dir)
{
	struct stat	 st;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		log_error("cannot create StateDir %s: %s", dir,
		    strerror(errno));
		return (-1);
	}
	if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		log_error("StateDir %s is not a directory", dir);
		return (-1);
	}
	if (st.st_uid != geteuid()) {
		log_error("StateDir %s is owned by uid %lu, not by the "
		    "gateway's user (uid %lu)", dir, (unsigned long)st.st_uid,
		    (unsigned long)geteuid());
		return (-1);
	}
	if ((st.st_mode & 07777) != 0700) {
		log_error("StateDir %s has mode %04o; it must be 0700 "
		    "(chmod 700 %s)", dir, (unsigned)(st.st_mode & 07777),
		    dir);
		return (-1);
	}
	return (0);
}

/* Load the transcript signing key (Ed25519), creating it if missing. */
static int
monitor_load_sign_key(struct monitor *m)
{
	unsigned char	 pk[crypto_sign_PUBLICKEYBYTES];
	struct stat	 st;
	char		*dir, *path, *pub;
	int		 fd, rc = -1;
	ssize_t		 r;

	xasprintf(&dir, "%s/keys", m->cfg->state_dir);
	xasprintf(&path, "%s/signing.key", dir);
	xasprintf(&pub, "%s/signing.pub", dir);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		log_error("cannot create %s: %s", dir, strerror(errno));
		goto out;
	}
	m->secrets.sign_key_len = crypto_sign_SECRETKEYBYTES;
	m->secrets.sign_key = sodium_malloc(m->secrets.sign_key_len);
	if (m->secrets.sign_key == NULL)
		fatalx("sodium_malloc failed");
	fd = open(path, O_RDONLY|O_NOFOLLOW|O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		crypto_sign_keypair(pk, m->secrets.sign_key);
		fd = open(path, O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC,
		    0600);
		if (fd < 0 || write(fd, m->secrets.sign_key,
		    m->secrets.sign_key_len) !=
		    (ssize_t)m->secrets.sign_key_len || fsync(fd) != 0) {
			log_error("cannot write %s: %s", path,
			    strerror(errno));
			if (fd >= 0)
				close(fd);
			goto out;
		}
		close(fd);
		fd = open(pub, O_WRONLY|O_CREAT|O_TRUNC|O_NOFOLLOW|O_CLOEXEC,
		    0644);
		if (fd >= 0) {
			(void)!write(fd, pk, sizeof pk);
			close(fd);
		}
		log_info("created the transcript signing key %s", path);
		rc = 0;
		goto out;
	}
	if (fd < 0) {
		log_error("cannot open %s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
		log_error("%s must be a regular file owned by the gateway's "
		    "user with mode 0600 (chmod 600 %s)", path, path);
		close(fd);
		goto out;
	}
	r = read(fd, m->secrets.sign_key, m->secrets.sign_key_len);
	close(fd);
	if (r != (ssize_t)m->secrets.sign_key_len) {
		log_error("%s is damaged (wrong size)", path);
		goto out;
	}
	rc = 0;
out:
	free(dir);
	free(path);
	free(pub);
	return (rc);
}

/*
 * Load the SSH host key (HostKey, default StateDir/keys/
 * ssh_host_ed25519_key) when there is an SSH listener; a missing key is
 * created. Logs its fingerprint.
 */
static int
monitor_load_host_key(struct monitor *m)
{
	char	*path, *fp = NULL, *err = NULL, *addr;
	size_t	 i;
	int	 port, created, ssh = 0;

	for (i = 0; i < m->cfg->nlisten; i++)
		if (config_listen_ssh(m->cfg->listen[i], &addr, &port) == 0) {
			free(addr);
			ssh = 1;
		}
	if (!ssh)
		return (0);
	if (m->cfg->host_key != NULL)
		path = xstrdup(m->cfg->host_key);
	else
		xasprintf(&path, "%s/keys/ssh_host_ed25519_key",
		    m->cfg->state_dir);
	m->secrets.ssh_host_key = transport_ssh_hostkey_load(path, &created,
	    &fp, &err);
	if (m->secrets.ssh_host_key == NULL) {
		log_error("%s", err);
		free(err);
		free(path);
		return (-1);
	}
	log_info("%s SSH host key %s: %s %s", created ? "created the" : "using",
	    path, transport_ssh_key_type(m->secrets.ssh_host_key), fp);
	free(fp);
	free(path);
	return (0);
}

/* Find a child by pid. */
static struct monitor_child *
monitor_find_child(struct monitor *m, pid_t pid)
{
	size_t	 i;

	for (i = 0; i < m->nchildren; i++)
		if (m->children[i].pid == pid)
			return (&m->children[i]);
	return (NULL);
}

/* Forget a child. */
static void
monitor_remove_child(struct monitor *m, struct monitor_child *c)
{
	if (c->fd >= 0)
		close(c->fd);
	buf_free(&c->in);
	buf_free(&c->out);
	free(c->id);
	free(c->user);
	free(c->target);
	free(c->addr);
	free(c->ssh_user);
	*c = m->children[--m->nchildren];
}

/* Give up on a session that misbehaves on its channel. */
static void
monitor_drop_child(struct monitor_child *c, const char *why)
{
	log_warn("session pid %ld: %s; killed", (long)c->pid, why);
	kill(c->pid, SIGKILL);
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	buf_reset(&c->out);
}

/* Write what a session's channel takes now, without blocking. */
static void
monitor_flush_child(struct monitor_child *c)
{
	ssize_t	 w;

	while (c->fd >= 0 && c->out.len > 0) {
		w = write(c->fd, c->out.data, c->out.len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			return;
		if (w <= 0) {
			close(c->fd);
			c->fd = -1;
			buf_reset(&c->out);
			return;
		}
		memmove(c->out.data, c->out.data + w, c->out.len - (size_t)w);
		c->out.len -= (size_t)w;
	}
}

/*
 * Queue a frame for a session. The monitor never blocks on a session: a
 * session that lets its queue grow past the cap is killed.
 */
static void
monitor_queue(struct monitor_child *c, int type, const char *p, size_t len)
{
	unsigned char	 hdr[WIRE_HDR];

	if (c->fd < 0)
		return;
	if (c->out.len + WIRE_HDR + len > MONITOR_MAX_CHANNEL_OUT) {
		monitor_drop_child(c, "does not read its channel");
		return;
	}
	hdr[0] = (unsigned char)type;
	hdr[1] = (len >> 24) & 0xff;
	hdr[2] = (len >> 16) & 0xff;
	hdr[3] = (len >> 8) & 0xff;
	hdr[4] = len & 0xff;
	buf_add(&c->out, hdr, sizeof hdr);
	buf_add(&c->out, p, len);
	monitor_flush_child(c);
}

/* Queue a JSON answer. */
static void
monitor_answer(struct monitor_child *c, int type, json_t *ans)
{
	char	*text;

	text = json_dumps(ans, JSON_COMPACT);
	monitor_queue(c, type, text, strlen(text));
	free(text);
	json_decref(ans);
}

/* Count registered sessions, all or one user's. */
static size_t
monitor_count(struct monitor *m, const char *user)
{
	size_t	 i, n = 0;

	for (i = 0; i < m->nchildren; i++)
		if (m->children[i].registered && (user == NULL ||
		    strcmp(m->children[i].user, user) == 0))
			n++;
	return (n);
}

/*
 * Whether user u is the session's client: for the unix socket the OS user
 * whose uid SO_PEERCRED gave, over SSH the user it logged in as.
 */
static int
monitor_user_is_peer(const struct config_user *u,
    const struct monitor_child *c)
{
	struct passwd	*pw;

	if (c->via == SESSION_VIA_SSH)
		return (c->ssh_user != NULL &&
		    strcmp(c->ssh_user, u->name) == 0);
	if (u->os_user == NULL || (pw = getpwnam(u->os_user)) == NULL)
		return (0);
	return (pw->pw_uid == c->peer_uid);
}

/* Count SSH connections not yet logged in, all or from one address. */
static size_t
monitor_count_preauth(struct monitor *m, const char *addr)
{
	size_t	 i, n = 0;

	for (i = 0; i < m->nchildren; i++)
		if (m->children[i].preauth && (addr == NULL ||
		    strcmp(m->children[i].addr, addr) == 0))
			n++;
	return (n);
}

/*
 * An SSH session logged in: from now on it counts as that user's. A
 * session that claims a second login, or a user there is none of, is
 * killed.
 */
static void
monitor_ssh_auth(struct monitor *m, struct monitor_child *c, const char *p,
    size_t len)
{
	json_t		*req;
	json_error_t	 jerr;
	const char	*user;

	req = json_loadb(p, len, 0, &jerr);
	if (req == NULL || c->via != SESSION_VIA_SSH || !c->preauth ||
	    json_unpack(req, "{s:s}", "user", &user) != 0 ||
	    config_find_user(m->cfg, user) == NULL) {
		json_decref(req);
		monitor_drop_child(c, "sent a bad login note");
		return;
	}
	c->ssh_user = xstrdup(user);
	c->preauth = 0;
	c->kill_at = 0;
	json_decref(req);
}

/*
 * Answer a session's registration: the user must be its client, may use
 * the target under the configuration in force now (the session may have
 * been forked before a reload), and must be within the session limits.
 */
static void
monitor_register(struct monitor *m, struct monitor_child *c,
    const char *p, size_t len)
{
	const struct config_user *u;
	const struct config_target *t;
	json_t			*req;
	json_error_t		 jerr;
	const char		*id, *user, *target;
	json_int_t		 gen;
	char			*reason = NULL;
	size_t			 limit;
	int			 status = EXIT_UNREACH;

	req = json_loadb(p, len, 0, &jerr);
	if (req == NULL || c->registered ||
	    json_unpack(req, "{s:s, s:s, s:s, s:I}", "id", &id, "user", &user,
	    "target", &target, "gen", &gen) != 0) {
		json_decref(req);
		monitor_drop_child(c, "sent a malformed registration");
		return;
	}
	u = config_find_user(m->cfg, user);
	t = config_find_target(m->cfg, target);
	if (u != NULL && !monitor_user_is_peer(u, c)) {
		/* The session process claims someone its client is not. */
		json_decref(req);
		monitor_drop_child(c, "claimed a user its client is not");
		return;
	}
	limit = u != NULL && u->max_sessions > 0 ? (size_t)u->max_sessions :
	    (size_t)m->cfg->max_sessions_per_user;
	if (u == NULL || t == NULL || !config_user_allowed(u, t)) {
		xasprintf(&reason, "user %s may not use target \"%s\" (the "
		    "configuration was reloaded)", user, target);
		status = EXIT_AUTH;
	} else if (monitor_count(m, NULL) >= (size_t)m->cfg->max_sessions)
		xasprintf(&reason, "too many sessions on the gateway "
		    "(MaxSessions %d); try again later", m->cfg->max_sessions);
	else if (monitor_count(m, user) >= limit)
		xasprintf(&reason, "user %s already has %zu sessions (the "
		    "limit); try again later", user, limit);
	if (reason == NULL) {
		c->registered = 1;
		c->id = xstrdup(id);
		c->user = xstrdup(user);
		c->target = xstrdup(target);
		/* A session forked before a reload asks for the new config. */
		monitor_answer(c, WIRE_M_REGOK, json_pack("{s:b, s:b}", "ok", 1,
		    "stale", (unsigned long)gen != m->gen));
	} else {
		log_warn("session for %s on %s refused: %s", user, target,
		    reason);
		monitor_answer(c, WIRE_M_REGOK, json_pack("{s:b, s:s, s:i}",
		    "ok", 0, "reason", reason, "status", status));
	}
	free(reason);
	json_decref(req);
}

/* Answer a status query. */
static void
monitor_status(struct monitor *m, struct monitor_child *c)
{
	monitor_answer(c, WIRE_M_STATUSOK, json_pack(
	    "{s:s, s:I, s:I, s:I, s:I, s:s}",
	    "version", PACKAGE_VERSION, "pid", (json_int_t)getpid(),
	    "uptime_s", (json_int_t)(time(NULL) - m->started),
	    "sessions", (json_int_t)monitor_count(m, NULL),
	    "connections", (json_int_t)m->nchildren,
	    "config", m->config_path));
}

/* Read what a session sent and act on every whole frame. */
static void
monitor_child_input(struct monitor *m, struct monitor_child *c)
{
	char	 tmp[8192];
	ssize_t	 r;
	size_t	 len, off = 0;
	int	 type;

	r = read(c->fd, tmp, sizeof tmp);
	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r <= 0) {
		/* The session is done (its record is being synced): it no
		 * longer counts against the limits. */
		close(c->fd);
		c->fd = -1;
		c->registered = 0;
		return;
	}
	buf_add(&c->in, tmp, (size_t)r);
	while (c->in.len - off >= WIRE_HDR) {
		const unsigned char *h = (unsigned char *)c->in.data + off;

		type = h[0];
		len = ((size_t)h[1] << 24) | ((size_t)h[2] << 16) |
		    ((size_t)h[3] << 8) | h[4];
		if (len > MONITOR_MAX_CHANNEL_IN) {
			monitor_drop_child(c, "sent an oversized frame");
			return;
		}
		if (c->in.len - off < WIRE_HDR + len)
			break;
		switch (type) {
		case WIRE_M_REGISTER:
			monitor_register(m, c, (char *)h + WIRE_HDR, len);
			break;
		case WIRE_M_STATUS:
			monitor_status(m, c);
			break;
		case WIRE_M_GETCONF:
			c->notified = 0;
			monitor_queue(c, WIRE_M_CONFIG, m->dump.data,
			    m->dump.len);
			break;
		case WIRE_M_AUTH:
			monitor_ssh_auth(m, c, (char *)h + WIRE_HDR, len);
			break;
		default:
			log_warn("unknown frame 0x%02x from session pid %ld",
			    type, (long)c->pid);
			break;
		}
		off += WIRE_HDR + len;
		if (c->fd < 0)
			return;
	}
	if (off > 0) {
		memmove(c->in.data, c->in.data + off, c->in.len - off);
		c->in.len -= off;
	}
}

/* Reap exited sessions, logging their status and peak memory. */
static void
monitor_reap(struct monitor *m)
{
	struct monitor_child	*c;
	struct rusage		 ru;
	pid_t			 pid;
	int			 st;

	while ((pid = wait4(-1, &st, WNOHANG, &ru)) > 0) {
		c = monitor_find_child(m, pid);
		if (WIFEXITED(st))
			log_info("session %s %s@%s ended: exit %d "
			    "peak_rss_kb=%ld", c && c->id ? c->id : "-",
			    c && c->user ? c->user : c && c->ssh_user ?
			    c->ssh_user : "-",
			    c && c->target ? c->target : "-",
			    WEXITSTATUS(st), ru.ru_maxrss);
		else
			log_warn("session %s (pid %ld) killed by signal %d",
			    c && c->id ? c->id : "-", (long)pid,
			    WIFSIGNALED(st) ? WTERMSIG(st) : 0);
		if (c != NULL)
			monitor_remove_child(m, c);
	}
}

/*
 * Admit an SSH connection: within MaxStartups and PerSourceMaxStartups of
 * connections not yet logged in. 0 and *addr (caller frees), or -1.
 */
static int
monitor_admit_ssh(struct monitor *m, int fd, char **addr)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 len = sizeof ss;
	char			 text[INET6_ADDRSTRLEN] = "unknown";
	size_t			 n;

	if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->
			    sin_addr, text, sizeof text);
		else if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
			inet_ntop(AF_INET, &sin6->sin6_addr.s6_addr[12], text,
			    sizeof text);
		else
			inet_ntop(AF_INET6, &sin6->sin6_addr, text,
			    sizeof text);
	}
	if ((n = monitor_count_preauth(m, NULL)) >=
	    (size_t)m->cfg->max_startups) {
		log_warn("ssh: connection from %s refused: %zu connections "
		    "are not logged in yet (MaxStartups %d)", text, n,
		    m->cfg->max_startups);
		return (-1);
	}
	if ((n = monitor_count_preauth(m, text)) >=
	    (size_t)m->cfg->per_source_max_startups) {
		log_warn("ssh: connection from %s refused: %zu connections "
		    "from it are not logged in yet (PerSourceMaxStartups %d)",
		    text, n, m->cfg->per_source_max_startups);
		return (-1);
	}
	*addr = xstrdup(text);
	return (0);
}

/* Accept a connection on listener i and fork its session. */
static void
monitor_accept(struct monitor *m, size_t li)
{
	struct monitor_child	*c;
	sigset_t		 all, old;
	struct ucred		 cred;
	socklen_t		 len;
	int			 fd, sp[2], via = m->listen_via[li];
	pid_t			 pid;
	size_t			 i;
	uid_t			 daemon_uid = geteuid();
	char			*addr = NULL;

	if ((fd = accept4(m->listen_fd[li], NULL, NULL, SOCK_CLOEXEC)) < 0) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("accept: %s", strerror(errno));
		if (errno == EMFILE || errno == ENFILE)
			usleep(100000);	/* do not spin on a full table */
		return;
	}
	/* Connections not yet registered count too, with some slack. */
	if (m->nchildren >= (size_t)m->cfg->max_sessions + 16) {
		static const char msg[] = "dbgate: too many connections to "
		    "the gateway; try again later\n";
		unsigned char st[4] = { 0, 0, 0, EXIT_UNREACH };

		log_warn("connection refused: %zu connections open",
		    m->nchildren);
		if (via == SESSION_VIA_UNIX) {
			(void)wire_write(fd, 'E', msg, sizeof msg - 1);
			(void)wire_write(fd, 'X', st, sizeof st);
		}
		close(fd);
		return;
	}
	memset(&cred, 0, sizeof cred);
	cred.uid = (uid_t)-1;
	len = sizeof cred;
	if (via == SESSION_VIA_SSH) {
		if (monitor_admit_ssh(m, fd, &addr) != 0) {
			close(fd);
			return;
		}
	} else if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
		log_warn("cannot identify a client: %s", strerror(errno));
		close(fd);
		return;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0, sp) != 0) {
		log_warn("socketpair: %s", strerror(errno));
		close(fd);
		free(addr);
		return;
	}
	/* The session sets its own handlers before it takes signals. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if ((pid = fork()) < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		log_warn("fork: %s", strerror(errno));
		close(fd);
		close(sp[0]);
		close(sp[1]);
		free(addr);
		return;
	}
	if (pid == 0) {
		/* The session: nothing of the monitor's but its config and
		 * the secrets it wipes before reading input. */
		for (i = 0; i < m->nlisten; i++)
			close(m->listen_fd[i]);
		for (i = 0; i < m->nchildren; i++)
			if (m->children[i].fd >= 0)
				close(m->children[i].fd);
		close(monitor_sigpipe[0]);
		close(monitor_sigpipe[1]);
		close(sp[0]);
		/* Only an SSH session needs the host key. */
		if (via != SESSION_VIA_SSH) {
			transport_ssh_hostkey_free(m->secrets.ssh_host_key);
			m->secrets.ssh_host_key = NULL;
		}
		session_main(m->cfg, m->gen, fd, via, sp[1], &m->secrets,
		    daemon_uid, &old);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fd);
	close(sp[1]);
	(void)fcntl(sp[0], F_SETFL, fcntl(sp[0], F_GETFL) | O_NONBLOCK);
	m->children = xreallocarray(m->children, m->nchildren + 1,
	    sizeof *m->children);
	c = &m->children[m->nchildren++];
	memset(c, 0, sizeof *c);
	c->pid = pid;
	c->via = via;
	c->peer_uid = cred.uid;
	c->fd = sp[0];
	buf_init(&c->in);
	buf_init(&c->out);
	if (via == SESSION_VIA_SSH) {
		/* Not logged in within LoginGraceTime (it times out itself
		 * a little sooner): killed. */
		c->addr = addr;
		c->preauth = 1;
		if (m->cfg->login_grace_ms > 0)
			c->kill_at = time(NULL) + 10 +
			    (time_t)(m->cfg->login_grace_ms / 1000);
	}
}

/* SIGHUP: load the configuration again; keep the old one if it is bad. */
static void
monitor_reload(struct monitor *m)
{
	struct config		*cfg;
	struct config_diags	 d;
	const struct config_user *u;
	const struct config_target *t;
	char			*reason;
	size_t			 i;

	server_notify("RELOADING=1");
	memset(&d, 0, sizeof d);
	if (config_load(m->config_path, 0, &cfg, &d) != 0) {
		monitor_log_diags(&d);
		log_error("reload of %s failed (%d errors); keeping the "
		    "running configuration", m->config_path, d.nerrors);
		config_diags_free(&d);
		server_notify("READY=1");
		return;
	}
	monitor_log_diags(&d);
	config_diags_free(&d);
	config_free(m->cfg);
	m->cfg = cfg;
	m->gen++;
	buf_reset(&m->dump);
	config_dump(cfg, &m->dump);
	for (i = 0; i < m->nchildren; i++) {
		struct monitor_child *c = &m->children[i];

		if (!c->registered)
			continue;	/* checked when it registers */
		u = config_find_user(cfg, c->user);
		t = config_find_target(cfg, c->target);
		if (u == NULL || t == NULL || !config_user_allowed(u, t)) {
			xasprintf(&reason, "access revoked: user %s may no "
			    "longer use target %s", c->user, c->target);
			log_info("disconnecting session %s: %s", c->id,
			    reason);
			monitor_queue(c, WIRE_M_REVOKE, reason,
			    strlen(reason));
			free(reason);
			kill(c->pid, SIGTERM);
			if (c->kill_at == 0)
				c->kill_at = time(NULL) + MONITOR_STOP_WAIT;
		} else if (!c->notified) {
			/* A small note; the session asks for the rest. */
			monitor_queue(c, WIRE_M_RELOADED, NULL, 0);
			c->notified = 1;
		}
	}
	log_set_level(cfg->log_level);
	log_info("configuration reloaded from %s", m->config_path);
	server_notify("READY=1");
}

/* SIGTERM: stop listening, end every session, wait for them. */
static void
monitor_stop(struct monitor *m)
{
	size_t	 i;
	time_t	 deadline;

	server_notify("STOPPING=1");
	for (i = 0; i < m->nlisten; i++) {
		close(m->listen_fd[i]);
		if (m->listen_path[i] != NULL)
			unlink(m->listen_path[i]);
		free(m->listen_path[i]);
	}
	m->nlisten = 0;
	if (m->nchildren > 0)
		log_info("stopping: ending %zu sessions", m->nchildren);
	for (i = 0; i < m->nchildren; i++)
		kill(m->children[i].pid, SIGTERM);
	deadline = time(NULL) + MONITOR_STOP_WAIT;
	while (m->nchildren > 0 && time(NULL) < deadline) {
		monitor_reap(m);
		if (m->nchildren > 0)
			usleep(20000);
	}
	for (i = 0; i < m->nchildren; i++) {
		log_warn("session pid %ld did not stop; killing it",
		    (long)m->children[i].pid);
		kill(m->children[i].pid, SIGKILL);
	}
	while (m->nchildren > 0) {
		usleep(20000);
		monitor_reap(m);
	}
	log_info("stopped");
}

/* The event loop. */
static void
monitor_loop(struct monitor *m)
{
	struct pollfd	*pfd = NULL;
	size_t		 i, n, nfds;
	char		 drain[64];
	int		 timeout;

	for (;;) {
		if (monitor_got_term)
			break;
		if (monitor_got_chld) {
			monitor_got_chld = 0;
			monitor_reap(m);
		}
		if (monitor_got_hup) {
			monitor_got_hup = 0;
			monitor_reload(m);
		}
		nfds = 1 + m->nlisten + m->nchildren;
		pfd = xreallocarray(pfd, nfds, sizeof *pfd);
		pfd[0].fd = monitor_sigpipe[0];
		pfd[0].events = POLLIN;
		for (i = 0; i < m->nlisten; i++) {
			pfd[1 + i].fd = m->listen_fd[i];
			pfd[1 + i].events = POLLIN;
		}
		timeout = -1;
		for (i = 0; i < m->nchildren; i++) {
			struct monitor_child *c = &m->children[i];

			pfd[1 + m->nlisten + i].fd = c->fd;
			pfd[1 + m->nlisten + i].events = POLLIN |
			    (c->out.len > 0 ? POLLOUT : 0);
			if (c->kill_at != 0) {
				if (time(NULL) >= c->kill_at) {
					log_warn("session %s did not end; "
					    "killing it", c->preauth ?
					    "(not logged in)" : c->id);
					kill(c->pid, SIGKILL);
					c->kill_at = 0;
				} else
					timeout = 1000;
			}
		}
		if (poll(pfd, nfds, timeout) < 0) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (pfd[0].revents & POLLIN)
			while (read(monitor_sigpipe[0], drain,
			    sizeof drain) > 0)
				/* nothing */;
		for (i = 0; i < m->nlisten; i++)
			if (pfd[1 + i].revents & POLLIN)
				monitor_accept(m, i);
		/* Children may have been added; only look at the old ones. */
		n = nfds - 1 - m->nlisten;
		for (i = 0; i < n && i < m->nchildren; i++) {
			if (pfd[1 + m->nlisten + i].fd != m->children[i].fd)
				continue;
			if (pfd[1 + m->nlisten + i].revents & POLLOUT)
				monitor_flush_child(&m->children[i]);
			if (m->children[i].fd >= 0 &&
			    pfd[1 + m->nlisten + i].revents &
			    (POLLIN|POLLHUP|POLLERR))
				monitor_child_input(m, &m->children[i]);
		}
	}
	free(pfd);
}

/* Run the daemon. */
int
monitor_run(const char *config_path)
{
	struct monitor		 m;
	struct config_diags	 d;
	struct sigaction	 sa;
	char			*err = NULL, *vault_path;
	size_t			 i;
	int			 fd, rc = EXIT_USAGE;

	memset(&m, 0, sizeof m);
	m.config_path = xstrdup(config_path);
	m.started = time(NULL);
	backend_clear_env();
	if (sodium_init() < 0)
		fatalx("libsodium failed to initialise");

	memset(&d, 0, sizeof d);
	if (config_load(config_path, 0, &m.cfg, &d) != 0) {
		for (i = 0; i < d.n; i++)
			log_error("%s", d.msgs[i]);
		log_error("%s: %d errors; not starting", config_path,
		    d.nerrors);
		config_diags_free(&d);
		free(m.config_path);
		return (EXIT_USAGE);
	}
	monitor_log_diags(&d);
	config_diags_free(&d);
	log_set_level(m.cfg->log_level);
	buf_init(&m.dump);
	config_dump(m.cfg, &m.dump);
	if (geteuid() != 0)
		log_warn("running as uid %lu, not root: sessions cannot drop "
		    "to SessionUser and share the gateway's uid (no "
		    "privilege separation)", (unsigned long)geteuid());

	if (monitor_check_state_dir(m.cfg->state_dir) != 0)
		goto fail;
	xasprintf(&vault_path, "%s/vault", m.cfg->state_dir);
	/* A new key is made only while there is no vault it could orphan. */
	if ((m.secrets.vault_key = vault_key_load(m.cfg->vault_key,
	    access(vault_path, F_OK) != 0, &err)) == NULL) {
		log_error("%s", err);
		free(err);
		free(vault_path);
		goto fail;
	}
	if (vault_check_file(vault_path, &err) != 0) {
		log_error("%s", err);
		free(err);
		free(vault_path);
		goto fail;
	}
	free(vault_path);
	if (monitor_load_sign_key(&m) != 0)
		goto fail;
	if (geteuid() == 0 && getpwnam(m.cfg->session_user) == NULL) {
		log_error("SessionUser %s does not exist",
		    m.cfg->session_user);
		goto fail;
	}

	if (pipe2(monitor_sigpipe, O_CLOEXEC|O_NONBLOCK) != 0)
		fatal("pipe");
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = monitor_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	if (monitor_load_host_key(&m) != 0)
		goto fail;
	for (i = 0; i < m.cfg->nlisten && i < MONITOR_MAX_LISTEN; i++) {
		const char	*path = m.cfg->listen[i] + strlen("unix:");
		char		*addr;
		int		 port;

		if (config_listen_ssh(m.cfg->listen[i], &addr, &port) == 0) {
			fd = server_listen_tcp(addr, port, &err);
			free(addr);
			path = NULL;
		} else
			fd = server_listen_unix(path, &err);
		if (fd < 0) {
			log_error("%s", err);
			free(err);
			goto fail;
		}
		m.listen_fd[m.nlisten] = fd;
		m.listen_via[m.nlisten] = path == NULL ? SESSION_VIA_SSH :
		    SESSION_VIA_UNIX;
		m.listen_path[m.nlisten++] = path != NULL ? xstrdup(path) :
		    NULL;
		log_info("listening on %s", m.cfg->listen[i]);
	}
	rc = EXIT_OK;
	log_info("dbgate %s started (pid %ld, config %s)", PACKAGE_VERSION,
	    (long)getpid(), config_path);
	server_notify("READY=1");
	monitor_loop(&m);
fail:
	monitor_stop(&m);
	vault_key_free(m.secrets.vault_key);
	if (m.secrets.sign_key != NULL)
		sodium_free(m.secrets.sign_key);
	transport_ssh_hostkey_free(m.secrets.ssh_host_key);
	config_free(m.cfg);
	buf_free(&m.dump);
	free(m.config_path);
	free(m.children);
	return (rc);
}
