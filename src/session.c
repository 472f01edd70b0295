/*
 * session.c: the session process, one per client connection, forked by the
 * monitor. It identifies the caller (SO_PEERCRED on the unix socket, a
 * public-key login over SSH: transport-ssh.c), reads one command,
 * and for exec opens the backend connection, wipes the secrets inherited
 * from the monitor, drops privileges and becomes non-dumpable before it
 * reads any SQL. Everything from the client is untrusted.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <jansson.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "argsplit.h"
#include "cmd.h"
#include "detect.h"
#include "maskcat.h"
#include "policy.h"
#include "session.h"
#include "transcript.h"
#include "vault.h"
#include "wire.h"

/* Cached relation resolutions kept at most (then the cache starts over). */
#define SESSION_MAX_RESOLVED	256

static int	session_resolve(void *, const char *, char *const *, size_t,
		    char **);

#define SESSION_ARGV_TIMEOUT	30	/* seconds to send the command */

static struct session	*session_current;

static void	session_vmessage(struct session *, int, const char *, va_list)
		    printflike(3, 0);

/* Old configurations stay alive: pointers into them may still be held. */
static struct config	**session_old_cfgs;
static size_t		  session_nold_cfgs;

/* SIGTERM: end the session at the next safe point, cancelling a query. */
static void
session_sigterm(int sig)
{
	struct session	*s = session_current;

	(void)sig;
	if (s == NULL)
		return;
	s->terminate = 1;
	if (s->backend != NULL && s->bops != NULL)
		s->bops->cancel(s->backend);
}

/* Deliver a recorded chunk of stdout to the client (writer thread). */
static int
session_deliver(void *arg, const char *data, size_t len)
{
	struct session	*s = arg;

	return (s->tr->send(s->tr, 1, data, len));
}

/*
 * Wait until every queued chunk of stdout is recorded and sent. 0, or -1:
 * the record failed (output refused) or the client went away.
 */
int
session_drain_out(struct session *s)
{
	char	*err = NULL;
	int	 kind;

	if (!s->out_pending)
		return (0);
	s->out_pending = 0;
	if (transcript_output_wait(s->transcript, &kind, &err) == 0)
		return (0);
	if (kind == TRANSCRIPT_F_RECORD) {
		s->record_failed = 1;
		log_error("%s", err);
		session_errorf(s, "output refused: %s", err);
	}
	free(err);
	return (-1);
}

/*
 * Deliver a chunk of stdout: queue it for the record's writer, which
 * records it and only then sends it, while this thread produces the next.
 */
static int
session_flush_out(struct out *out, const char *data, size_t len)
{
	struct session	*s = out->arg;
	char		*err = NULL;

	if (s->transcript == NULL)
		return (s->tr->send(s->tr, 1, data, len));
	s->out_pending = 1;
	if (transcript_output_queue(s->transcript, 1, data, len,
	    session_deliver, s, &err) != 0) {
		free(err);
		(void)session_drain_out(s);	/* says why, if it can */
		return (-1);
	}
	return (0);
}

/* Send on stdout, recorded first. */
int
session_send_out(struct session *s, const char *data, size_t len)
{
	buf_add(&s->out.buf, data, len);
	if (out_flush(&s->out) != 0)
		return (-1);
	return (session_drain_out(s));
}

/* A message on stderr, escaped and recorded. */
void
session_errorf(struct session *s, const char *fmt, ...)
{
	va_list		 ap;

	va_start(ap, fmt);
	session_vmessage(s, 1, fmt, ap);
	va_end(ap);
}

/* The same, escaped only if escape is set. */
void
session_messagef(struct session *s, int escape, const char *fmt, ...)
{
	va_list		 ap;

	va_start(ap, fmt);
	session_vmessage(s, escape, fmt, ap);
	va_end(ap);
}

