/*
 * config.c: read and check dbgate.conf(5), and print it back.
 *
 * One keyword table (config_rows) drives the parser, config_dump and the
 * documentation test: each row says the keyword's type, where it may
 * appear, its default and where its value is stored. The parser is one
 * tokenizer and one pass over the lines; it reports every error it finds as
 * "FILE:LINE: message" and refuses the configuration as a whole if there
 * was any.
 *
 * Input: the administrator's configuration files, and (CONFIG_NOFILES) the
 * `config dump` text the daemon hands to session processes. Not from
 * database users, but nothing is assumed to be well formed.
 */
#include <sys/stat.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "authkeys.h"
#include "config.h"
#include "detect.h"
#include "policy.h"

#define CONFIG_MAX_DEPTH	16		/* Include nesting */
#define CONFIG_MAX_FILE		(16 * 1024 * 1024)
#define CK_BLOCKS		(CK_USER | CK_TARGET | CK_POLICY)
#define CK_ANYWHERE		(CK_GLOBAL | CK_BLOCKS | CK_REPEAT)

/* The structure a keyword's value lives in. */
enum config_base {
	BASE_NONE,
	BASE_CONFIG,
	BASE_LIMITS,	/* cfg->defaults, or a target's limits */
	BASE_USER,
	BASE_TARGET,
	BASE_POLICY,
};

/* One value of an enum keyword. */
struct config_choice {
	const char	*name;
	int		 value;
};

struct parse;
struct config_row;
typedef int config_check_fn(struct parse *, const struct config_row *,
    char **);

/*
 * A keyword table row. How the value is stored follows from the type and
 * base: repeatable strings and CKT_LIST are char ** with a size_t count at
 * noff, BASE_LIMITS values are long long, other counts, bools and enums
 * int, strings and paths char *.
 */
struct config_row {
	struct config_keyword	 kw;
	enum config_base	 base;
	size_t			 off;
	size_t			 noff;
	const struct config_choice *choices;	/* CKT_ENUM */
	config_check_fn		*check;	/* may rewrite the value */
};

static int config_valid_name(const char *);
static config_check_fn config_check_statedir, config_check_listen,
    config_check_path, config_check_keys, config_check_osuser,
    config_check_policy, config_check_allow_user, config_check_read_only;

static const struct config_choice config_log_levels[] = {
	{ "error", LOG_LEVEL_ERROR },
	{ "warn", LOG_LEVEL_WARN },
	{ "info", LOG_LEVEL_INFO },
	{ "debug", LOG_LEVEL_DEBUG },
	{ NULL, 0 }
};

static const struct config_choice config_drivers[] = {
	{ "postgresql", DRIVER_POSTGRESQL },
	{ "mariadb", DRIVER_MARIADB },
	{ NULL, 0 }
};

static config_check_fn config_check_hostkey;

#define OFF(s, f)	offsetof(struct s, f)
#define G		CK_GLOBAL
#define GT		(CK_GLOBAL | CK_TARGET)

static const struct config_row config_rows[] = {
	{ { "StateDir", CKT_PATH, G, "/var/lib/dbgate",
	    "directory of the vault, state and transcripts" },
	  BASE_CONFIG, OFF(config, state_dir), 0, NULL,
	  config_check_statedir },
	{ { "Listen", CKT_STRING, G | CK_REPEAT, "unix:" DBGATE_SOCKET_PATH,
	    "where the daemon accepts clients (unix:/path or ssh:ADDR:PORT)" },
	  BASE_CONFIG, OFF(config, listen), OFF(config, nlisten), NULL,
	  config_check_listen },
	{ { "HostKey", CKT_PATH, G, NULL,
	    "SSH host key (default: keys/ssh_host_ed25519_key in StateDir)" },
	  BASE_CONFIG, OFF(config, host_key), 0, NULL, config_check_hostkey },
	{ { "MaxStartups", CKT_COUNT, G, "64",
	    "most SSH connections not yet authenticated, in all" },
	  BASE_CONFIG, OFF(config, max_startups), 0, NULL, NULL },
	{ { "PerSourceMaxStartups", CKT_COUNT, G, "8",
	    "most SSH connections not yet authenticated from one address" },
	  BASE_CONFIG, OFF(config, per_source_max_startups), 0, NULL, NULL },
	{ { "LoginGraceTime", CKT_DURATION, G, "30s",
	    "time an SSH client has to authenticate" },
	  BASE_CONFIG, OFF(config, login_grace_ms), 0, NULL, NULL },
	{ { "SessionUser", CKT_STRING, G, "nobody",
	    "unprivileged user that session processes run as" },
	  BASE_CONFIG, OFF(config, session_user), 0, NULL, NULL },
	{ { "VaultKey", CKT_PATH, G, NULL,
	    "key file of the vault (default: vault.key in StateDir)" },
	  BASE_CONFIG, OFF(config, vault_key), 0, NULL, config_check_path },
	{ { "MaxSessions", CKT_COUNT, G, "100",
	    "most sessions at once, all users together" },
	  BASE_CONFIG, OFF(config, max_sessions), 0, NULL, NULL },
	{ { "MaxSessionsPerUser", CKT_COUNT, G, "10",
	    "most sessions at once for one user" },
	  BASE_CONFIG, OFF(config, max_sessions_per_user), 0, NULL, NULL },
	{ { "LogLevel", CKT_ENUM, G, "info",
	    "daemon log detail: error, warn, info or debug" },
	  BASE_CONFIG, OFF(config, log_level), 0, config_log_levels, NULL },
	{ { "Include", CKT_INCLUDE, G | CK_REPEAT, NULL,
	    "read more configuration from FILE or GLOB" },
	  BASE_NONE, 0, 0, NULL, NULL },

	{ { "User", CKT_BLOCK, CK_ANYWHERE, NULL,
	    "start the block of a dbgate user" },
	  BASE_USER, 0, 0, NULL, NULL },
	{ { "Target", CKT_BLOCK, CK_ANYWHERE, NULL,
	    "start the block of a database target" },
	  BASE_TARGET, 0, 0, NULL, NULL },
	{ { "Policy", CKT_BLOCK, CK_ANYWHERE, NULL,
	    "start the block of a policy" },
	  BASE_POLICY, 0, 0, NULL, NULL },

	{ { "Groups", CKT_LIST, CK_USER | CK_REPEAT, NULL,
	    "groups the user belongs to" },
	  BASE_USER, OFF(config_user, groups), OFF(config_user, ngroups),
	  NULL, NULL },
	{ { "OSUser", CKT_STRING, CK_USER, NULL,
	    "local account that is this user on the unix socket" },
	  BASE_USER, OFF(config_user, os_user), 0, NULL,
	  config_check_osuser },
	{ { "AuthorizedKeys", CKT_PATH, CK_USER, NULL,
	    "file of the user's SSH public keys" },
	  BASE_USER, OFF(config_user, authorized_keys), 0, NULL,
	  config_check_keys },
	{ { "Agent", CKT_BOOL, CK_USER, "no",
	    "the user is an automated agent" },
	  BASE_USER, OFF(config_user, agent), 0, NULL, NULL },
	{ { "MaxSessions", CKT_COUNT, CK_USER, "0",
	    "most sessions at once for this user (0: MaxSessionsPerUser)" },
	  BASE_USER, OFF(config_user, max_sessions), 0, NULL, NULL },

	{ { "Driver", CKT_ENUM, CK_TARGET, NULL,
	    "database kind: postgresql or mariadb (required)" },
	  BASE_TARGET, OFF(config_target, driver), 0, config_drivers, NULL },
	{ { "Connect", CKT_STRING, CK_TARGET, NULL,
	    "connection parameters, key=value ... (required)" },
	  BASE_TARGET, OFF(config_target, connect), 0, NULL, NULL },
	{ { "AllowUsers", CKT_LIST, CK_TARGET | CK_REPEAT, NULL,
	    "users that may use the target" },
	  BASE_TARGET, OFF(config_target, allow_users),
	  OFF(config_target, nallow_users), NULL, config_check_allow_user },
	{ { "AllowGroups", CKT_LIST, CK_TARGET | CK_REPEAT, NULL,
	    "groups whose users may use the target" },
	  BASE_TARGET, OFF(config_target, allow_groups),
	  OFF(config_target, nallow_groups), NULL, NULL },
	{ { "Policy", CKT_STRING, CK_TARGET, "builtin",
	    "policy of the target (an indented line in a Target block)" },
	  BASE_TARGET, OFF(config_target, policy), 0, NULL,
	  config_check_policy },
	{ { "ReadOnly", CKT_LIST, CK_TARGET | CK_REPEAT, "no",
	    "read-only sessions: yes, no, or group:NAME and user:NAME" },
	  BASE_TARGET, OFF(config_target, read_only),
	  OFF(config_target, nread_only), NULL, config_check_read_only },

	{ { "Allow", CKT_RULE, CK_POLICY | CK_REPEAT, NULL,
	    "rule: run statements with these facts" },
	  BASE_POLICY, 0, 0, NULL, NULL },
	{ { "Warn", CKT_RULE, CK_POLICY | CK_REPEAT, NULL,
	    "rule: run them and print a warning" },
	  BASE_POLICY, 0, 0, NULL, NULL },
	{ { "Approve", CKT_RULE, CK_POLICY | CK_REPEAT, NULL,
	    "rule: run them only once approved" },
	  BASE_POLICY, 0, 0, NULL, NULL },
	{ { "Deny", CKT_RULE, CK_POLICY | CK_REPEAT, NULL,
	    "rule: never run them" },
	  BASE_POLICY, 0, 0, NULL, NULL },
	{ { "Mask", CKT_MASK, CK_POLICY | CK_REPEAT, NULL,
	    "mask a column by origin: [SCHEMA.]TABLE.COLUMN STRATEGY [N]" },
	  BASE_POLICY, 0, 0, NULL, NULL },
	{ { "Unmask", CKT_MASK, CK_POLICY | CK_REPEAT, NULL,
	    "value detectors off for a clean column: [SCHEMA.]TABLE.COLUMN" },
	  BASE_POLICY, 0, 0, NULL, NULL },
	{ { "Detect", CKT_MASK, CK_POLICY, "all",
	    "value detectors: all, none, or email ssn card phone iban secret" },
	  BASE_POLICY, 0, 0, NULL, NULL },

	{ { "StatementTimeout", CKT_DURATION, GT, "5m",
	    "longest a statement may run (0: no limit)" },
	  BASE_LIMITS, OFF(config_limits, statement_timeout_ms), 0, NULL,
	  NULL },
	{ { "LockTimeout", CKT_DURATION, GT, "30s",
	    "longest a statement may wait for a lock (0: no limit)" },
	  BASE_LIMITS, OFF(config_limits, lock_timeout_ms), 0, NULL, NULL },
	{ { "IdleInTransactionTimeout", CKT_DURATION, GT, "5m",
	    "longest a transaction may stay idle (0: no limit)" },
	  BASE_LIMITS, OFF(config_limits, idle_in_transaction_timeout_ms), 0,
	  NULL, NULL },
	{ { "MaxRows", CKT_COUNT, GT, "0",
	    "most rows exec returns per statement (0: no limit)" },
	  BASE_LIMITS, OFF(config_limits, max_rows), 0, NULL, NULL },
	{ { "MaxCellBytes", CKT_SIZE, GT, "16M",
	    "largest value a result cell may hold" },
	  BASE_LIMITS, OFF(config_limits, max_cell_bytes), 0, NULL, NULL },
};
#define NROWS	nitems(config_rows)