/* A message on stderr, recorded; escaped if asked. */
static void
session_vmessage(struct session *s, int escape, const char *fmt, va_list ap)
{
	struct buf	 b;
	char		*msg, *err = NULL;

	/* Whatever stdout was produced before this comes first. */
	if (!s->record_failed && !s->in_errorf) {
		s->in_errorf = 1;
		if (out_flush(&s->out) == 0)
			(void)session_drain_out(s);
		s->in_errorf = 0;
	}
	xvasprintf(&msg, fmt, ap);
	buf_init(&b);
	buf_adds(&b, "dbgate: ");
	if (escape)
		render_escape(&b, msg, strlen(msg));
	else
		buf_adds(&b, msg);
	buf_addc(&b, '\n');
	free(msg);
	if (s->transcript != NULL && (s->record_failed ||
	    transcript_output(s->transcript, 2, b.data, b.len, &err) != 0)) {
		/*
		 * Not recorded, so not shown: a message can carry data from
		 * the database. Say only that the record failed, once.
		 */
		free(err);
		buf_reset(&b);
		if (!s->record_failed || !s->told_record_failed)
			buf_adds(&b, "dbgate: the session record cannot be "
			    "written; output refused\n");
		s->record_failed = s->told_record_failed = 1;
	}
	if (b.len > 0)
		(void)s->tr->send(s->tr, 2, b.data, b.len);
	buf_free(&b);
}

/* Take a new configuration sent by the monitor. */
static void
session_apply_config(struct session *s, const char *text, size_t len)
{
	struct config		*cfg;
	struct config_diags	 d;
	const struct config_user *u;
	const struct config_target *t;

	memset(&d, 0, sizeof d);
	if (config_load_buffer("reload", text, len, CONFIG_NOFILES, &cfg,
	    &d) != 0) {
		/* The monitor checked it; keep the old one. */
		log_warn("new configuration from the monitor did not load");
		config_diags_free(&d);
		return;
	}
	config_diags_free(&d);
	u = s->user != NULL ? config_find_user(cfg, s->user->name) : NULL;
	t = s->target != NULL ? config_find_target(cfg, s->target->name) :
	    NULL;
	if (s->user != NULL && u == NULL) {
		xasprintf(&s->revoked, "user %s was removed from the "
		    "configuration", s->user->name);
		s->terminate = 1;
	} else if (s->target != NULL && (t == NULL ||
	    !config_user_allowed(u, t))) {
		xasprintf(&s->revoked, "user %s may no longer use target %s",
		    s->user->name, s->target->name);
		s->terminate = 1;
	}
	if (s->revoked != NULL) {
		config_free(cfg);
		return;
	}
	session_old_cfgs = xreallocarray(session_old_cfgs,
	    session_nold_cfgs + 1, sizeof *session_old_cfgs);
	session_old_cfgs[session_nold_cfgs++] = s->cfg;
	s->cfg = cfg;
	s->user = u;
	if (t != NULL)
		s->target = t;
	s->config_changes++;
	if (s->maskcat != NULL && s->target != NULL)
		maskcat_set_policy(s->maskcat, config_find_policy(s->cfg,
		    s->target->policy));
	log_set_level(cfg->log_level);
	log_debug("configuration reloaded");
}

/* Handle one frame from the monitor that was not asked for. */
static void
session_monitor_frame(struct session *s, int type, struct buf *p)
{
	switch (type) {
	case WIRE_M_RELOADED:
		s->reload_pending = 1;	/* fetched at the next safe point */
		break;
	case WIRE_M_REVOKE:
		if (s->revoked == NULL)
			s->revoked = xstrndup(p->data, p->len);
		s->terminate = 1;
		break;
	default:
		log_warn("unexpected frame 0x%02x from the monitor", type);
		break;
	}
}

static int	session_monitor_call(struct session *, int, const char *, int,
		    struct buf *);

/* Ask the monitor for the configuration in force and take it. */
static void
session_fetch_config(struct session *s)
{
	struct buf	 reply;

	s->reload_pending = 0;
	buf_init(&reply);
	if (session_monitor_call(s, WIRE_M_GETCONF, "", WIRE_M_CONFIG,
	    &reply) == 0)
		session_apply_config(s, reply.data, reply.len);
	buf_free(&reply);
}

/* Apply pending monitor messages without blocking. */
int
session_poll_monitor(struct session *s)
{
	struct pollfd	 pfd;
	struct buf	 p;
	int		 type, r;

	if (s->monitor_fd < 0)
		return (s->revoked != NULL ? -1 : 0);
	buf_init(&p);
	for (;;) {
		pfd.fd = s->monitor_fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 0) <= 0)
			break;
		r = wire_read(s->monitor_fd, &type, &p, WIRE_MAX_FRAME);
		if (r <= 0) {
			/* The monitor is gone: the gateway is stopping. */
			close(s->monitor_fd);
			s->monitor_fd = -1;
			s->terminate = 1;
			break;
		}
		session_monitor_frame(s, type, &p);
	}
	buf_free(&p);
	if (s->reload_pending && s->revoked == NULL)
		session_fetch_config(s);
	return (s->revoked != NULL ? -1 : 0);
}

/* Send a request to the monitor and wait for its answer of type want. */
static int
session_monitor_call(struct session *s, int type, const char *payload,
    int want, struct buf *reply)
{
	int	 got, r;

	if (s->monitor_fd < 0 || wire_write(s->monitor_fd, type, payload,
	    strlen(payload)) != 0)
		return (-1);
	for (;;) {
		r = wire_read(s->monitor_fd, &got, reply, WIRE_MAX_FRAME);
		if (r < 0 && errno == EINTR && !s->terminate)
			continue;
		if (r <= 0)
			return (-1);
		if (got == want)
			return (0);
		session_monitor_frame(s, got, reply);
	}
}

/* Ask the monitor for its status. */
char *
session_monitor_status(struct session *s)
{
	struct buf	 reply;
	char		*out = NULL;

	buf_init(&reply);
	if (session_monitor_call(s, WIRE_M_STATUS, "{}", WIRE_M_STATUSOK,
	    &reply) == 0)
		out = xstrndup(reply.data, reply.len);
	buf_free(&reply);
	return (out);
}

/* Register this session with the monitor, which enforces the limits. */
static int
session_register(struct session *s, char **reason)
{
	struct buf	 reply;
	json_t		*req, *ans;
	json_error_t	 jerr;
	char		*text;
	int		 rc = -1;

	req = json_pack("{s:s, s:s, s:s, s:I}", "id", s->id, "user",
	    s->user->name, "target", s->target->name, "gen",
	    (json_int_t)s->config_gen);
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	buf_init(&reply);
	if (session_monitor_call(s, WIRE_M_REGISTER, text, WIRE_M_REGOK,
	    &reply) != 0) {
		*reason = xstrdup("the gateway is shutting down");
		goto out;
	}
	ans = json_loadb(reply.data, reply.len, 0, &jerr);
	if (ans != NULL && json_is_true(json_object_get(ans, "ok"))) {
		rc = 0;
		if (json_is_true(json_object_get(ans, "stale")))
			s->reload_pending = 1;
	} else {
		*reason = xstrdup(ans != NULL && json_string_value(
		    json_object_get(ans, "reason")) != NULL ?
		    json_string_value(json_object_get(ans, "reason")) :
		    "refused by the gateway");
		if (ans != NULL && json_integer_value(json_object_get(ans,
		    "status")) == EXIT_AUTH)
			rc = -2;
	}
	json_decref(ans);
out:
	free(text);
	buf_free(&reply);
	return (rc);
}

/*
 * The key of the hash masking strategy: derived from the gateway's
 * signing key, so it is the same for every session of this gateway and
 * never stored on its own.
 */