#undef G
#undef GT

/* What each driver accepts in Connect. */
static const char *const config_pg_keys[] = {
	"host", "hostaddr", "port", "dbname", "user", "sslmode", "sslcert",
	"sslkey", "sslrootcert", "sslcrl", "connect_timeout", "keepalives",
	"keepalives_idle", "keepalives_interval", "keepalives_count",
	"target_session_attrs", "gssencmode", "krbsrvname", NULL
};
static const char *const config_pg_sslmodes[] = {
	"disable", "allow", "prefer", "require", "verify-ca", "verify-full",
	NULL
};
static const char *const config_mariadb_keys[] = {
	"host", "port", "user", "dbname", "socket", "sslmode", "sslca",
	"sslcert", "sslkey", "connect_timeout", NULL
};
static const char *const config_mariadb_sslmodes[] = {
	"disable", "require", "verify-ca", "verify-full", NULL
};
/* Keys dbgate sets on every backend connection itself. */
static const char *const config_dbgate_keys[] = {
	"application_name", "fallback_application_name", "options",
	"client_encoding", "service", "servicefile", "replication", "charset",
	"init_command", "local_infile", NULL
};

/* A place in the configuration. */
struct loc {
	const char	*file;
	int		 line;
};

/* A name checked once everything is read. */
struct parse_ref {
	int		 policy;	/* 1: Policy, 0: AllowUsers */
	char		*name;
	size_t		 target;
	struct loc	 loc;
};

/* Parser state for one load. */
struct parse {
	struct config		*cfg;
	struct config_diags	*diags;
	int			 flags;
	struct loc		 loc;		/* the line being read */
	int			 depth;		/* Include nesting */
	char			*open[CONFIG_MAX_DEPTH + 1];
	int			 nopen;
	char		       **names;	/* for struct loc */
	size_t			 nnames;
	int			 scope;		/* CK_GLOBAL or a block */
	size_t			 block;		/* the open block */
	struct loc		 gseen[NROWS];	/* where set, globally */
	struct loc		 bseen[NROWS];	/* and in the open block */
	struct parse_ref	*refs;
	size_t			 nrefs;
};

/* Words of one line. */
struct words {
	char	**v;
	size_t	  n;
};

/* Add a message to diags. */
static void printflike(4, 0)
parse_vdiag(struct parse *p, const struct loc *loc, int warn,
    const char *fmt, va_list ap)
{
	struct config_diags	*d = p->diags;
	char			*msg, *line;

	xvasprintf(&msg, fmt, ap);
	if (loc->line > 0)
		xasprintf(&line, "%s:%d: %s%s", loc->file, loc->line,
		    warn ? "warning: " : "", msg);
	else
		xasprintf(&line, "%s: %s%s", loc->file, warn ? "warning: " : "",
		    msg);
	free(msg);
	d->msgs = xreallocarray(d->msgs, d->n + 1, sizeof *d->msgs);
	d->msgs[d->n++] = line;
	if (warn)
		d->nwarnings++;
	else
		d->nerrors++;
}

/* Report an error at loc. */
static void printflike(3, 4)
parse_error_at(struct parse *p, const struct loc *loc, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	parse_vdiag(p, loc, 0, fmt, ap);
	va_end(ap);
}

/* Report an error at the current line. */
static void printflike(2, 3)
parse_error(struct parse *p, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	parse_vdiag(p, &p->loc, 0, fmt, ap);
	va_end(ap);
}

/* Report a warning at loc. */
static void printflike(3, 4)
parse_warn_at(struct parse *p, const struct loc *loc, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	parse_vdiag(p, loc, 1, fmt, ap);
	va_end(ap);
}

/* Parse the leading decimal number of s; -1 if s does not start with one. */
static int
config_parse_number(const char *s, long long *v, char **end)
{
	if (!isdigit((unsigned char)s[0]))
		return (-1);
	errno = 0;
	*v = strtoll(s, end, 10);
	if (errno != 0 || *v < 0)
		return (-1);
	return (0);
}

/* A number with one of the suffixes in units, scaled. */
static int
config_parse_scaled(const char *s, const char *const *suffixes,
    const long long *mults, long long *out)
{
	long long	 v;
	char		*end;
	size_t		 i;

	if (config_parse_number(s, &v, &end) != 0)
		return (-1);
	for (i = 0; suffixes[i] != NULL; i++) {
		if (strcmp(end, suffixes[i]) != 0)
			continue;
		if (v > LLONG_MAX / mults[i])
			return (-1);
		*out = v * mults[i];
		return (0);
	}
	return (-1);
}

/* Parse a duration: 500ms, 30s, 5m, 1h, 2d, or bare seconds. */
int
config_parse_duration(const char *s, long long *ms)
{
	static const char *const suffixes[] = {
		"", "ms", "s", "m", "h", "d", NULL
	};
	static const long long mults[] = {
		1000, 1, 1000, 60000, 3600000, 86400000
	};

	return (config_parse_scaled(s, suffixes, mults, ms));
}

/* Parse a size: bytes, or with a k/K, M or G suffix (1024-based). */
int
config_parse_size(const char *s, long long *bytes)
{
	static const char *const suffixes[] = {
		"", "k", "K", "M", "G", NULL
	};
	static const long long mults[] = {
		1, 1024, 1024, 1024 * 1024, 1024 * 1024 * 1024
	};

	return (config_parse_scaled(s, suffixes, mults, bytes));
}

/* Parse a count: a non-negative decimal integer that fits in an int. */
int
config_parse_count(const char *s, long long *n)
{
	long long	 v;
	char		*end;

	if (config_parse_number(s, &v, &end) != 0 || *end != '\0' ||
	    v > INT_MAX)
		return (-1);
	*n = v;
	return (0);
}

/* Append the duration ms in the largest unit that holds it exactly. */
static void
config_format_duration(struct buf *b, long long ms)
{
	static const char *const suffixes[] = { "d", "h", "m", "s" };
	static const long long mults[] = { 86400000, 3600000, 60000, 1000 };
	size_t	 i;

	for (i = 0; i < nitems(mults) && ms != 0; i++) {
		if (ms % mults[i] == 0) {
			buf_printf(b, "%lld%s", ms / mults[i], suffixes[i]);
			return;
		}
	}
	buf_printf(b, ms == 0 ? "%lld" : "%lldms", ms);
}

/* Append the size n in the largest unit that holds it exactly. */
static void
config_format_size(struct buf *b, long long n)
{
	static const char *const suffixes[] = { "G", "M", "K" };
	static const long long mults[] = { 1 << 30, 1 << 20, 1 << 10 };
	size_t	 i;

	for (i = 0; i < nitems(mults) && n != 0; i++) {
		if (n % mults[i] == 0) {
			buf_printf(b, "%lld%s", n / mults[i], suffixes[i]);
			return;
		}
	}
	buf_printf(b, "%lld", n);
}