static void
session_derive_mask_key(struct session *s)
{
	static const char	 ctx[] = "dbgate mask hash key v1";

	if (s->mask_key != NULL)
		return;
	if ((s->mask_key = sodium_malloc(MASK_KEY_BYTES)) == NULL)
		fatalx("out of memory");
	if (s->secrets.sign_key != NULL)
		crypto_generichash(s->mask_key, MASK_KEY_BYTES,
		    (const unsigned char *)ctx, sizeof ctx - 1,
		    s->secrets.sign_key, crypto_generichash_KEYBYTES);
	else
		randombytes_buf(s->mask_key, MASK_KEY_BYTES);
}

/* Wipe every secret inherited from the monitor. */
static void
session_wipe_secrets(struct session *s)
{
	session_derive_mask_key(s);
	vault_key_free(s->secrets.vault_key);
	s->secrets.vault_key = NULL;
	if (s->secrets.sign_key != NULL) {
		sodium_memzero(s->secrets.sign_key, s->secrets.sign_key_len);
		sodium_free(s->secrets.sign_key);
		s->secrets.sign_key = NULL;
	}
	transport_ssh_hostkey_free(s->secrets.ssh_host_key);
	s->secrets.ssh_host_key = NULL;
}

/* Who the peer is, for log lines (static buffer). */
static const char *
session_peer(const struct session *s)
{
	static char	 text[128];

	if (s->via == SESSION_VIA_SSH)
		snprintf(text, sizeof text, "ssh from %s", s->peer_addr);
	else
		snprintf(text, sizeof text, "uid %lu, pid %ld",
		    (unsigned long)s->peer_uid, (long)s->peer_pid);
	return (text);
}

/* The session-start event: who, from where, on what. */
static json_t *
session_start_event(const struct session *s)
{
	json_t	*ev;

	ev = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:s?, s:s}",
	    "format", TRANSCRIPT_FORMAT, "session", s->id,
	    "user", s->user->name, "os_user",
	    s->via == SESSION_VIA_UNIX ? s->peer_name : NULL,
	    "target", s->target->name,
	    "driver", config_driver_name(s->target->driver),
	    "correlation_id", s->correlation_id,
	    "via", s->via == SESSION_VIA_SSH ? "ssh" : "unix");
	if (s->via == SESSION_VIA_SSH)
		json_object_set_new(ev, "from", json_string(s->peer_addr));
	else {
		json_object_set_new(ev, "uid",
		    json_integer((json_int_t)s->peer_uid));
		json_object_set_new(ev, "pid",
		    json_integer((json_int_t)s->peer_pid));
	}
	return (ev);
}

/* Drop to SessionUser (when root) and become non-dumpable. */
static int
session_drop_privileges(struct session *s, char **err)
{
	return (session_drop_to(s->cfg->session_user, err));
}

/* Drop to user (when root) and become non-dumpable; see session.h. */
int
session_drop_to(const char *user, char **err)
{
	struct passwd	*pw;
	struct rlimit	 rl = { 0, 0 };

	if (geteuid() == 0) {
		if ((pw = getpwnam(user)) == NULL) {
			xasprintf(err, "SessionUser %s does not exist", user);
			return (-1);
		}
		if (setgroups(1, &pw->pw_gid) != 0 ||
		    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) != 0 ||
		    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) != 0) {
			xasprintf(err, "cannot drop privileges to %s: %s",
			    user, strerror(errno));
			return (-1);
		}
		if (pw->pw_uid != 0 && setuid(0) != -1) {
			xasprintf(err, "privileges could be regained");
			return (-1);
		}
	}
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0 ||
	    setrlimit(RLIMIT_CORE, &rl) != 0) {
		xasprintf(err, "cannot make the session non-dumpable: %s",
		    strerror(errno));
		return (-1);
	}
	return (0);
}

/* Record an event; a failure marks the record failed. */
void
session_record(struct session *s, const char *type, json_t *ev)
{
	char	*err = NULL;

	if (s->transcript == NULL) {
		json_decref(ev);
		return;
	}
	(void)session_drain_out(s);
	if (transcript_event(s->transcript, type, ev, &err) != 0) {
		s->record_failed = 1;
		free(err);
	}
}

/* Record an event behind the queued output, without waiting for it. */
void
session_record_queue(struct session *s, const char *type, json_t *ev)
{
	char	*err = NULL;

	if (s->transcript == NULL) {
		json_decref(ev);
		return;
	}
	s->out_pending = 1;
	if (transcript_event_queue(s->transcript, type, ev, &err) != 0) {
		free(err);
		/* The queue failed (the drain says why), or the event
		 * could not be encoded or the writer started: either way
		 * it is not recorded. */
		if (session_drain_out(s) == 0)
			s->record_failed = 1;
	}
}

/*
 * Open the REPL history of this user on this target, before privileges are
 * dropped: StateDir/history/USER/TARGET, 0600 in directories of 0700.
 * Returns the descriptor, or -1 (logged: the session goes on without).
 */
static int
session_open_history(struct session *s)
{
	char	*dir, *path;
	int	 fd;

	xasprintf(&dir, "%s/history", s->cfg->state_dir);
	(void)mkdir(dir, 0700);
	free(dir);
	xasprintf(&dir, "%s/history/%s", s->cfg->state_dir, s->user->name);
	(void)mkdir(dir, 0700);
	xasprintf(&path, "%s/%s", dir, s->target->name);
	free(dir);
	fd = open(path, O_RDWR|O_CREAT|O_CLOEXEC|O_NOFOLLOW, 0600);
	if (fd < 0)
		log_warn("cannot open the history %s: %s", path,
		    strerror(errno));
	free(path);
	return (fd);
}