/* Where a row's value lives, given the open user or target (or neither). */
static void *
config_ptr(const struct config_row *r, struct config *cfg,
    struct config_user *u, struct config_target *t)
{
	switch (r->base) {
	case BASE_CONFIG:
		return ((char *)cfg + r->off);
	case BASE_LIMITS:
		if (t != NULL)
			return ((char *)&t->limits + r->off);
		return ((char *)&cfg->defaults + r->off);
	case BASE_USER:
		return ((char *)u + r->off);
	case BASE_TARGET:
		return ((char *)t + r->off);
	default:
		return (NULL);
	}
}

/* 1 if the row's value is a list of strings. */
static int
config_is_list(const struct config_row *r)
{
	return (r->kw.type == CKT_LIST ||
	    (r->kw.type == CKT_STRING && (r->kw.where & CK_REPEAT)));
}

/* Free a list of strings. */
static void
config_free_list(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Look a name up in a choice list; -1 if absent. */
static int
config_choice(const struct config_choice *c, const char *name, int *value)
{
	for (; c->name != NULL; c++) {
		if (strcasecmp(c->name, name) == 0) {
			*value = c->value;
			return (0);
		}
	}
	return (-1);
}

/* 1 if s is in the NULL-terminated list. */
static int
config_in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++) {
		if (strcmp(*list, s) == 0)
			return (1);
	}
	return (0);
}

/* Join a NULL-terminated list as "a, b or c" into b. */
static void
config_join(struct buf *b, const char *const *list)
{
	size_t	 i;

	for (i = 0; list[i] != NULL; i++) {
		if (i > 0)
			buf_adds(b, list[i + 1] == NULL ? " or " : ", ");
		buf_adds(b, list[i]);
	}
}

/* Keep a copy of a file name for the life of the parse. */
static const char *
parse_name(struct parse *p, const char *name)
{
	p->names = xreallocarray(p->names, p->nnames + 1, sizeof *p->names);
	p->names[p->nnames] = xstrdup(name);
	return (p->names[p->nnames++]);
}

/* The kind and name of the open block, for messages. */
static void
parse_block_id(struct parse *p, const char **kind, const char **name)
{
	struct config	*cfg = p->cfg;

	*kind = "";
	*name = "";
	switch (p->scope) {
	case CK_USER:
		*kind = "User";
		*name = cfg->users[p->block].name;
		break;
	case CK_TARGET:
		*kind = "Target";
		*name = cfg->targets[p->block].name;
		break;
	case CK_POLICY:
		*kind = "Policy";
		*name = cfg->policies[p->block].name;
		break;
	}
}

/* Where the value of r lives in the open scope. */
static void *
parse_ptr(struct parse *p, const struct config_row *r)
{
	struct config_user	*u = NULL;
	struct config_target	*t = NULL;

	if (p->scope == CK_USER)
		u = &p->cfg->users[p->block];
	else if (p->scope == CK_TARGET)
		t = &p->cfg->targets[p->block];
	return (config_ptr(r, p->cfg, u, t));
}

/* Resolve a path relative to the directory of the file being read. */
static char *
parse_resolve(struct parse *p, const char *path)
{
	const char	*slash;
	char		*r;

	if (path[0] == '/' || (slash = strrchr(p->loc.file, '/')) == NULL)
		return (xstrdup(path));
	xasprintf(&r, "%.*s/%s", (int)(slash - p->loc.file), p->loc.file,
	    path);
	return (r);
}

/*
 * Check a file the configuration names: it must exist if required, be a
 * regular file not writable by group or others, and if secret not
 * readable by them either.
 */
static void
parse_check_file(struct parse *p, const struct loc *loc, const char *what,
    const char *path, int required, int secret)
{
	struct stat	 st;

	if (stat(path, &st) == -1) {
		if (errno == ENOENT && required)
			parse_error_at(p, loc, "%s %s does not exist", what,
			    path);
		else if (errno != ENOENT && required)
			parse_error_at(p, loc, "%s %s: %s", what, path,
			    strerror(errno));
		return;
	}
	if (!S_ISREG(st.st_mode))
		parse_error_at(p, loc, "%s %s is not a regular file", what,
		    path);
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		parse_error_at(p, loc, "%s %s is writable by group or others "
		    "(chmod %s %s)", what, path, secret ? "600" : "go-w", path);
	else if (secret && (st.st_mode & (S_IRGRP | S_IROTH)))
		parse_error_at(p, loc, "%s %s is readable by group or others "
		    "(chmod 600 %s)", what, path, path);
}

/* StateDir must be absolute. */
static int
config_check_statedir(struct parse *p, const struct config_row *r,
    char **value)
{
	if ((*value)[0] == '/')
		return (0);
	parse_error(p, "StateDir must be an absolute path, not \"%s\"", *value);
	return (-1);
}

/* Listen takes unix:/absolute/path or ssh:ADDRESS:PORT. */
static int
config_check_listen(struct parse *p, const struct config_row *r,
    char **value)
{
	char	*addr;
	int	 port;

	if (strncmp(*value, "unix:/", 6) == 0)
		return (0);
	if (strncmp(*value, "ssh:", 4) == 0) {
		if (config_listen_ssh(*value, &addr, &port) == 0) {
			free(addr);
			return (0);
		}
		parse_error(p, "bad SSH address \"%s\" (use ssh:ADDRESS:PORT "
		    "with a numeric address, such as ssh:0.0.0.0:2222 or "
		    "ssh:[::]:2222)", *value);
		return (-1);
	}
	parse_error(p, "bad Listen address \"%s\" (use unix:/absolute/path "
	    "or ssh:ADDRESS:PORT)", *value);
	return (-1);
}

/* HostKey is relative to its file and, if it exists, secret. */
static int
config_check_hostkey(struct parse *p, const struct config_row *r,
    char **value)
{
	int	 n = p->diags->nerrors;

	config_check_path(p, r, value);
	if (~p->flags & CONFIG_NOFILES)
		parse_check_file(p, &p->loc, r->kw.name, *value, 0, 1);
	return (p->diags->nerrors == n ? 0 : -1);
}

/* A path is relative to the file that names it. */
static int
config_check_path(struct parse *p, const struct config_row *r,
    char **value)
{
	char	*path;

	path = parse_resolve(p, *value);
	free(*value);
	*value = path;
	return (0);
}

/*
 * AuthorizedKeys must exist, be safe from other users, and hold only keys
 * and options dbgate accepts: each bad line is an error at its place in
 * the keys file.
 */
static int
config_check_keys(struct parse *p, const struct config_row *r,
    char **value)
{
	struct authkeys	*ak;
	struct loc	 loc;
	char		*err;
	size_t		 i;
	int		 n = p->diags->nerrors;

	config_check_path(p, r, value);
	if (~p->flags & CONFIG_NOFILES)
		parse_check_file(p, &p->loc, r->kw.name, *value, 1, 0);
	if (p->diags->nerrors != n || (p->flags & CONFIG_NOFILES))
		return (p->diags->nerrors == n ? 0 : -1);
	if (authkeys_load(*value, &ak, &err) != 0) {
		parse_error(p, "%s", err);
		free(err);
		return (-1);
	}
	loc.file = *value;
	for (i = 0; i < ak->nerrors; i++) {
		loc.line = ak->errors[i].line;
		parse_error_at(p, &loc, "%s", ak->errors[i].msg);
	}
	authkeys_free(ak);
	return (p->diags->nerrors == n ? 0 : -1);
}

/* One User per OSUser. */
static int
config_check_osuser(struct parse *p, const struct config_row *r,
    char **value)
{
	struct config_user	*u;
	size_t			 i;

	for (i = 0; i < p->cfg->nusers; i++) {
		u = &p->cfg->users[i];
		if (i == p->block || u->os_user == NULL ||
		    strcmp(u->os_user, *value) != 0)
			continue;
		parse_error(p, "OSUser \"%s\" is already used by User \"%s\" "
		    "at %s:%d", *value, u->name, u->file, u->line);
		return (-1);
	}
	return (0);
}

/* Remember a name to look up once every block is read. */
static void
parse_add_ref(struct parse *p, int policy, const char *name)
{
	struct parse_ref	*ref;

	p->refs = xreallocarray(p->refs, p->nrefs + 1, sizeof *p->refs);
	ref = &p->refs[p->nrefs++];
	ref->policy = policy;
	ref->name = xstrdup(name);
	ref->target = p->block;
	ref->loc = p->loc;
}

/* A target's Policy: "builtin" is stored as NULL, others checked later. */
static int
config_check_policy(struct parse *p, const struct config_row *r,
    char **value)
{
	if (strcmp(*value, "builtin") == 0) {
		free(*value);
		*value = NULL;
	} else
		parse_add_ref(p, 1, *value);
	return (0);
}

/* ReadOnly entries: yes, no, group:NAME, user:NAME. */
static int
config_check_read_only(struct parse *p, const struct config_row *r,
    char **value)
{
	const char	*v = *value;

	(void)r;
	if (strcmp(v, "yes") == 0 || strcmp(v, "no") == 0)
		return (0);
	if ((strncmp(v, "group:", 6) == 0 && config_valid_name(v + 6)) ||
	    (strncmp(v, "user:", 5) == 0 && config_valid_name(v + 5)))
		return (0);
	parse_error(p, "bad ReadOnly value \"%s\" (use yes, no, group:NAME "
	    "or user:NAME)", v);
	return (-1);
}

/* AllowUsers names are checked against the User blocks later. */
static int
config_check_allow_user(struct parse *p, const struct config_row *r,
    char **value)
{
	parse_add_ref(p, 0, *value);
	return (0);
}

/* Append a string to the list at ptr (count at the row's noff). */
static void
parse_list_add(struct parse *p, const struct config_row *r, void *ptr,
    char *s)
{
	char	***v = ptr;
	size_t	 *n = (size_t *)((char *)ptr - r->off + r->noff);

	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = s;
}

/* Empty the list at ptr. */
static void
parse_list_clear(const struct config_row *r, void *ptr)
{
	char	***v = ptr;
	size_t	 *n = (size_t *)((char *)ptr - r->off + r->noff);

	config_free_list(*v, *n);
	*v = NULL;
	*n = 0;
}

/* The accepted forms of a typed value, for messages. */
static void
parse_bad_value(struct parse *p, const struct config_row *r, const char *s)
{
	const struct config_choice	*c;
	const char			*list[8];
	struct buf			 b;
	size_t				 n = 0;

	buf_init(&b);
	switch (r->kw.type) {
	case CKT_DURATION:
		parse_error(p, "bad duration \"%s\" for %s (use e.g. 500ms, "
		    "30s, 5m, 1h or 2d; a bare number is seconds, 0 means no "
		    "limit)", s, r->kw.name);
		break;
	case CKT_SIZE:
		parse_error(p, "bad size \"%s\" for %s (use bytes or a number "
		    "with k, M or G, e.g. 16M)", s, r->kw.name);
		break;
	case CKT_COUNT:
		parse_error(p, "bad count \"%s\" for %s (use a whole number "
		    "from 0 to %d)", s, r->kw.name, INT_MAX);
		break;
	case CKT_BOOL:
		parse_error(p, "bad value \"%s\" for %s (use yes or no)", s,
		    r->kw.name);
		break;
	default:
		for (c = r->choices; c->name != NULL && n < nitems(list) - 1;
		    c++)
			list[n++] = c->name;
		list[n] = NULL;
		config_join(&b, (const char *const *)list);
		parse_error(p, "bad value \"%s\" for %s (use %s)", s,
		    r->kw.name, buf_cstr(&b));
		break;
	}
	buf_free(&b);
}

/* Set the value of r in the open scope from its arguments. */
static void
parse_set(struct parse *p, const struct config_row *r, char **args,
    size_t nargs)
{
	void		*ptr = parse_ptr(p, r);
	char		*s;
	long long	 v = 0;
	int		 iv = 0, rc = 0;
	size_t		 i;

	switch (r->kw.type) {
	case CKT_STRING:
	case CKT_PATH:
	case CKT_LIST:
		for (i = 0; i < nargs; i++) {
			if (*args[i] == '\0') {
				parse_error(p, "\"%s\" has an empty argument",
				    r->kw.name);
				continue;
			}
			s = xstrdup(args[i]);
			if (r->check != NULL && r->check(p, r, &s) != 0) {
				free(s);
				continue;
			}
			if (config_is_list(r))
				parse_list_add(p, r, ptr, s);
			else {
				free(*(char **)ptr);
				*(char **)ptr = s;
			}
		}
		return;
	case CKT_DURATION:
		rc = config_parse_duration(args[0], &v);
		break;
	case CKT_SIZE:
		rc = config_parse_size(args[0], &v);
		break;
	case CKT_COUNT:
		rc = config_parse_count(args[0], &v);
		iv = (int)v;
		break;
	case CKT_BOOL:
		if (strcasecmp(args[0], "yes") == 0)
			iv = 1;
		else if (strcasecmp(args[0], "no") != 0)
			rc = -1;
		break;
	case CKT_ENUM:
		rc = config_choice(r->choices, args[0], &iv);
		break;
	default:
		return;
	}
	if (rc != 0)
		parse_bad_value(p, r, args[0]);
	else if (r->base == BASE_LIMITS || r->kw.type == CKT_DURATION ||
	    r->kw.type == CKT_SIZE)
		*(long long *)ptr = v;
	else
		*(int *)ptr = iv;
}

/*
 * Give the open scope its defaults. A target's limits start at -1 and take
 * the global values at the end, so a global keyword counts wherever it is.
 */
static void
parse_defaults(struct parse *p)
{
	const struct config_row	*r;
	char			*def;

	for (r = config_rows; r < config_rows + NROWS; r++) {
		if (!(r->kw.where & p->scope) || r->kw.type == CKT_BLOCK)
			continue;
		if (p->scope == CK_TARGET && r->base == BASE_LIMITS)
			*(long long *)parse_ptr(p, r) = -1;
		else if (r->kw.def != NULL) {
			def = (char *)r->kw.def;
			parse_set(p, r, &def, 1);
		}
	}
}

/* The host in a comma-separated host list that is not local, or NULL. */
static char *
connect_remote_host(const char *hosts)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;
	char		*h;
	size_t		 len;
	int		 local;

	while (hosts != NULL && *hosts != '\0') {
		len = strcspn(hosts, ",");
		h = xstrndup(hosts, len);
		local = h[0] == '\0' || h[0] == '/' || h[0] == '@' ||
		    strcasecmp(h, "localhost") == 0 ||
		    (inet_pton(AF_INET, h, &a4) == 1 &&
		    (ntohl(a4.s_addr) >> 24) == 127) ||
		    (inet_pton(AF_INET6, h, &a6) == 1 &&
		    memcmp(&a6, &in6addr_loopback, sizeof a6) == 0);
		if (!local)
			return (h);
		free(h);
		hosts += len;
		if (*hosts == ',')
			hosts++;
	}
	return (NULL);
}

/* The value of key in a parsed Connect string, or NULL. */
static const char *
connect_get(char **keys, char **vals, size_t n, const char *key)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(keys[i], key) == 0)
			return (vals[i]);
	}
	return (NULL);
}

/* Check the Connect string of t against its driver; warn about TLS. */
static void
parse_check_connect(struct parse *p, struct config_target *t,
    const struct loc *loc)
{
	const char *const	*allowed, *const *sslmodes;
	char			**keys, **vals, *err, *remote = NULL;
	const char		*host, *sslmode;
	struct buf		 b;
	size_t			 n, i, j;

	if (connect_parse(t->connect, &keys, &vals, &n, &err) != 0) {
		parse_error_at(p, loc, "Connect for target \"%s\": %s",
		    t->name, err);
		free(err);
		return;
	}
	if (t->driver == DRIVER_POSTGRESQL) {
		allowed = config_pg_keys;
		sslmodes = config_pg_sslmodes;
	} else {
		allowed = config_mariadb_keys;
		sslmodes = config_mariadb_sslmodes;
	}
	buf_init(&b);
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && strcmp(keys[i], keys[j]) != 0; j++)
			;
		if (j < i)
			parse_error_at(p, loc, "Connect for target \"%s\" sets "
			    "\"%s\" twice", t->name, keys[i]);
		else if (strcmp(keys[i], "password") == 0 ||
		    strcmp(keys[i], "passfile") == 0)
			parse_error_at(p, loc, "Connect for target \"%s\" must "
			    "not hold a password: store it with \"dbgate vault "
			    "set %s\"", t->name, t->name);
		else if (config_in_list(config_dbgate_keys, keys[i]))
			parse_error_at(p, loc, "Connect for target \"%s\": "
			    "\"%s\" is set by dbgate itself", t->name,
			    keys[i]);
		else if (!config_in_list(allowed, keys[i]))
			parse_error_at(p, loc, "Connect for target \"%s\": "
			    "unknown key \"%s\" for driver %s", t->name,
			    keys[i], config_driver_name(t->driver));
		else if (strcmp(keys[i], "sslmode") == 0 &&
		    !config_in_list(sslmodes, vals[i])) {
			buf_reset(&b);
			config_join(&b, sslmodes);
			parse_error_at(p, loc, "Connect for target \"%s\": bad "
			    "sslmode \"%s\" (use %s)", t->name, vals[i],
			    buf_cstr(&b));
		}
	}
	buf_free(&b);

	host = connect_get(keys, vals, n, "hostaddr");
	if (host == NULL)
		host = connect_get(keys, vals, n, "host");
	sslmode = connect_get(keys, vals, n, "sslmode");
	if (connect_get(keys, vals, n, "socket") == NULL)
		remote = connect_remote_host(host);
	if (remote != NULL &&
	    (sslmode == NULL || strcmp(sslmode, "verify-full") != 0))
		parse_warn_at(p, loc, "target \"%s\" connects to %s without "
		    "verifying the server's TLS certificate (add "
		    "sslmode=verify-full)", t->name, remote);
	free(remote);
	connect_free(keys, vals, n);
}

/* The index of the row name valid in where. */
static size_t
config_row_index(const char *name, int where)
{
	size_t	 i;

	for (i = 0; i < NROWS; i++) {
		if (strcmp(config_rows[i].kw.name, name) == 0 &&
		    (config_rows[i].kw.where & where))
			break;
	}
	return (i);
}

/* Close the open block: check what a Target needs. */
static void
parse_end_block(struct parse *p)
{
	struct config_target	*t;
	struct loc		 loc;
	size_t			 connect;

	if (p->scope == CK_TARGET) {
		t = &p->cfg->targets[p->block];
		loc.file = t->file;
		loc.line = t->line;
		connect = config_row_index("Connect", CK_TARGET);
		if (t->driver == DRIVER_NONE)
			parse_error_at(p, &loc, "Target \"%s\" has no Driver "
			    "(postgresql or mariadb)", t->name);
		if (t->connect == NULL)
			parse_error_at(p, &loc, "Target \"%s\" has no Connect",
			    t->name);
		if (t->driver != DRIVER_NONE && t->connect != NULL)
			parse_check_connect(p, t, &p->bseen[connect]);
	}
	p->scope = CK_GLOBAL;
}