/* Open the session on a target. */
int
session_open(struct session *s, const char *name)
{
	struct backend_params	 bp;
	unsigned char		 rnd[8];
	char			*err = NULL, *vault_path, *appname, prefix[256];
	size_t			 i;
	int			 r;

	if ((s->target = config_find_target(s->cfg, name)) == NULL ||
	    !config_user_allowed(s->user, s->target)) {
		log_warn("user %s (%s) refused on target \"%s\": %s",
		    s->user->name, session_peer(s), name,
		    s->target == NULL ? "no such target" : "not allowed");
		session_errorf(s, "user %s may not use target \"%s\" (see "
		    "\"dbgate targets\")", s->user->name, name);
		s->target = NULL;
		return (EXIT_AUTH);
	}
	randombytes_buf(rnd, sizeof rnd);
	for (i = 0; i < sizeof rnd; i++)
		snprintf(s->id + 2 * i, 3, "%02x", rnd[i]);
	snprintf(prefix, sizeof prefix, "sess=%s %s@%s", s->id,
	    s->user->name, s->target->name);
	log_set_prefix(prefix);

	if ((r = session_register(s, &err)) != 0) {
		session_errorf(s, "%s", err);
		log_warn("session refused: %s", err);
		free(err);
		return (r == -2 ? EXIT_AUTH : EXIT_UNREACH);
	}
	/* Forked before a reload: take the configuration in force now. */
	if (s->reload_pending) {
		session_fetch_config(s);
		if (s->revoked != NULL) {
			session_errorf(s, "%s", s->revoked);
			return (EXIT_AUTH);
		}
	}
	s->transcript = transcript_open(s->cfg->state_dir, s->id, time(NULL),
	    &err);
	if (s->transcript == NULL) {
		log_error("%s", err);
		session_errorf(s, "refused: %s", err);
		free(err);
		return (EXIT_INTERNAL);
	}
	if (transcript_event(s->transcript, "session-start",
	    session_start_event(s), &err) != 0) {
		log_error("%s", err);
		session_errorf(s, "refused: %s", err);
		free(err);
		return (EXIT_INTERNAL);
	}

	s->bops = backend_ops_for(s->target->driver);
	xasprintf(&vault_path, "%s/vault", s->cfg->state_dir);
	xasprintf(&appname, "dbgate:%s:%s", s->user->name, s->id);
	memset(&bp, 0, sizeof bp);
	bp.connect = s->target->connect;
	bp.application_name = appname;
	bp.limits = &s->target->limits;
	bp.read_only = s->read_only = policy_read_only(s->target, s->user);
	bp.interactive = s->want_history;
	r = backend_connect_vault(s->bops, vault_path, s->secrets.vault_key,
	    s->target->name, &bp, &s->backend, NULL, &err);
	free(vault_path);
	free(appname);
	session_wipe_secrets(s);
	if (r == -1) {
		log_error("vault: %s", err);
		session_errorf(s, "cannot read the credentials for target "
		    "\"%s\" (see the gateway's log)", s->target->name);
		free(err);
		return (EXIT_INTERNAL);
	}
	if (r != 0) {
		s->backend = NULL;
		log_warn("cannot connect to target %s: %s", s->target->name,
		    err);
		session_record(s, "connect-failed", json_pack("{s:s}",
		    "message", err));
		session_errorf(s, "cannot connect to target \"%s\": %s",
		    s->target->name, err);
		free(err);
		return (EXIT_UNREACH);
	}
	guard_ctx_init(&s->guard, s->bops->dialect);
	s->guard.read_only = s->read_only;
	if (s->bops->guard_init(s->backend, &s->guard, &err) != 0) {
		session_errorf(s, "cannot read the session's state from target "
		    "\"%s\": %s", s->target->name, err);
		free(err);
		return (EXIT_UNREACH);
	}
	s->maskcat = maskcat_new(config_find_policy(s->cfg, s->target->policy),
	    s->bops, s->backend);
	s->guard.masked = maskcat_masked;
	s->guard.columns = maskcat_columns;
	s->guard.masked_arg = s->maskcat;
	if (s->guard.resolve != NULL) {
		/* Each name is looked up once until something may change it. */
		s->resolve = s->guard.resolve;
		s->resolve_arg = s->guard.resolve_arg;
		s->guard.resolve = session_resolve;
		s->guard.resolve_arg = s;
	}
	if (s->want_history)
		s->history_fd = session_open_history(s);
	if (session_drop_privileges(s, &err) != 0) {
		log_error("%s", err);
		session_errorf(s, "internal error: %s", err);
		free(err);
		return (EXIT_INTERNAL);
	}
	session_record(s, "connected", json_pack("{s:s}", "server_version",
	    s->bops->server_version(s->backend)));
	if (s->record_failed) {
		session_errorf(s, "refused: the session record cannot be "
		    "written");
		return (EXIT_INTERNAL);
	}
	log_info("session started (%s)", session_peer(s));
	return (EXIT_OK);
}

/* Build the cache key of a resolution. */
static char *
session_resolve_key(const char *name, char *const *path, size_t npath,
    size_t *lenp)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	buf_add(&b, name, strlen(name) + 1);
	for (i = 0; i < npath; i++)
		buf_add(&b, path[i], strlen(path[i]) + 1);
	*lenp = b.len;
	return (b.data);
}

/* The backend's resolver through the session's cache; see guard.h. */
static int
session_resolve(void *arg, const char *name, char *const *path, size_t npath,
    char **schema)
{
	struct session		*s = arg;
	struct session_resolved	*e;
	char			*key, *found = NULL;
	size_t			 len, i;
	int			 r;

	key = session_resolve_key(name, path, npath, &len);
	for (i = 0; i < s->nresolved; i++) {
		e = &s->resolved[i];
		if (e->keylen == len && memcmp(e->key, key, len) == 0) {
			free(key);
			if (e->schema == NULL)
				return (1);
			*schema = xstrdup(e->schema);
			return (0);
		}
	}
	r = s->resolve(s->resolve_arg, name, path, npath, &found);
	if (r < 0) {
		free(key);
		return (r);		/* not cached: it may work next time */
	}
	if (s->nresolved >= SESSION_MAX_RESOLVED)
		session_forget_resolved(s);
	s->resolved = xreallocarray(s->resolved, s->nresolved + 1,
	    sizeof *s->resolved);
	e = &s->resolved[s->nresolved++];
	e->key = key;
	e->keylen = len;
	e->schema = r == 0 ? xstrdup(found) : NULL;
	if (r == 0)
		*schema = found;
	return (r);
}

/* Forget cached resolutions; see session.h. */
void
session_forget_resolved(struct session *s)
{
	size_t	 i;

	if (s->maskcat != NULL)
		maskcat_forget(s->maskcat);
	for (i = 0; i < s->nresolved; i++) {
		free(s->resolved[i].key);
		free(s->resolved[i].schema);
	}
	free(s->resolved);
	s->resolved = NULL;
	s->nresolved = 0;
}

/* End the record and close the backend. */
void
session_close(struct session *s, int status, const char *reason)
{
	if (s->transcript != NULL)
		session_record(s, "session-end", json_pack("{s:i, s:s?}",
		    "exit_status", status, "reason", reason));
	if (s->backend != NULL) {
		struct backend	*b = s->backend;
		sigset_t	 all, old;

		/* The SIGTERM handler must not cancel on a closing backend. */
		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, &old);
		s->backend = NULL;
		sigprocmask(SIG_SETMASK, &old, NULL);
		s->bops->close(b);
	}
	guard_ctx_free(&s->guard);
	session_forget_resolved(s);
	maskcat_free(s->maskcat);
	s->maskcat = NULL;
	if (s->mask_key != NULL) {
		sodium_free(s->mask_key);	/* zeroes it */
		s->mask_key = NULL;
	}
}

/* Identify the peer of a unix socket. */
static int
session_identify(struct session *s, int fd, uid_t daemon_uid)
{
	struct ucred	 cred;
	socklen_t	 len = sizeof cred;
	struct passwd	*pw;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
		return (-1);
	s->peer_uid = cred.uid;
	s->peer_pid = cred.pid;
	if ((pw = getpwuid(cred.uid)) != NULL)
		s->peer_name = xstrdup(pw->pw_name);
	else
		xasprintf(&s->peer_name, "uid%lu", (unsigned long)cred.uid);
	s->user = config_find_os_user(s->cfg, s->peer_name);
	s->admin_peer = cred.uid == 0 || cred.uid == daemon_uid;
	return (0);
}

/*
 * The unix socket way in: identify the peer (SO_PEERCRED) and read its
 * command. Returns EXIT_OK with *argv (caller frees), or the exit status
 * to end with.
 */
static int
session_accept_unix(struct session *s, int fd, uid_t daemon_uid,
    char ***argv, int *argc)
{
	struct buf	 p;
	char		*err = NULL;
	int		 type, r;

	s->tr = transport_unix_new(fd);
	if (session_identify(s, fd, daemon_uid) != 0) {
		log_warn("cannot identify a client: %s", strerror(errno));
		return (EXIT_AUTH);
	}
	/* Strangers are turned away before they may send anything. */
	if (s->user == NULL && !s->admin_peer) {
		log_warn("unknown peer: uid %lu (%s), pid %ld",
		    (unsigned long)s->peer_uid, s->peer_name,
		    (long)s->peer_pid);
		session_errorf(s, "OS user %s is not a dbgate user (no User "
		    "block has OSUser %s)", s->peer_name, s->peer_name);
		return (EXIT_AUTH);
	}

	/* The command, within a time limit. */
	buf_init(&p);
	alarm(SESSION_ARGV_TIMEOUT);
	r = wire_read(fd, &type, &p, WIRE_MAX_FRAME);
	alarm(0);
	if (r <= 0 || type != WIRE_ARGV ||
	    wire_unpack_argv(p.data, p.len, argv, argc, &err) != 0) {
		log_warn("uid %lu sent a malformed request%s%s",
		    (unsigned long)s->peer_uid, err ? ": " : "",
		    err ? err : "");
		free(err);
		buf_free(&p);
		return (EXIT_USAGE);
	}
	buf_free(&p);
	return (EXIT_OK);
}