/* 1 if name is fit for a block: letters, digits, ".", "_" and "-". */
static int
config_valid_name(const char *name)
{
	const char	*s;

	if (!isalnum((unsigned char)name[0]) && name[0] != '_')
		return (0);
	for (s = name; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && strchr("._-", *s) == NULL)
			return (0);
	}
	return (1);
}

/* Start a User, Target or Policy block. */
static void
parse_block(struct parse *p, const struct config_row *r, const char *name)
{
	struct config			*cfg = p->cfg;
	const struct config_user	*u;
	const struct config_target	*t;
	const struct config_policy	*pol;
	const char			*file = NULL, *kind = r->kw.name;
	char				**namep, **filep;
	int				 line = 0, *linep;

	parse_end_block(p);
	if (!config_valid_name(name))
		parse_error(p, "bad %s name \"%s\" (use letters, digits, "
		    "\".\", \"_\" and \"-\")", kind, name);
	else if (r->base == BASE_POLICY && strcmp(name, "builtin") == 0)
		parse_error(p, "Policy \"builtin\" is built in: choose another "
		    "name");

	switch (r->base) {
	case BASE_USER:
		if ((u = config_find_user(cfg, name)) != NULL) {
			file = u->file;
			line = u->line;
		}
		cfg->users = xreallocarray(cfg->users, cfg->nusers + 1,
		    sizeof *cfg->users);
		memset(&cfg->users[cfg->nusers], 0, sizeof *cfg->users);
		namep = &cfg->users[cfg->nusers].name;
		filep = &cfg->users[cfg->nusers].file;
		linep = &cfg->users[cfg->nusers].line;
		p->block = cfg->nusers++;
		p->scope = CK_USER;
		break;
	case BASE_TARGET:
		if ((t = config_find_target(cfg, name)) != NULL) {
			file = t->file;
			line = t->line;
		}
		cfg->targets = xreallocarray(cfg->targets, cfg->ntargets + 1,
		    sizeof *cfg->targets);
		memset(&cfg->targets[cfg->ntargets], 0, sizeof *cfg->targets);
		namep = &cfg->targets[cfg->ntargets].name;
		filep = &cfg->targets[cfg->ntargets].file;
		linep = &cfg->targets[cfg->ntargets].line;
		p->block = cfg->ntargets++;
		p->scope = CK_TARGET;
		break;
	default:
		if ((pol = config_find_policy(cfg, name)) != NULL) {
			file = pol->file;
			line = pol->line;
		}
		cfg->policies = xreallocarray(cfg->policies,
		    cfg->npolicies + 1, sizeof *cfg->policies);
		memset(&cfg->policies[cfg->npolicies], 0,
		    sizeof *cfg->policies);
		namep = &cfg->policies[cfg->npolicies].name;
		filep = &cfg->policies[cfg->npolicies].file;
		linep = &cfg->policies[cfg->npolicies].line;
		p->block = cfg->npolicies++;
		p->scope = CK_POLICY;
		break;
	}
	*namep = xstrdup(name);
	*filep = xstrdup(p->loc.file);
	*linep = p->loc.line;
	if (file != NULL)
		parse_error(p, "%s \"%s\" is already defined at %s:%d", kind,
		    name, file, line);
	memset(p->bseen, 0, sizeof p->bseen);
	parse_defaults(p);
}

static void	parse_file(struct parse *, const char *, int);

/* Include FILE or GLOB, relative to the including file. */
static void
parse_include(struct parse *p, const char *arg)
{
	glob_t	 g;
	char	*path;
	size_t	 i;
	int	 rc;

	if (p->flags & CONFIG_NOFILES) {
		parse_error(p, "Include cannot be used here (this "
		    "configuration is read without opening files)");
		return;
	}
	if (*arg == '\0') {
		parse_error(p, "\"Include\" has an empty argument");
		return;
	}
	if (p->depth >= CONFIG_MAX_DEPTH) {
		parse_error(p, "Include %s: more than %d levels of Include",
		    arg, CONFIG_MAX_DEPTH);
		return;
	}
	path = parse_resolve(p, arg);
	p->depth++;
	if (strpbrk(path, "*?[") == NULL)
		parse_file(p, path, 1);
	else {
		memset(&g, 0, sizeof g);
		rc = glob(path, 0, NULL, &g);
		if (rc == 0) {
			for (i = 0; i < g.gl_pathc; i++)
				parse_file(p, g.gl_pathv[i], 1);
		} else if (rc != GLOB_NOMATCH)
			parse_error(p, "Include %s: cannot read the directory",
			    path);
		globfree(&g);
	}
	p->depth--;
	free(path);
}

/*
 * Split one line into words. Blanks separate words, '#' at the start of a
 * word starts a comment, and a word in double quotes may hold blanks, with
 * \" and \\ as escapes. Returns -1 (reported) on a bad line.
 */
static int
parse_split(struct parse *p, const char *s, size_t len, struct words *w,
    int *indented)
{
	struct buf	 b;
	size_t		 i = 0;
	int		 rc = -1;

#define BLANK(c)	((c) == ' ' || (c) == '\t' || (c) == '\r')
	*indented = len > 0 && BLANK(s[0]);
	if (memchr(s, '\0', len) != NULL) {
		parse_error(p, "line holds a NUL byte");
		return (-1);
	}
	buf_init(&b);
	for (;;) {
		while (i < len && BLANK(s[i]))
			i++;
		if (i == len || s[i] == '#')
			break;
		buf_reset(&b);
		if (s[i] == '"') {
			for (i++; i < len && s[i] != '"'; i++) {
				if (s[i] == '\\' && i + 1 < len &&
				    (s[i + 1] == '"' || s[i + 1] == '\\'))
					i++;
				buf_addc(&b, s[i]);
			}
			if (i++ == len) {
				parse_error(p, "unterminated quote");
				goto out;
			}
			if (i < len && !BLANK(s[i])) {
				parse_error(p, "a closing quote must end the "
				    "word");
				goto out;
			}
		} else {
			for (; i < len && !BLANK(s[i]); i++) {
				if (s[i] == '"') {
					parse_error(p, "quote in the middle of "
					    "a word (quote the whole word)");
					goto out;
				}
				buf_addc(&b, s[i]);
			}
		}
		w->v = xreallocarray(w->v, w->n + 1, sizeof *w->v);
		w->v[w->n++] = xstrdup(buf_cstr(&b));
	}
	rc = 0;
out:
	buf_free(&b);
	return (rc);
#undef BLANK
}

/* Report a keyword that is not allowed in the open scope. */
static void
parse_misplaced(struct parse *p, const char *name, int where)
{
	const char	*kind, *bname, *list[4];
	struct buf	 b;
	size_t		 n = 0;

	parse_block_id(p, &kind, &bname);
	if ((where & CK_BLOCKS) == 0) {
		parse_error(p, "\"%s\" must come before the first User, Target "
		    "or Policy block (found in %s \"%s\")", name, kind, bname);
		return;
	}
	if (where & CK_USER)
		list[n++] = "User";
	if (where & CK_TARGET)
		list[n++] = "Target";
	if (where & CK_POLICY)
		list[n++] = "Policy";
	list[n] = NULL;
	buf_init(&b);
	config_join(&b, list);
	parse_error(p, "\"%s\" is only allowed %sin a %s block", name,
	    (where & CK_GLOBAL) ? "globally or " : "", buf_cstr(&b));
	buf_free(&b);
}

/*
 * Find the row for a keyword in the open scope, or report why there is
 * none. "Policy" inside a Target block is the target's Policy keyword when
 * the line is indented, and starts a Policy block when it is not.
 */
static const struct config_row *
parse_lookup(struct parse *p, const char *name, int indented)
{
	const struct config_row	*r, *found = NULL, *block = NULL;
	const char		*canon = NULL, *best = NULL;
	size_t			 d, bestd = 3;
	int			 where = 0;

	for (r = config_rows; r < config_rows + NROWS; r++) {
		if (strcasecmp(r->kw.name, name) != 0)
			continue;
		where |= r->kw.where;
		canon = r->kw.name;
		if (!(r->kw.where & p->scope))
			continue;
		if (r->kw.type == CKT_BLOCK)
			block = r;
		else if (found == NULL)
			found = r;
	}
	if (found != NULL && block != NULL)
		return (indented ? found : block);
	if (found != NULL || block != NULL)
		return (found != NULL ? found : block);
	if (canon != NULL) {
		parse_misplaced(p, canon, where);
		return (NULL);
	}
	for (r = config_rows; r < config_rows + NROWS; r++) {
		d = str_distance(name, r->kw.name);
		if (d < bestd) {
			bestd = d;
			best = r->kw.name;
		}
	}
	if (best != NULL)
		parse_error(p, "unknown keyword \"%s\" (did you mean \"%s\"?)",
		    name, best);
	else
		parse_error(p, "unknown keyword \"%s\"", name);
	return (NULL);
}