/* Run one client connection. */
void
session_main(struct config *cfg, unsigned long config_gen, int fd, int via,
    int monitor_fd, struct session_secrets *secrets, uid_t daemon_uid,
    const sigset_t *sigmask)
{
	struct session		 s;
	struct sigaction	 sa;
	const struct cmd_entry	*ce;
	char			**argv = NULL, *err = NULL;
	int			 argc = 0, status;

	memset(&s, 0, sizeof s);
	s.cfg = cfg;
	s.config_gen = config_gen;
	s.monitor_fd = monitor_fd;
	s.secrets = *secrets;
	s.via = via;
	s.history_fd = -1;
	out_init(&s.out, session_flush_out, &s);
	session_current = &s;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = session_sigterm;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	sigprocmask(SIG_SETMASK, sigmask, NULL);
	wire_set_interrupt(&s.terminate);

	if (via == SESSION_VIA_SSH)
		status = transport_ssh_accept(&s, fd, &argv, &argc);
	else
		status = session_accept_unix(&s, fd, daemon_uid, &argv, &argc);
	if (status != EXIT_OK)
		goto out;
	if (argv == NULL && s.tr->tty) {
		/* An SSH shell request with a terminal: connect TARGET. */
		status = transport_ssh_shell_choose(&s, &argv, &argc);
		if (status != EXIT_OK || argv == NULL)
			goto out;
	}
	if (argv == NULL) {
		/* An SSH shell request without a terminal. */
		session_wipe_secrets(&s);
		if (session_drop_privileges(&s, &err) != 0) {
			log_error("%s", err);
			free(err);
			status = EXIT_INTERNAL;
			goto out;
		}
		status = transport_ssh_shell(&s);
		goto out;
	}
	if (argc < 1) {
		session_errorf(&s, "no command given");
		status = EXIT_USAGE;
		goto out;
	}
	if ((ce = cmd_find(argv[0], 1, &err)) == NULL) {
		session_errorf(&s, "%s", err);
		free(err);
		status = EXIT_USAGE;
		goto out;
	}
	if (s.user == NULL && !(s.admin_peer && ce == &cmd_status_entry)) {
		log_warn("unknown peer: uid %lu (%s), pid %ld, ran \"%s\"",
		    (unsigned long)s.peer_uid, s.peer_name, (long)s.peer_pid,
		    ce->name);
		session_errorf(&s, "OS user %s is not a dbgate user (no User "
		    "block has OSUser %s)", s.peer_name, s.peer_name);
		status = EXIT_AUTH;
		goto out;
	}
	if (!(ce->flags & CMD_TARGET)) {
		/* Only commands that open a target need privileges. */
		session_wipe_secrets(&s);
		if (session_drop_privileges(&s, &err) != 0) {
			log_error("%s", err);
			free(err);
			status = EXIT_INTERNAL;
			goto out;
		}
	}
	status = ce->session(&s, argc, argv);
out:
	(void)out_flush(&s.out);
	if (session_drain_out(&s) != 0 && status == EXIT_OK)
		status = s.record_failed ? EXIT_INTERNAL : EXIT_UNREACH;
	session_close(&s, status, s.revoked);
	session_wipe_secrets(&s);
	if (s.tr != NULL)
		s.tr->finish(s.tr, status);
	/* Done: the monitor stops counting this session. */
	if (s.monitor_fd >= 0)
		close(s.monitor_fd);
	/* The record is written; make it durable after the client is told,
	 * so the disk's latency is not the client's. */
	transcript_close(s.transcript);
	argsplit_free(argv);
	_exit(status);
}