/* Add a rule to the open Policy block. */
static void
parse_rule(struct parse *p, char *const *w, size_t n)
{
	struct config_policy	*pol = &p->cfg->policies[p->block];
	struct config_rule	 r;
	char			*err = NULL;

	if (policy_rule_parse(w, n, &r, &err) != 0) {
		parse_error(p, "%s", err);
		free(err);
		return;
	}
	r.file = xstrdup(p->loc.file);
	r.line = p->loc.line;
	pol->rules = xreallocarray(pol->rules, pol->nrules + 1,
	    sizeof *pol->rules);
	pol->rules[pol->nrules++] = r;
}

/* Split a Mask pattern [SCHEMA.]TABLE.COLUMN into m. -1 if malformed. */
static int
parse_mask_pattern(const char *s, struct config_mask *m)
{
	const char	*d1, *d2;

	if ((d1 = strchr(s, '.')) == NULL)
		return (-1);
	if ((d2 = strchr(d1 + 1, '.')) != NULL) {
		if (strchr(d2 + 1, '.') != NULL || d1 == s || d2 == d1 + 1 ||
		    d2[1] == '\0')
			return (-1);
		m->schema = xstrndup(s, d1 - s);
		m->table = xstrndup(d1 + 1, d2 - d1 - 1);
		m->column = xstrdup(d2 + 1);
	} else {
		if (d1 == s || d1[1] == '\0')
			return (-1);
		m->table = xstrndup(s, d1 - s);
		m->column = xstrdup(d1 + 1);
	}
	return (0);
}

/* Mask, Unmask or Detect in the open Policy block. */
static void
parse_mask(struct parse *p, const struct config_row *r, char *const *w,
    size_t n)
{
	struct config_policy	*pol = &p->cfg->policies[p->block];
	struct config_mask	 m;
	enum mask_strategy	 st;
	unsigned int		 bits, one;
	long long		 keep;
	size_t			 i;

	if (strcmp(r->kw.name, "Detect") == 0) {
		if (pol->detect_set) {
			parse_error(p, "\"Detect\" is already set in Policy "
			    "\"%s\"", pol->name);
			return;
		}
		for (bits = 0, i = 1; i < n; i++) {
			if (detect_parse(w[i], &one) != 0) {
				parse_error(p, "unknown detector \"%s\" (use "
				    "all, none, email, ssn, card, phone, iban "
				    "or secret)", w[i]);
				return;
			}
			if ((one == 0 || one == DETECT_ALL) && n > 2) {
				parse_error(p, "\"%s\" must be the only word "
				    "of \"Detect\"", w[i]);
				return;
			}
			bits |= one;
		}
		pol->detect = bits;
		pol->detect_set = 1;
		return;
	}
	memset(&m, 0, sizeof m);
	m.unmask = strcmp(r->kw.name, "Unmask") == 0;
	if (parse_mask_pattern(w[1], &m) != 0) {
		parse_error(p, "bad column \"%s\" for \"%s\" (use "
		    "[SCHEMA.]TABLE.COLUMN; globs allowed)", w[1], r->kw.name);
		goto bad;
	}
	if (m.unmask) {
		if (n != 2) {
			parse_error(p, "\"Unmask\" takes one column");
			goto bad;
		}
	} else if (n < 3) {
		parse_error(p, "\"Mask %s\" needs a strategy: redact, "
		    "partial N, email, null or hash", w[1]);
		goto bad;
	} else if (mask_strategy_parse(w[2], &st) != 0) {
		parse_error(p, "unknown masking strategy \"%s\" (use redact, "
		    "partial N, email, null or hash)", w[2]);
		goto bad;
	} else if (st == MASK_PARTIAL) {
		if (n != 4 || config_parse_count(w[3], &keep) != 0 ||
		    keep < 1 || keep > 64) {
			parse_error(p, "\"partial\" needs the number of "
			    "characters to keep, 1 to 64");
			goto bad;
		}
		m.keep = (unsigned int)keep;
		m.strategy = st;
	} else if (n != 3) {
		parse_error(p, "\"%s\" takes no argument", w[2]);
		goto bad;
	} else
		m.strategy = st;
	m.file = xstrdup(p->loc.file);
	m.line = p->loc.line;
	pol->masks = xreallocarray(pol->masks, pol->nmasks + 1,
	    sizeof *pol->masks);
	pol->masks[pol->nmasks++] = m;
	return;
bad:
	free(m.schema);
	free(m.table);
	free(m.column);
}

/* Read one line. */
static void
parse_line(struct parse *p, const char *s, size_t len)
{
	const struct config_row	*r;
	struct words		 w = { NULL, 0 };
	struct loc		*seen;
	size_t			 nargs, i;
	int			 indented;

	if (parse_split(p, s, len, &w, &indented) != 0 || w.n == 0)
		goto out;
	if ((r = parse_lookup(p, w.v[0], indented)) == NULL)
		goto out;
	nargs = w.n - 1;
	if (nargs == 0) {
		parse_error(p, "\"%s\" needs an argument", r->kw.name);
		goto out;
	}
	if (r->kw.type == CKT_RULE) {
		parse_rule(p, w.v, w.n);
		goto out;
	}
	if (r->kw.type == CKT_MASK) {
		parse_mask(p, r, w.v, w.n);
		goto out;
	}
	if (nargs > 1 && r->kw.type != CKT_LIST) {
		parse_error(p, "too many arguments for \"%s\" (it takes one; "
		    "quote a value that holds blanks)", r->kw.name);
		goto out;
	}
	switch (r->kw.type) {
	case CKT_BLOCK:
		parse_block(p, r, w.v[1]);
		goto out;
	case CKT_INCLUDE:
		parse_include(p, w.v[1]);
		goto out;
	default:
		break;
	}

	i = r - config_rows;
	seen = p->scope == CK_GLOBAL ? &p->gseen[i] : &p->bseen[i];
	if (seen->line != 0 && !(r->kw.where & CK_REPEAT)) {
		parse_error(p, "\"%s\" is already set at %s:%d", r->kw.name,
		    seen->file, seen->line);
		goto out;
	}
	if (seen->line == 0 && config_is_list(r))
		parse_list_clear(r, parse_ptr(p, r)); /* drop the default */
	*seen = p->loc;
	parse_set(p, r, w.v + 1, nargs);
out:
	config_free_list(w.v, w.n);
}

/* Read the lines of a file or buffer called name. */
static void
parse_text(struct parse *p, const char *name, const char *text, size_t len)
{
	struct loc	 saved = p->loc;
	const char	*end, *nl;

	p->loc.file = parse_name(p, name);
	p->loc.line = 0;
	end = text + len;
	while (text < end) {
		if ((nl = memchr(text, '\n', end - text)) == NULL)
			nl = end;
		p->loc.line++;
		parse_line(p, text, nl - text);
		text = nl + 1;
	}
	parse_end_block(p);
	p->loc = saved;
}

/* Read a whole file into b; -1 and errno on failure. */
static int
config_read_file(const char *path, struct buf *b)
{
	FILE	*f;
	char	 tmp[8192];
	size_t	 n;
	int	 saved;

	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
		buf_add(b, tmp, n);
		if (b->len > CONFIG_MAX_FILE) {
			fclose(f);
			errno = EFBIG;
			return (-1);
		}
	}
	if (ferror(f)) {
		saved = errno;
		fclose(f);
		errno = saved;
		return (-1);
	}
	fclose(f);
	return (0);
}

/* Read a file: the main one, or one named by Include at the current line. */
static void
parse_file(struct parse *p, const char *path, int included)
{
	struct loc	 top = { path, 0 };
	struct buf	 b;
	char		*real;
	int		 i;

	buf_init(&b);
	if ((real = realpath(path, NULL)) == NULL ||
	    config_read_file(path, &b) != 0) {
		if (included)
			parse_error(p, "Include %s: %s", path, strerror(errno));
		else
			parse_error_at(p, &top, "%s", strerror(errno));
		goto out;
	}
	for (i = 0; i < p->nopen; i++) {
		if (strcmp(p->open[i], real) == 0) {
			parse_error(p, "Include %s makes a loop (it is already "
			    "being read)", path);
			goto out;
		}
	}
	p->open[p->nopen++] = real;
	parse_text(p, path, b.data != NULL ? b.data : "", b.len);
	p->nopen--;
out:
	free(real);
	buf_free(&b);
}

/* Checks that need every block read. */
static void
parse_finish(struct parse *p)
{
	struct config		*cfg = p->cfg;
	struct config_target	*t;
	struct parse_ref	*ref;
	const struct config_row	*r;
	struct loc		 loc, *vk;
	size_t			 i, j, len;
	long long		*v;
	int			 found;

	/* VaultKey defaults to StateDir/vault.key. */
	vk = &p->gseen[config_row_index("VaultKey", CK_GLOBAL)];
	if (vk->line != 0)
		loc = *vk;
	else {
		loc = p->gseen[config_row_index("StateDir", CK_GLOBAL)];
		if (loc.line == 0) {
			loc.file = cfg->path;
			loc.line = 1;
		}
	}
	if (cfg->vault_key == NULL) {
		len = strlen(cfg->state_dir);
		xasprintf(&cfg->vault_key, "%s%svault.key", cfg->state_dir,
		    len > 0 && cfg->state_dir[len - 1] == '/' ? "" : "/");
	}
	if (~p->flags & CONFIG_NOFILES)
		parse_check_file(p, &loc, "VaultKey", cfg->vault_key,
		    vk->line != 0, 1);

	for (i = 0; i < cfg->ntargets; i++) {
		t = &cfg->targets[i];
		for (r = config_rows; r < config_rows + NROWS; r++) {
			if (r->base != BASE_LIMITS)
				continue;
			v = config_ptr(r, cfg, NULL, t);
			if (*v < 0)
				*v = *(long long *)config_ptr(r, cfg, NULL,
				    NULL);
		}
	}

	for (i = 0; i < p->nrefs; i++) {
		ref = &p->refs[i];
		t = &cfg->targets[ref->target];
		if (ref->policy && config_find_policy(cfg, ref->name) == NULL)
			parse_error_at(p, &ref->loc, "Policy \"%s\" for target "
			    "\"%s\" is not defined (add a Policy block or use "
			    "builtin)", ref->name, t->name);
		if (!ref->policy && config_find_user(cfg, ref->name) == NULL)
			parse_warn_at(p, &ref->loc, "AllowUsers names \"%s\", "
			    "who is not defined by a User block", ref->name);
	}

	for (i = 0; i < cfg->npolicies; i++) {
		for (j = 0, found = 0; j < cfg->ntargets && !found; j++) {
			t = &cfg->targets[j];
			found = t->policy != NULL &&
			    strcmp(t->policy, cfg->policies[i].name) == 0;
		}
		loc.file = cfg->policies[i].file;
		loc.line = cfg->policies[i].line;
		if (!found)
			parse_warn_at(p, &loc, "Policy \"%s\" is not used by "
			    "any target", cfg->policies[i].name);
	}

	for (i = 0; i < cfg->ntargets; i++) {
		t = &cfg->targets[i];
		for (j = 0, found = 0; j < cfg->nusers && !found; j++)
			found = config_user_allowed(&cfg->users[j], t);
		loc.file = t->file;
		loc.line = t->line;
		if (!found)
			parse_warn_at(p, &loc, "target \"%s\" cannot be used "
			    "by anyone: its AllowUsers and AllowGroups match "
			    "no User", t->name);
	}
}

/* Load from a file (text == NULL) or a buffer. */
static int
config_load_common(const char *name, const char *text, size_t len,
    int flags, struct config **out, struct config_diags *diags)
{
	struct parse	 p;
	size_t		 i;

	memset(diags, 0, sizeof *diags);
	memset(&p, 0, sizeof p);
	p.cfg = xcalloc(1, sizeof *p.cfg);
	p.cfg->path = xstrdup(name);
	p.diags = diags;
	p.flags = flags;
	p.scope = CK_GLOBAL;
	p.loc.file = p.cfg->path;
	parse_defaults(&p);

	if (text == NULL) {
		if (flags & CONFIG_NOFILES)
			parse_error_at(&p, &p.loc, "cannot be read: files may "
			    "not be opened");
		else
			parse_file(&p, name, 0);
	} else
		parse_text(&p, name, text, len);
	parse_finish(&p);

	for (i = 0; i < p.nnames; i++)
		free(p.names[i]);
	free(p.names);
	for (i = 0; i < p.nrefs; i++)
		free(p.refs[i].name);
	free(p.refs);
	if (diags->nerrors != 0) {
		config_free(p.cfg);
		return (-1);
	}
	*out = p.cfg;
	return (0);
}

/* Load and check the configuration at path. */
int
config_load(const char *path, int flags, struct config **out,
    struct config_diags *diags)
{
	return (config_load_common(path, NULL, 0, flags, out, diags));
}

/* Load and check a configuration held in memory. */
int
config_load_buffer(const char *name, const char *text, size_t len,
    int flags, struct config **out, struct config_diags *diags)
{
	return (config_load_common(name, text, len, flags, out, diags));
}

/* Free a configuration. */
void
config_free(struct config *cfg)
{
	struct config_user	*u;
	struct config_target	*t;
	size_t			 i, k;

	if (cfg == NULL)
		return;
	free(cfg->path);
	free(cfg->state_dir);
	config_free_list(cfg->listen, cfg->nlisten);
	free(cfg->host_key);
	free(cfg->session_user);
	free(cfg->vault_key);
	for (i = 0; i < cfg->nusers; i++) {
		u = &cfg->users[i];
		free(u->name);
		config_free_list(u->groups, u->ngroups);
		free(u->os_user);
		free(u->authorized_keys);
		free(u->file);
	}
	free(cfg->users);
	for (i = 0; i < cfg->ntargets; i++) {
		t = &cfg->targets[i];
		free(t->name);
		free(t->connect);
		config_free_list(t->allow_users, t->nallow_users);
		config_free_list(t->allow_groups, t->nallow_groups);
		config_free_list(t->read_only, t->nread_only);
		free(t->policy);
		free(t->file);
	}
	free(cfg->targets);
	for (i = 0; i < cfg->npolicies; i++) {
		for (k = 0; k < cfg->policies[i].nrules; k++)
			policy_rule_free(&cfg->policies[i].rules[k]);
		free(cfg->policies[i].rules);
		for (k = 0; k < cfg->policies[i].nmasks; k++) {
			free(cfg->policies[i].masks[k].schema);
			free(cfg->policies[i].masks[k].table);
			free(cfg->policies[i].masks[k].column);
			free(cfg->policies[i].masks[k].file);
		}
		free(cfg->policies[i].masks);
		free(cfg->policies[i].name);
		free(cfg->policies[i].file);
	}
	free(cfg->policies);
	free(cfg);
}

/* Free the messages of a load. */
void
config_diags_free(struct config_diags *d)
{
	config_free_list(d->msgs, d->n);
	memset(d, 0, sizeof *d);
}

/* Append a word, quoted if it must be to read back the same. */
void
config_dump_word(struct buf *b, const char *s)
{
	if (*s != '\0' && strpbrk(s, " \t\r#\"\\") == NULL) {
		buf_adds(b, s);
		return;
	}
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

/* Append the keyword lines of one scope. */
static void
config_dump_scope(struct buf *b, struct config *cfg, struct config_user *u,
    struct config_target *t, int scope, const char *indent)
{
	const struct config_row		*r;
	const struct config_choice	*c;
	void				*ptr;
	char				**v;
	size_t				 n, i;
	int				 iv;

	for (r = config_rows; r < config_rows + NROWS; r++) {
		if (!(r->kw.where & scope) || r->kw.type == CKT_BLOCK ||
		    r->kw.type == CKT_INCLUDE)
			continue;
		ptr = config_ptr(r, cfg, u, t);
		if (config_is_list(r)) {
			v = *(char ***)ptr;
			n = *(size_t *)((char *)ptr - r->off + r->noff);
			for (i = 0; i < n; i++) {
				if (i == 0 || r->kw.type != CKT_LIST)
					buf_printf(b, "%s%s", indent,
					    r->kw.name);
				buf_addc(b, ' ');
				config_dump_word(b, v[i]);
				if (i + 1 == n || r->kw.type != CKT_LIST)
					buf_addc(b, '\n');
			}
			continue;
		}
		if ((r->kw.type == CKT_STRING || r->kw.type == CKT_PATH) &&
		    *(char **)ptr == NULL && r->kw.def == NULL)
			continue;
		buf_printf(b, "%s%s ", indent, r->kw.name);
		iv = 0;
		if (r->base != BASE_LIMITS && (r->kw.type == CKT_COUNT ||
		    r->kw.type == CKT_BOOL || r->kw.type == CKT_ENUM))
			iv = *(int *)ptr;
		switch (r->kw.type) {
		case CKT_STRING:
		case CKT_PATH:
			config_dump_word(b, *(char **)ptr != NULL ?
			    *(char **)ptr : r->kw.def);
			break;
		case CKT_DURATION:
			config_format_duration(b, *(long long *)ptr);
			break;
		case CKT_SIZE:
			config_format_size(b, *(long long *)ptr);
			break;
		case CKT_COUNT:
			if (r->base == BASE_LIMITS)
				buf_printf(b, "%lld", *(long long *)ptr);
			else
				buf_printf(b, "%d", iv);
			break;
		case CKT_BOOL:
			buf_adds(b, iv ? "yes" : "no");
			break;
		default:
			for (c = r->choices; c->name != NULL; c++) {
				if (c->value == iv)
					break;
			}
			buf_adds(b, c->name != NULL ? c->name : "none");
			break;
		}
		buf_addc(b, '\n');
	}
}

/* Append the effective configuration in config file syntax. */
static void	 config_dump_masks(struct buf *, const struct config_policy *);

void
config_dump(const struct config *ccfg, struct buf *b)
{
	struct config	*cfg = (struct config *)ccfg; /* only read */
	size_t		 i, k;

	config_dump_scope(b, cfg, NULL, NULL, CK_GLOBAL, "");
	for (i = 0; i < cfg->nusers; i++) {
		buf_adds(b, "\nUser ");
		config_dump_word(b, cfg->users[i].name);
		buf_addc(b, '\n');
		config_dump_scope(b, cfg, &cfg->users[i], NULL, CK_USER,
		    "    ");
	}
	for (i = 0; i < cfg->ntargets; i++) {
		buf_adds(b, "\nTarget ");
		config_dump_word(b, cfg->targets[i].name);
		buf_addc(b, '\n');
		config_dump_scope(b, cfg, NULL, &cfg->targets[i], CK_TARGET,
		    "    ");
	}
	for (i = 0; i < cfg->npolicies; i++) {
		buf_adds(b, "\nPolicy ");
		config_dump_word(b, cfg->policies[i].name);
		buf_addc(b, '\n');
		for (k = 0; k < cfg->policies[i].nrules; k++) {
			buf_adds(b, "    ");
			policy_rule_format(&cfg->policies[i].rules[k], b);
			buf_addc(b, '\n');
		}
		config_dump_masks(b, &cfg->policies[i]);
	}
	policy_builtin_dump(b);
}

/* Append a policy's Mask, Unmask and Detect lines. */
static void
config_dump_masks(struct buf *b, const struct config_policy *pol)
{
	const struct config_mask	*m;
	char				*pat;
	size_t				 k;
	unsigned int			 i;

	for (k = 0; k < pol->nmasks; k++) {
		m = &pol->masks[k];
		buf_adds(b, m->unmask ? "    Unmask " : "    Mask ");
		/* One word: quoting applies to the whole pattern. */
		xasprintf(&pat, "%s%s%s.%s", m->schema != NULL ? m->schema :
		    "", m->schema != NULL ? "." : "", m->table, m->column);
		config_dump_word(b, pat);
		free(pat);
		if (!m->unmask) {
			buf_printf(b, " %s", mask_strategy_name(m->strategy));
			if (m->strategy == MASK_PARTIAL)
				buf_printf(b, " %u", m->keep);
		}
		buf_addc(b, '\n');
	}
	buf_adds(b, "    Detect");
	if (config_policy_detect(pol) == DETECT_ALL)
		buf_adds(b, " all");
	else if (config_policy_detect(pol) == 0)
		buf_adds(b, " none");
	else {
		for (i = 0; detect_name(i) != NULL; i++)
			if (config_policy_detect(pol) & (1u << i))
				buf_printf(b, " %s", detect_name(i));
	}
	buf_addc(b, '\n');
}

/* The detectors of a policy; builtin (NULL) has all of them. */
unsigned int
config_policy_detect(const struct config_policy *pol)
{
	if (pol == NULL || !pol->detect_set)
		return (DETECT_ALL);
	return (pol->detect);
}

/* The first Mask or Unmask line matching a column, or NULL. */
const struct config_mask *
config_mask_match(const struct config_policy *pol, const char *schema,
    const char *table, const char *column)
{
	const struct config_mask	*m;
	size_t				 i;

	if (pol == NULL)
		return (NULL);
	for (i = 0; i < pol->nmasks; i++) {
		m = &pol->masks[i];
		if (m->schema != NULL && (schema == NULL ||
		    fnmatch(m->schema, schema, FNM_CASEFOLD) != 0))
			continue;
		if (fnmatch(m->table, table, FNM_CASEFOLD) == 0 &&
		    fnmatch(m->column, column, FNM_CASEFOLD) == 0)
			return (m);
	}
	return (NULL);
}

/* The keyword table. Returns static memory. */
const struct config_keyword *
config_keywords(size_t *n)
{
	static struct config_keyword	 kw[NROWS];
	size_t				 i;

	if (kw[0].name == NULL) {
		for (i = 0; i < NROWS; i++)
			kw[i] = config_rows[i].kw;
	}
	*n = NROWS;
	return (kw);
}

/* The target called name, or NULL. */
const struct config_target *
config_find_target(const struct config *cfg, const char *name)
{
	size_t	 i;

	for (i = 0; i < cfg->ntargets; i++) {
		if (strcmp(cfg->targets[i].name, name) == 0)
			return (&cfg->targets[i]);
	}
	return (NULL);
}

/* The user called name, or NULL. */
const struct config_user *
config_find_user(const struct config *cfg, const char *name)
{
	size_t	 i;

	for (i = 0; i < cfg->nusers; i++) {
		if (strcmp(cfg->users[i].name, name) == 0)
			return (&cfg->users[i]);
	}
	return (NULL);
}

/* The policy block called name, or NULL. */
const struct config_policy *
config_find_policy(const struct config *cfg, const char *name)
{
	size_t	 i;

	for (i = 0; name != NULL && i < cfg->npolicies; i++) {
		if (strcmp(cfg->policies[i].name, name) == 0)
			return (&cfg->policies[i]);
	}
	return (NULL);
}

/* The user whose OSUser is os_user, or NULL. */
const struct config_user *
config_find_os_user(const struct config *cfg, const char *os_user)
{
	size_t	 i;

	for (i = 0; i < cfg->nusers; i++) {
		if (cfg->users[i].os_user != NULL &&
		    strcmp(cfg->users[i].os_user, os_user) == 0)
			return (&cfg->users[i]);
	}
	return (NULL);
}

/* 1 if the target's AllowUsers names u or AllowGroups one of u's groups. */
int
config_user_allowed(const struct config_user *u,
    const struct config_target *t)
{
	size_t	 i, j;

	for (i = 0; i < t->nallow_users; i++) {
		if (strcmp(t->allow_users[i], u->name) == 0)
			return (1);
	}
	for (i = 0; i < t->nallow_groups; i++) {
		for (j = 0; j < u->ngroups; j++) {
			if (strcmp(t->allow_groups[i], u->groups[j]) == 0)
				return (1);
		}
	}
	return (0);
}

/* The Driver keyword's word for d. */
const char *
config_driver_name(enum config_driver d)
{
	const struct config_choice	*c;

	for (c = config_drivers; c->name != NULL; c++) {
		if (c->value == (int)d)
			return (c->name);
	}
	return ("none");
}

/*
 * Split a Connect string in libpq conninfo syntax: key = value pairs
 * separated by blanks, keys [a-z_]+, values bare or in single quotes, a
 * backslash taking the next character literally. On success the caller
 * owns the arrays (connect_free); on failure *err (caller frees).
 */
int
connect_parse(const char *s, char ***keysp, char ***valsp, size_t *np,
    char **err)
{
	char		**keys = NULL, **vals = NULL;
	const char	 *k;
	size_t		  n = 0, klen;
	struct buf	  b;

#define SPACE(c)	isspace((unsigned char)(c))
	buf_init(&b);
	for (;;) {
		while (SPACE(*s))
			s++;
		if (*s == '\0')
			break;
		for (k = s; (*s >= 'a' && *s <= 'z') || *s == '_'; s++)
			;
		klen = s - k;
		if (klen == 0 || (*s != '=' && *s != '\0' && !SPACE(*s))) {
			klen = strcspn(k, "= \t\n\r\f\v");
			xasprintf(err, "bad key \"%.*s\" (keys are lower-case "
			    "letters and _)", (int)klen, k);
			goto fail;
		}
		while (SPACE(*s))
			s++;
		if (*s != '=') {
			xasprintf(err, "missing \"=\" after \"%.*s\"",
			    (int)klen, k);
			goto fail;
		}
		for (s++; SPACE(*s); s++)
			;
		buf_reset(&b);
		if (*s == '\'') {
			for (s++; *s != '\'' && *s != '\0'; s++) {
				if (*s == '\\' && s[1] != '\0')
					s++;
				buf_addc(&b, *s);
			}
			if (*s++ == '\0') {
				xasprintf(err, "unterminated quote in the "
				    "value of \"%.*s\"", (int)klen, k);
				goto fail;
			}
		} else {
			for (; *s != '\0' && !SPACE(*s); s++) {
				if (*s == '\\' && s[1] != '\0')
					s++;
				buf_addc(&b, *s);
			}
		}
		keys = xreallocarray(keys, n + 1, sizeof *keys);
		vals = xreallocarray(vals, n + 1, sizeof *vals);
		keys[n] = xstrndup(k, klen);
		vals[n++] = xstrdup(buf_cstr(&b));
	}
	buf_free(&b);
	*keysp = keys;
	*valsp = vals;
	*np = n;
	return (0);
fail:
	buf_free(&b);
	connect_free(keys, vals, n);
	return (-1);
#undef SPACE
}

/* Free what connect_parse returned. */
void
connect_free(char **keys, char **vals, size_t n)
{
	config_free_list(keys, n);
	config_free_list(vals, n);
}

/* Split "ssh:ADDRESS:PORT" (IPv6 in brackets). */
int
config_listen_ssh(const char *s, char **addr, int *port)
{
	unsigned char	 a[16];
	const char	*host, *colon;
	char		*h;
	long long	 n;
	size_t		 len;
	int		 v6 = 0;

	if (strncmp(s, "ssh:", 4) != 0)
		return (-1);
	host = s + 4;
	if (*host == '[') {
		if ((colon = strchr(host, ']')) == NULL || colon[1] != ':')
			return (-1);
		h = xstrndup(host + 1, (size_t)(colon - host - 1));
		colon++;
		v6 = 1;
	} else {
		if ((colon = strrchr(host, ':')) == NULL)
			return (-1);
		h = xstrndup(host, (size_t)(colon - host));
	}
	len = strlen(colon + 1);
	if ((v6 ? inet_pton(AF_INET6, h, a) : inet_pton(AF_INET, h, a)) != 1 ||
	    len == 0 || len > 5 || config_parse_count(colon + 1, &n) != 0 ||
	    n < 1 || n > 65535) {
		free(h);
		return (-1);
	}
	*addr = h;
	*port = (int)n;
	return (0);
}
