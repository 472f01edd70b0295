/*
 * test-config.c: unit tests for config.c. Good files under
 * tests/data/config must load cleanly and survive a dump round trip; each
 * bad file lists the messages it must produce in "#expect:" lines. Files
 * whose permissions matter are made at run time in a temporary directory.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "detect.h"
#include "tap.h"

static char	*datadir;	/* .../tests/data/config */

/* A valid public key for AuthorizedKeys files made here. */
#define TEST_PUBKEY	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKgLfRk8" \
	"wz/g+Ja3SSJvP0uuX61QcPjBeURg1rud+5CH"
static char	*topdir;	/* the source root */

/* Read a whole file into a NUL-terminated string, or NULL. */
static char *
read_text(const char *path, size_t *lenp)
{
	struct buf	 b;
	FILE		*f;
	char		 tmp[4096];
	size_t		 n;

	if ((f = fopen(path, "r")) == NULL)
		return (NULL);
	buf_init(&b);
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_add(&b, tmp, n);
	fclose(f);
	if (lenp != NULL)
		*lenp = b.len;
	return (buf_cstr(&b));
}

/* Write a file and give it exactly mode. */
static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL) {
		tap_ok(0, "create %s: %s", path, strerror(errno));
		return;
	}
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

/* 1 if msg is one of the messages in d. */
static int
has_msg(const struct config_diags *d, const char *msg)
{
	size_t	 i;

	for (i = 0; i < d->n; i++) {
		if (strcmp(d->msgs[i], msg) == 0)
			return (1);
	}
	return (0);
}

/* Show every message, as TAP comments. */
static void
show_msgs(const struct config_diags *d)
{
	size_t	 i;

	for (i = 0; i < d->n; i++)
		printf("#   %s\n", d->msgs[i]);
}

/* Replace %F with file and %D with dir in s. */
static char *
expand(const char *s, const char *file, const char *dir)
{
	struct buf	 b;

	buf_init(&b);
	for (; *s != '\0'; s++) {
		if (s[0] == '%' && s[1] == 'F') {
			buf_adds(&b, file);
			s++;
		} else if (s[0] == '%' && s[1] == 'D') {
			buf_adds(&b, dir);
			s++;
		} else
			buf_addc(&b, *s);
	}
	return (buf_cstr(&b));
}

/*
 * Load a bad file and check its "#expect: [FILE:]LINE: message" lines:
 * each must be produced, and nothing else.
 */
static void
check_bad(const char *path)
{
	struct config		*cfg = NULL, *sentinel;
	struct config_diags	 d;
	char			*text, *line, *next, *exp, *full, *rest;
	size_t			 nexp = 0, nerr = 0;
	int			 rc, ok = 1;

	sentinel = (struct config *)&ok;
	cfg = sentinel;
	rc = config_load(path, 0, &cfg, &d);
	tap_ok(rc == -1 && cfg == sentinel, "%s: refused, out untouched",
	    path);
	if ((text = read_text(path, NULL)) == NULL) {
		tap_ok(0, "read %s", path);
		return;
	}
	for (line = text; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (strncmp(line, "#expect: ", 9) != 0)
			continue;
		rest = line + 9;
		exp = expand(rest, path, datadir);
		if (exp[strspn(exp, "0123456789")] == ':')
			xasprintf(&full, "%s:%s", path, exp);
		else
			xasprintf(&full, "%s/%s", datadir, exp);
		nexp++;
		if (strstr(exp, ": warning: ") == NULL)
			nerr++;
		if (!tap_ok(has_msg(&d, full), "%s", full))
			show_msgs(&d);
		free(exp);
		free(full);
	}
	tap_ok(nexp > 0, "%s: has #expect lines", path);
	if (!tap_ok((size_t)d.nerrors == nerr && d.n == nexp,
	    "%s: %zu errors, %zu messages (got %d, %zu)", path, nerr, nexp,
	    d.nerrors, d.n))
		show_msgs(&d);
	free(text);
	config_diags_free(&d);
}

/* Compare two lists of strings. */
static int
list_equal(char **a, size_t na, char **b, size_t nb)
{
	size_t	 i;

	if (na != nb)
		return (0);
	for (i = 0; i < na; i++) {
		if (strcmp(a[i], b[i]) != 0)
			return (0);
	}
	return (1);
}

/* Compare two strings that may be NULL. */
static int
str_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

/* 1 if two configurations are equal (file names and lines aside). */
static int
config_equal(const struct config *a, const struct config *b)
{
	const struct config_user	*ua, *ub;
	const struct config_target	*ta, *tb;
	size_t				 i, j;

	if (!str_equal(a->state_dir, b->state_dir) ||
	    !list_equal(a->listen, a->nlisten, b->listen, b->nlisten) ||
	    !str_equal(a->session_user, b->session_user) ||
	    !str_equal(a->vault_key, b->vault_key) ||
	    a->max_sessions != b->max_sessions ||
	    a->max_sessions_per_user != b->max_sessions_per_user ||
	    a->log_level != b->log_level ||
	    memcmp(&a->defaults, &b->defaults, sizeof a->defaults) != 0 ||
	    a->nusers != b->nusers || a->ntargets != b->ntargets ||
	    a->npolicies != b->npolicies)
		return (0);
	for (i = 0; i < a->nusers; i++) {
		ua = &a->users[i];
		ub = &b->users[i];
		if (!str_equal(ua->name, ub->name) ||
		    !list_equal(ua->groups, ua->ngroups, ub->groups,
		    ub->ngroups) ||
		    !str_equal(ua->os_user, ub->os_user) ||
		    !str_equal(ua->authorized_keys, ub->authorized_keys) ||
		    ua->agent != ub->agent ||
		    ua->max_sessions != ub->max_sessions)
			return (0);
	}
	for (i = 0; i < a->ntargets; i++) {
		ta = &a->targets[i];
		tb = &b->targets[i];
		if (!str_equal(ta->name, tb->name) ||
		    ta->driver != tb->driver ||
		    !str_equal(ta->connect, tb->connect) ||
		    !list_equal(ta->allow_users, ta->nallow_users,
		    tb->allow_users, tb->nallow_users) ||
		    !list_equal(ta->allow_groups, ta->nallow_groups,
		    tb->allow_groups, tb->nallow_groups) ||
		    !str_equal(ta->policy, tb->policy) ||
		    memcmp(&ta->limits, &tb->limits, sizeof ta->limits) != 0)
			return (0);
	}
	for (i = 0; i < a->npolicies; i++) {
		const struct config_policy *pa = &a->policies[i],
		    *pb = &b->policies[i];

		if (!str_equal(pa->name, pb->name) ||
		    pa->nmasks != pb->nmasks ||
		    config_policy_detect(pa) != config_policy_detect(pb))
			return (0);
		for (j = 0; j < pa->nmasks; j++) {
			if (!str_equal(pa->masks[j].schema,
			    pb->masks[j].schema) ||
			    !str_equal(pa->masks[j].table,
			    pb->masks[j].table) ||
			    !str_equal(pa->masks[j].column,
			    pb->masks[j].column) ||
			    pa->masks[j].unmask != pb->masks[j].unmask ||
			    pa->masks[j].strategy != pb->masks[j].strategy ||
			    pa->masks[j].keep != pb->masks[j].keep)
				return (0);
		}
	}
	return (1);
}

/* Dump cfg, read the dump back without files, and compare. */
static void
check_round_trip(const char *what, const struct config *cfg)
{
	struct config		*again = NULL;
	struct config_diags	 d;
	struct buf		 b1, b2;

	buf_init(&b1);
	buf_init(&b2);
	config_dump(cfg, &b1);
	buf_cstr(&b1);
	if (!tap_ok(config_load_buffer("dump", b1.data, b1.len,
	    CONFIG_NOFILES, &again, &d) == 0 && d.n == 0,
	    "%s: dump reads back cleanly", what)) {
		show_msgs(&d);
		printf("# dump:\n%s", b1.data);
	} else {
		tap_ok(config_equal(cfg, again), "%s: dump gives an equal "
		    "configuration", what);
		config_dump(again, &b2);
		tap_is(buf_cstr(&b2), b1.data, "%s: dump of the dump is the "
		    "same", what);
		config_free(again);
	}
	config_diags_free(&d);
	buf_free(&b1);
	buf_free(&b2);
}

/* Load a file that must be good; returns it (caller frees) or NULL. */
static struct config *
load_good(const char *path, int flags)
{
	struct config		*cfg = NULL;
	struct config_diags	 d;
	int			 rc;

	rc = config_load(path, flags, &cfg, &d);
	if (!tap_ok(rc == 0 && d.n == 0, "%s loads with no message", path))
		show_msgs(&d);
	config_diags_free(&d);
	return (rc == 0 ? cfg : NULL);
}

/* Compare names in a directory, for qsort. */
static int
cmp_str(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Every good-*.conf and bad-*.conf in the data directory. */
static void
test_files(void)
{
	DIR		*dir;
	struct dirent	*de;
	struct config	*cfg;
	char		**names = NULL, *path;
	size_t		 n = 0, i, ngood = 0, nbad = 0;

	if ((dir = opendir(datadir)) == NULL) {
		tap_ok(0, "open %s: %s", datadir, strerror(errno));
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		if (strlen(de->d_name) < 6 ||
		    strcmp(de->d_name + strlen(de->d_name) - 5, ".conf") != 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof *names, cmp_str);
	for (i = 0; i < n; i++) {
		xasprintf(&path, "%s/%s", datadir, names[i]);
		if (strncmp(names[i], "good-", 5) == 0) {
			ngood++;
			if ((cfg = load_good(path, 0)) != NULL) {
				check_round_trip(path, cfg);
				config_free(cfg);
			}
		} else if (strncmp(names[i], "bad-", 4) == 0) {
			nbad++;
			check_bad(path);
		}
		free(path);
		free(names[i]);
	}
	free(names);
	tap_ok(ngood >= 4 && nbad >= 10, "found %zu good and %zu bad files",
	    ngood, nbad);
}

/* Defaults, from the spec of each keyword. */
static void
test_defaults(void)
{
	struct config	*cfg;
	char		*path;

	xasprintf(&path, "%s/good-empty.conf", datadir);
	cfg = load_good(path, 0);
	free(path);
	if (cfg == NULL)
		return;
	tap_is(cfg->state_dir, "/var/lib/dbgate", "default StateDir");
	tap_ok(cfg->nlisten == 1, "one default Listen");
	if (cfg->nlisten == 1)
		tap_is(cfg->listen[0], "unix:" DBGATE_SOCKET_PATH,
		    "default Listen is the compiled-in socket");
	tap_is(cfg->session_user, "nobody", "default SessionUser");
	tap_is(cfg->vault_key, "/var/lib/dbgate/vault.key",
	    "default VaultKey is in StateDir");
	tap_ok(cfg->max_sessions == 100, "default MaxSessions");
	tap_ok(cfg->max_sessions_per_user == 10, "default MaxSessionsPerUser");
	tap_ok(cfg->host_key == NULL, "no HostKey: StateDir's is used");
	tap_ok(cfg->max_startups == 64 && cfg->per_source_max_startups == 8 &&
	    cfg->login_grace_ms == 30000,
	    "default MaxStartups, PerSourceMaxStartups, LoginGraceTime");
	tap_ok(cfg->log_level == LOG_LEVEL_INFO, "default LogLevel");
	tap_ok(cfg->defaults.statement_timeout_ms == 5 * 60 * 1000,
	    "default StatementTimeout");
	tap_ok(cfg->defaults.lock_timeout_ms == 30 * 1000,
	    "default LockTimeout");
	tap_ok(cfg->defaults.idle_in_transaction_timeout_ms == 5 * 60 * 1000,
	    "default IdleInTransactionTimeout");
	tap_ok(cfg->defaults.max_rows == 0, "default MaxRows");
	tap_ok(cfg->defaults.max_cell_bytes == 16 * 1024 * 1024,
	    "default MaxCellBytes");
	tap_ok(cfg->nusers == 0 && cfg->ntargets == 0 && cfg->npolicies == 0,
	    "no blocks");
	config_free(cfg);
}

/* The Mask lines of good-full.conf's Policy prod. */
static void
test_full_masks(const struct config_policy *pol)
{
	const struct config_mask	*m;

	if (!tap_ok(pol != NULL && pol->nmasks == 6, "six Mask/Unmask lines"))
		return;
	m = config_mask_match(pol, "public", "customers", "email");
	tap_ok(m != NULL && m->strategy == MASK_EMAIL && !m->unmask,
	    "customers.email in any schema: email");
	m = config_mask_match(pol, "app", "CUSTOMERS", "SSN");
	tap_ok(m != NULL && m->strategy == MASK_PARTIAL && m->keep == 4,
	    "app.customers.ssn, any case: partial 4");
	tap_ok(config_mask_match(pol, "public", "customers", "ssn") == NULL,
	    "public.customers.ssn is not app's");
	tap_ok(config_mask_match(pol, NULL, "customers", "ssn") == NULL,
	    "a schema pattern needs a known schema");
	m = config_mask_match(pol, "x", "users", "secret_key");
	tap_ok(m != NULL && m->strategy == MASK_HASH, "globs: hash");
	m = config_mask_match(pol, "my schema", "customers", "card");
	tap_ok(m != NULL && m->strategy == MASK_REDACT, "quoted pattern");
	m = config_mask_match(pol, "x", "orders", "tracking_no");
	tap_ok(m != NULL && m->unmask, "Unmask comes first for its column");
	m = config_mask_match(pol, "x", "orders", "total");
	tap_ok(m != NULL && m->strategy == MASK_NULL, "orders.* null");
	tap_ok(config_mask_match(pol, "x", "customers", "name") == NULL,
	    "an unmatched column");
	tap_ok(config_policy_detect(pol) == (DETECT_EMAIL | DETECT_CARD |
	    DETECT_IBAN), "Detect email card iban");
	tap_ok(config_policy_detect(NULL) == DETECT_ALL,
	    "builtin detects everything");
}

/* The values of good-full.conf, and the lookups. */
static void
test_full(void)
{
	struct config			*cfg;
	const struct config_target	*prod, *shop, *lpg;
	const struct config_user	*alice, *ci;
	char				*path;

	xasprintf(&path, "%s/good-full.conf", datadir);
	cfg = load_good(path, 0);
	free(path);
	if (cfg == NULL)
		return;
	tap_ok(cfg->nlisten == 4 && strcmp(cfg->listen[1],
	    "unix:/run/dbgate/with space.sock") == 0,
	    "Listen given again replaces the default and keeps each");
	tap_ok(cfg->nlisten == 4 && strcmp(cfg->listen[2],
	    "ssh:0.0.0.0:2222") == 0 && strcmp(cfg->listen[3],
	    "ssh:[::1]:22") == 0, "SSH listeners");
	tap_is(cfg->host_key, "/nonexistent/dbgate-test/keys/host_key",
	    "HostKey (it need not exist: it is created)");
	tap_ok(cfg->max_startups == 5 && cfg->per_source_max_startups == 2 &&
	    cfg->login_grace_ms == 60000,
	    "MaxStartups, PerSourceMaxStartups, LoginGraceTime");
	tap_is(cfg->vault_key, "/nonexistent/dbgate-test/vault.key",
	    "VaultKey follows StateDir");
	tap_ok(cfg->log_level == LOG_LEVEL_DEBUG, "LogLevel DEBUG");
	tap_ok(cfg->max_sessions == 50 && cfg->max_sessions_per_user == 5,
	    "MaxSessions, MaxSessionsPerUser");
	tap_ok(cfg->defaults.statement_timeout_ms == 90000 &&
	    cfg->defaults.lock_timeout_ms == 500 &&
	    cfg->defaults.idle_in_transaction_timeout_ms == 0 &&
	    cfg->defaults.max_rows == 1000 &&
	    cfg->defaults.max_cell_bytes == 64 * 1024, "global limits");

	alice = config_find_user(cfg, "alice");
	ci = config_find_user(cfg, "ci-agent");
	prod = config_find_target(cfg, "prod");
	shop = config_find_target(cfg, "shop");
	lpg = config_find_target(cfg, "local-pg");
	if (!tap_ok(alice && ci && prod && shop && lpg, "blocks found"))
		goto out;
	tap_ok(config_find_user(cfg, "bob") == NULL, "no user bob");
	tap_ok(config_find_target(cfg, "PROD") == NULL,
	    "target names are case-sensitive");
	tap_ok(alice->ngroups == 2 && strcmp(alice->groups[0], "engineers")
	    == 0 && strcmp(alice->groups[1], "dba") == 0,
	    "Groups given twice appends");
	tap_ok(alice->max_sessions == 3 && ci->max_sessions == 0,
	    "User MaxSessions, and its default 0");
	tap_ok(ci->agent == 1 && alice->agent == 0, "Agent");
	tap_ok(config_find_os_user(cfg, "ci") == ci, "OSUser ci is ci-agent");
	tap_ok(config_find_os_user(cfg, "alice") == alice, "OSUser alice");
	tap_ok(config_find_os_user(cfg, "ci-agent") == NULL,
	    "OSUser matches OSUser, not the user name");

	tap_ok(prod->driver == DRIVER_POSTGRESQL &&
	    shop->driver == DRIVER_MARIADB && lpg->driver == DRIVER_POSTGRESQL,
	    "Driver");
	tap_is(config_driver_name(prod->driver), "postgresql", "driver name");
	tap_is(config_driver_name(shop->driver), "mariadb", "driver name");
	tap_is(prod->policy, "prod", "Policy prod");
	tap_ok(shop->policy == NULL && lpg->policy == NULL,
	    "Policy builtin is NULL, and the default");
	tap_ok(prod->limits.statement_timeout_ms == 30000 &&
	    prod->limits.lock_timeout_ms == 500 &&
	    prod->limits.max_rows == 10000 &&
	    prod->limits.max_cell_bytes == 64 * 1024,
	    "target limits override the global ones");
	tap_ok(shop->limits.statement_timeout_ms == 90000 &&
	    shop->limits.max_cell_bytes == 1024 * 1024,
	    "other target limits");
	tap_ok(config_user_allowed(alice, prod) &&
	    config_user_allowed(ci, prod), "AllowGroups lets both in");
	tap_ok(config_user_allowed(alice, shop) &&
	    !config_user_allowed(ci, shop), "AllowUsers alice only");
	tap_ok(!config_user_allowed(alice, lpg) &&
	    config_user_allowed(ci, lpg), "AllowUsers ci-agent only");
	test_full_masks(config_find_policy(cfg, "prod"));
out:
	config_free(cfg);
}

/* Include order, relative paths, and globals after an Include. */
static void
test_include(void)
{
	struct config	*cfg;
	char		*path;

	xasprintf(&path, "%s/good-include.conf", datadir);
	cfg = load_good(path, 0);
	free(path);
	if (cfg == NULL)
		return;
	tap_ok(cfg->ntargets == 2 && strcmp(cfg->targets[0].name, "a") == 0 &&
	    strcmp(cfg->targets[1].name, "b") == 0,
	    "glob matches are read in sorted order");
	tap_ok(cfg->defaults.statement_timeout_ms == 60000,
	    "relative Include read");
	tap_ok(cfg->ntargets == 2 && cfg->targets[0].limits.max_rows == 3 &&
	    cfg->targets[1].limits.max_rows == 7 &&
	    cfg->targets[1].limits.statement_timeout_ms == 60000,
	    "globals apply to targets read before them");
	config_free(cfg);
}

/* Quoting, escapes and comments. */
static void
test_quoting(void)
{
	struct config			*cfg;
	const struct config_target	*t;
	char				*path, **k, **v;
	size_t				 n;
	char				*err;

	xasprintf(&path, "%s/good-quoting.conf", datadir);
	cfg = load_good(path, 0);
	free(path);
	if (cfg == NULL)
		return;
	tap_is(cfg->state_dir, "/nonexistent/dbgate test", "quoted blank");
	tap_is(cfg->session_user, "we\"ird\\name", "\\\" and \\\\ escapes");
	tap_is(cfg->listen[0], "unix:/tmp/a\\b.sock",
	    "other backslashes are kept");
	tap_ok(cfg->nusers == 1 && cfg->users[0].ngroups == 3,
	    "three groups");
	if (cfg->nusers == 1 && cfg->users[0].ngroups == 3) {
		tap_is(cfg->users[0].groups[0], "data team", "quoted group");
		tap_is(cfg->users[0].groups[1], "ops#1",
		    "# inside a word is not a comment");
		tap_is(cfg->users[0].groups[2], "#hash", "quoted #");
	}
	t = config_find_target(cfg, "pg");
	if (tap_ok(t != NULL, "target pg")) {
		tap_is(t->connect, "host=/tmp dbname='my \\'db\\'' user = x",
		    "Connect kept verbatim");
		if (tap_ok(connect_parse(t->connect, &k, &v, &n, &err) == 0 &&
		    n == 3, "Connect splits")) {
			tap_is(v[1], "my 'db'", "quoted value with \\'");
			tap_is(k[2], "user", "key before \" = \"");
			tap_is(v[2], "x", "value after \" = \"");
			connect_free(k, v, n);
		}
	}
	config_free(cfg);
}

/* Durations, sizes and counts. */
static void
test_numbers(void)
{
	static const struct {
		const char	*s;
		int		 rc;
		long long	 v;
	} durations[] = {
		{ "0", 0, 0 }, { "0ms", 0, 0 }, { "500ms", 0, 500 },
		{ "30s", 0, 30000 }, { "5m", 0, 300000 },
		{ "1h", 0, 3600000 }, { "2d", 0, 172800000 },
		{ "45", 0, 45000 },
		{ "9223372036854775807ms", 0, LLONG_MAX },
		{ "106751991167d", 0, 106751991167LL * 86400000 },
		{ "106751991168d", -1, 0 },
		{ "9223372036854775807s", -1, 0 },
		{ "9223372036854775808ms", -1, 0 },
		{ "", -1, 0 }, { "-1", -1, 0 }, { "-0", -1, 0 },
		{ "+5", -1, 0 }, { " 5", -1, 0 }, { "5 s", -1, 0 },
		{ "1.5h", -1, 0 }, { "5x", -1, 0 }, { "ms", -1, 0 },
		{ "5S", -1, 0 }, { "0x10", -1, 0 }, { "5mm", -1, 0 },
	}, sizes[] = {
		{ "0", 0, 0 }, { "1", 0, 1 }, { "64k", 0, 65536 },
		{ "64K", 0, 65536 }, { "16M", 0, 16777216 },
		{ "1G", 0, 1073741824 },
		{ "8589934591G", 0, 8589934591LL * 1073741824 },
		{ "8589934592G", -1, 0 },
		{ "9223372036854775808", -1, 0 },
		{ "", -1, 0 }, { "-1", -1, 0 }, { "16MB", -1, 0 },
		{ "1T", -1, 0 }, { "1.5M", -1, 0 }, { "k", -1, 0 },
		{ " 1", -1, 0 }, { "1 k", -1, 0 },
	}, counts[] = {
		{ "0", 0, 0 }, { "2147483647", 0, INT_MAX }, { "007", 0, 7 },
		{ "2147483648", -1, 0 }, { "-1", -1, 0 }, { "", -1, 0 },
		{ "1e3", -1, 0 }, { "1k", -1, 0 }, { "+1", -1, 0 },
		{ "99999999999999999999", -1, 0 },
	};
	long long	 v;
	size_t		 i;
	int		 rc;

	for (i = 0; i < nitems(durations); i++) {
		v = -42;
		rc = config_parse_duration(durations[i].s, &v);
		tap_ok(rc == durations[i].rc && (rc != 0 ||
		    v == durations[i].v) && (rc == 0 || v == -42),
		    "duration \"%s\" -> %s %lld", durations[i].s,
		    durations[i].rc == 0 ? "ok" : "bad", durations[i].v);
	}
	for (i = 0; i < nitems(sizes); i++) {
		v = -42;
		rc = config_parse_size(sizes[i].s, &v);
		tap_ok(rc == sizes[i].rc && (rc != 0 || v == sizes[i].v) &&
		    (rc == 0 || v == -42), "size \"%s\" -> %s %lld",
		    sizes[i].s, sizes[i].rc == 0 ? "ok" : "bad", sizes[i].v);
	}
	for (i = 0; i < nitems(counts); i++) {
		v = -42;
		rc = config_parse_count(counts[i].s, &v);
		tap_ok(rc == counts[i].rc && (rc != 0 || v == counts[i].v) &&
		    (rc == 0 || v == -42), "count \"%s\" -> %s %lld",
		    counts[i].s, counts[i].rc == 0 ? "ok" : "bad",
		    counts[i].v);
	}
}

/* connect_parse: "k=v;k=v" or the error. */
#define BADKEY	"(keys are lower-case letters and _)"
static void
test_connect(void)
{
	static const struct {
		const char	*in;
		const char	*want;
	} cases[] = {
		{ "host=/tmp dbname=app", "host=/tmp;dbname=app;" },
		{ "  host = /tmp   port= 5432 ", "host=/tmp;port=5432;" },
		{ "dbname='my db'", "dbname=my db;" },
		{ "dbname='it\\'s' user='a\\\\b'", "dbname=it's;user=a\\b;" },
		{ "user=a\\ b", "user=a b;" },
		{ "", "" },
		{ " \t ", "" },
		{ "host=", "host=;" },
		{ "host='' port=1", "host=;port=1;" },
		{ "sslmode='verify-full'host=x",
		  "sslmode=verify-full;host=x;" },
		{ "target_session_attrs=any", "target_session_attrs=any;" },
		{ "host", "error: missing \"=\" after \"host\"" },
		{ "host=/tmp dbname", "error: missing \"=\" after \"dbname\"" },
		{ "Host=x", "error: bad key \"Host\" " BADKEY },
		{ "host-name=x", "error: bad key \"host-name\" " BADKEY },
		{ "=x", "error: bad key \"\" " BADKEY },
		{ "host2=x", "error: bad key \"host2\" " BADKEY },
		{ "host='abc",
		  "error: unterminated quote in the value of \"host\"" },
		{ "host='abc\\'",
		  "error: unterminated quote in the value of \"host\"" },
	};
	char		**k, **v, *err;
	size_t		 n, i, j;
	struct buf	 b;

	buf_init(&b);
	for (i = 0; i < nitems(cases); i++) {
		buf_reset(&b);
		k = v = (char **)&b;
		err = NULL;
		if (connect_parse(cases[i].in, &k, &v, &n, &err) == 0) {
			for (j = 0; j < n; j++)
				buf_printf(&b, "%s=%s;", k[j], v[j]);
			connect_free(k, v, n);
		} else {
			buf_printf(&b, "error: %s", err);
			tap_ok(k == (char **)&b && v == (char **)&b,
			    "connect_parse \"%s\": arrays untouched on error",
			    cases[i].in);
			free(err);
		}
		tap_is(buf_cstr(&b), cases[i].want, "connect_parse \"%s\"",
		    cases[i].in);
	}
	buf_free(&b);
}

/* config_user_allowed on hand-made blocks. */
static void
test_allowed(void)
{
	char			*groups[] = { "eng", "dba" };
	char			*alice[] = { "alice" }, *bob[] = { "bob" };
	char			*dba[] = { "dba" }, *ops[] = { "ops" };
	struct config_user	 u;
	struct config_target	 t;

	memset(&u, 0, sizeof u);
	memset(&t, 0, sizeof t);
	u.name = "alice";
	u.groups = groups;
	u.ngroups = 2;
	t.name = "prod";
	tap_ok(!config_user_allowed(&u, &t), "nothing allowed: refused");
	t.allow_users = bob;
	t.nallow_users = 1;
	tap_ok(!config_user_allowed(&u, &t), "AllowUsers bob: refused");
	t.allow_groups = ops;
	t.nallow_groups = 1;
	tap_ok(!config_user_allowed(&u, &t), "AllowGroups ops: refused");
	t.allow_groups = dba;
	tap_ok(config_user_allowed(&u, &t), "AllowGroups dba: allowed");
	t.nallow_groups = 0;
	t.allow_users = alice;
	tap_ok(config_user_allowed(&u, &t), "AllowUsers alice: allowed");
	u.ngroups = 0;
	t.nallow_users = 0;
	t.allow_groups = groups;
	t.nallow_groups = 2;
	tap_ok(!config_user_allowed(&u, &t), "user without groups: refused");
}

/* Make a directory for files whose permissions matter. */
static char *
make_tmpdir(void)
{
	char	*dir;

	xasprintf(&dir, "%s/dbgate-test-config.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL) {
		tap_ok(0, "mkdtemp: %s", strerror(errno));
		free(dir);
		return (NULL);
	}
	return (dir);
}

/*
 * Load text written to dir/name; expect rc and, if msg is not NULL, that
 * message and no other error.
 */
static void
check_text(const char *dir, const char *name, const char *text, int want,
    const char *msg, const char *what)
{
	struct config		*cfg = NULL;
	struct config_diags	 d;
	char			*path;
	int			 rc;

	xasprintf(&path, "%s/%s", dir, name);
	write_file(path, text, 0600);
	rc = config_load(path, 0, &cfg, &d);
	if (!tap_ok(rc == want && (msg == NULL ? d.nerrors == 0 :
	    d.nerrors == 1 && has_msg(&d, msg)), "%s", what)) {
		if (msg != NULL)
			printf("#   want: %s\n", msg);
		show_msgs(&d);
	}
	config_free(cfg);
	config_diags_free(&d);
	free(path);
}

/* Key files, VaultKey, Include depth: files made at run time. */
static void
test_runtime_files(void)
{
	struct config		*cfg;
	struct config_diags	 d;
	char			*dir, *text, *msg, *path, *name;
	int			 i;

	if ((dir = make_tmpdir()) == NULL)
		return;
	xasprintf(&path, "%s/alice.pub", dir);
	write_file(path, TEST_PUBKEY " alice\n", 0644);
	free(path);
	xasprintf(&path, "%s/vault.key", dir);
	write_file(path, "0123456789abcdef0123456789abcdef\n", 0600);
	free(path);

	xasprintf(&text, "StateDir %s\nVaultKey vault.key\nUser alice\n"
	    "    AuthorizedKeys alice.pub\n", dir);
	check_text(dir, "ok.conf", text, 0, NULL,
	    "AuthorizedKeys 0644 and VaultKey 0600 are fine");
	free(text);

	xasprintf(&path, "%s/ok.conf", dir);
	if (config_load(path, 0, &cfg, &d) == 0) {
		xasprintf(&msg, "%s/alice.pub", dir);
		tap_is(cfg->users[0].authorized_keys, msg,
		    "relative AuthorizedKeys is beside the config file");
		free(msg);
		xasprintf(&msg, "%s/vault.key", dir);
		tap_is(cfg->vault_key, msg, "relative VaultKey likewise");
		free(msg);
		check_round_trip("ok.conf", cfg);
		config_free(cfg);
	}
	config_diags_free(&d);
	free(path);

	xasprintf(&path, "%s/alice.pub", dir);
	chmod(path, 0664);
	xasprintf(&msg, "%s/gw.conf:3: AuthorizedKeys %s is writable by group "
	    "or others (chmod go-w %s)", dir, path, path);
	xasprintf(&text, "StateDir %s\nUser alice\n    AuthorizedKeys %s\n",
	    dir, path);
	check_text(dir, "gw.conf", text, -1, msg,
	    "group-writable AuthorizedKeys");
	free(text);
	free(msg);
	chmod(path, 0602);
	xasprintf(&msg, "%s/ow.conf:3: AuthorizedKeys %s is writable by group "
	    "or others (chmod go-w %s)", dir, path, path);
	xasprintf(&text, "StateDir %s\nUser alice\n    AuthorizedKeys %s\n",
	    dir, path);
	check_text(dir, "ow.conf", text, -1, msg,
	    "world-writable AuthorizedKeys");
	free(text);
	free(msg);
	/* Options dbgate does not enforce fail the check at their line. */
	chmod(path, 0644);
	write_file(path, "# alice\n" TEST_PUBKEY " laptop\n"
	    "command=\"/bin/sh\",from=\"10.0.0.1\" " TEST_PUBKEY "\n",
	    0644);
	xasprintf(&msg, "%s:3: option \"command\" is not enforced by dbgate: "
	    "remove it (dbgate enforces restrict, from=, expiry-time=, no-pty, "
	    "pty and the no-*-forwarding and no-user-rc options)", path);
	xasprintf(&text, "StateDir %s\nUser alice\n    AuthorizedKeys %s\n",
	    dir, path);
	check_text(dir, "opt.conf", text, -1, msg,
	    "an unenforced option names the keys file and line");
	free(text);
	free(msg);
	write_file(path, "from=\"db.example.com\" " TEST_PUBKEY "\n", 0644);
	xasprintf(&msg, "%s:1: from= pattern \"db.example.com\" names a host: "
	    "dbgate matches addresses only (use an address, a wildcard such "
	    "as 192.168.1.* or a prefix such as 10.0.0.0/8)", path);
	xasprintf(&text, "StateDir %s\nUser alice\n    AuthorizedKeys %s\n",
	    dir, path);
	check_text(dir, "host.conf", text, -1, msg,
	    "a host name in from= fails the check");
	free(text);
	free(msg);
	write_file(path, TEST_PUBKEY " alice\n", 0644);

	xasprintf(&msg, "%s/dir.conf:3: AuthorizedKeys %s is not a regular "
	    "file", dir, dir);
	xasprintf(&text, "StateDir /nonexistent\nUser alice\n"
	    "    AuthorizedKeys %s\n", dir);
	check_text(dir, "dir.conf", text, -1, msg,
	    "AuthorizedKeys that is a directory");
	free(text);
	free(msg);
	free(path);

	xasprintf(&path, "%s/vault.key", dir);
	chmod(path, 0640);
	xasprintf(&msg, "%s/vr.conf:2: VaultKey %s is readable by group or "
	    "others (chmod 600 %s)", dir, path, path);
	xasprintf(&text, "StateDir /nonexistent\nVaultKey %s\n", path);
	check_text(dir, "vr.conf", text, -1, msg, "group-readable VaultKey");
	free(text);
	free(msg);
	chmod(path, 0604);
	xasprintf(&msg, "%s/vd.conf:1: VaultKey %s is readable by group or "
	    "others (chmod 600 %s)", dir, path, path);
	xasprintf(&text, "StateDir %s\n", dir);
	check_text(dir, "vd.conf", text, -1, msg,
	    "the default VaultKey in StateDir is checked too");
	free(text);
	free(msg);
	chmod(path, 0620);
	xasprintf(&msg, "%s/vw.conf:2: VaultKey %s is writable by group or "
	    "others (chmod 600 %s)", dir, path, path);
	xasprintf(&text, "StateDir /nonexistent\nVaultKey %s\n", path);
	check_text(dir, "vw.conf", text, -1, msg, "group-writable VaultKey");
	free(text);
	free(msg);
	unlink(path);
	free(path);
	xasprintf(&msg, "%s/ve.conf:2: VaultKey %s/none.key does not exist",
	    dir, dir);
	xasprintf(&text, "StateDir /nonexistent\nVaultKey none.key\n");
	check_text(dir, "ve.conf", text, -1, msg, "missing VaultKey");
	free(text);
	free(msg);
	check_text(dir, "vn.conf", "StateDir /nonexistent/dbgate\n", 0, NULL,
	    "a missing default VaultKey is fine");

	/* d0 includes d1 ... : 16 levels are fine, 17 are not. */
	for (i = 0; i <= 17; i++) {
		xasprintf(&path, "%s/d%d.conf", dir, i);
		if (i == 16 || i == 17)
			xasprintf(&text, "# the end\n");
		else
			xasprintf(&text, "Include d%d.conf\n", i + 1);
		write_file(path, text, 0600);
		free(text);
		free(path);
	}
	xasprintf(&path, "%s/d0.conf", dir);
	cfg = load_good(path, 0);
	config_free(cfg);
	xasprintf(&name, "%s/d16.conf", dir);
	write_file(name, "Include d17.conf\n", 0600);
	xasprintf(&msg, "%s:1: Include d17.conf: more than 16 levels of "
	    "Include", name);
	cfg = NULL;
	if (!tap_ok(config_load(path, 0, &cfg, &d) == -1 && d.n == 1 &&
	    has_msg(&d, msg), "Include nested 17 deep is refused"))
		show_msgs(&d);
	config_diags_free(&d);
	free(msg);
	free(name);
	free(path);
	for (i = 0; i <= 17; i++) {
		xasprintf(&path, "%s/d%d.conf", dir, i);
		unlink(path);
		free(path);
	}

	xasprintf(&path, "%s/alice.pub", dir);
	unlink(path);
	free(path);
	for (i = 0; i < 11; i++) {
		xasprintf(&path, "%s/%s.conf", dir, (const char *[]){ "ok",
		    "gw", "ow", "dir", "vr", "vd", "vw", "ve", "vn", "opt",
		    "host" }[i]);
		unlink(path);
		free(path);
	}
	tap_ok(rmdir(dir) == 0, "temporary directory cleaned up");
	free(dir);
}

/* Loading without files, from a buffer. */
static void
test_buffers(void)
{
	struct config		*cfg = NULL, *sentinel;
	struct config_diags	 d;
	static const char	 nul[] = "StateDir /x\nMaxRows 1\0 2\n";
	const char		*text;
	int			 rc;

	text = "StateDir /nonexistent\nVaultKey /nonexistent/k\n"
	    "User alice\n    AuthorizedKeys /nonexistent/alice.pub\n";
	rc = config_load_buffer("buf", text, strlen(text), CONFIG_NOFILES,
	    &cfg, &d);
	tap_ok(rc == 0 && d.n == 0, "CONFIG_NOFILES checks no file");
	config_free(cfg);
	config_diags_free(&d);

	sentinel = (struct config *)&rc;
	cfg = sentinel;
	text = "Include /etc/dbgate/conf.d/*.conf\n";
	rc = config_load_buffer("buf", text, strlen(text), CONFIG_NOFILES,
	    &cfg, &d);
	tap_ok(rc == -1 && cfg == sentinel && d.nerrors == 1 &&
	    has_msg(&d, "buf:1: Include cannot be used here (this "
	    "configuration is read without opening files)"),
	    "Include is an error with CONFIG_NOFILES");
	config_diags_free(&d);

	rc = config_load_buffer("buf", nul, sizeof nul - 1, CONFIG_NOFILES,
	    &cfg, &d);
	tap_ok(rc == -1 && d.nerrors == 1 &&
	    has_msg(&d, "buf:2: line holds a NUL byte"), "NUL byte refused");
	config_diags_free(&d);

	text = "StateDir /a\r\nMaxRows 5\r\n";
	cfg = NULL;
	rc = config_load_buffer("buf", text, strlen(text), CONFIG_NOFILES,
	    &cfg, &d);
	tap_ok(rc == 0 && cfg->defaults.max_rows == 5 &&
	    strcmp(cfg->state_dir, "/a") == 0, "CRLF line ends are read");
	config_free(cfg);
	config_diags_free(&d);

	text = "MaxRows 5";
	cfg = NULL;
	rc = config_load_buffer("buf", text, strlen(text), CONFIG_NOFILES,
	    &cfg, &d);
	tap_ok(rc == 0 && cfg->defaults.max_rows == 5,
	    "last line without a newline");
	config_free(cfg);
	config_diags_free(&d);

	cfg = sentinel;
	rc = config_load("/nonexistent/dbgate.conf", 0, &cfg, &d);
	tap_ok(rc == -1 && cfg == sentinel && d.n == 1 &&
	    has_msg(&d, "/nonexistent/dbgate.conf: No such file or directory"),
	    "missing main file");
	config_diags_free(&d);
}

/* 1 if text has a line that starts with prefix then name and a blank. */
static int
has_line(const char *text, const char *prefix, const char *name)
{
	const char	*line, *s;
	size_t		 len = strlen(name);

	for (line = text; line != NULL; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		s = line;
		if (*prefix == '#') {
			/* The example: "Keyword", "  #Keyword" and so on. */
			s += strspn(s, " \t");
			if (*s == '#')
				s++;
			s += strspn(s, " \t");
		} else if (strncmp(s, prefix, strlen(prefix)) == 0)
			s += strlen(prefix);
		else
			continue;
		if (strncmp(s, name, len) == 0 &&
		    (s[len] == ' ' || s[len] == '\t' || s[len] == '\n' ||
		    s[len] == '\0'))
			return (1);
	}
	return (0);
}

/* Every keyword is in dbgate.conf(5) and in the example. */
static void
test_docs(void)
{
	const struct config_keyword	*kw;
	struct config			*cfg = NULL;
	struct config_diags		 d;
	char				*path, *man, *example;
	size_t				 n, i, len = 0;
	int				 missing_man = 0, missing_ex = 0;
	int				 nmax = 0;

	kw = config_keywords(&n);
	tap_ok(n >= 25, "keyword table has %zu rows", n);
	for (i = 0; i < n; i++) {
		if (strcmp(kw[i].name, "MaxSessions") == 0)
			nmax++;
		if (kw[i].help == NULL || *kw[i].help == '\0')
			tap_ok(0, "%s has help", kw[i].name);
	}
	tap_ok(nmax == 2, "MaxSessions has a global row and a User row");

	xasprintf(&path, "%s/man/dbgate.conf.5", topdir);
	man = read_text(path, NULL);
	tap_ok(man != NULL, "read %s", path);
	free(path);
	xasprintf(&path, "%s/etc/dbgate.conf.example", topdir);
	example = read_text(path, &len);
	tap_ok(example != NULL, "read %s", path);
	if (man == NULL || example == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		if (!has_line(man, ".It Cm ", kw[i].name)) {
			tap_ok(0, "\".It Cm %s\" in dbgate.conf.5", kw[i].name);
			missing_man++;
		}
		if (!has_line(example, "#", kw[i].name)) {
			tap_ok(0, "%s in dbgate.conf.example", kw[i].name);
			missing_ex++;
		}
	}
	tap_ok(missing_man == 0, "every keyword has .It Cm in dbgate.conf.5");
	tap_ok(missing_ex == 0, "every keyword is in dbgate.conf.example");

	if (!tap_ok(config_load_buffer(path, example, len, CONFIG_NOFILES,
	    &cfg, &d) == 0 && d.n == 0, "the example loads cleanly"))
		show_msgs(&d);
	if (cfg != NULL) {
		tap_ok(cfg->nusers >= 2 && cfg->ntargets >= 2 &&
		    cfg->npolicies >= 1 && config_find_user(cfg, "alice") &&
		    config_find_user(cfg, "ci-agent"),
		    "the example has alice, ci-agent, targets and a policy");
		check_round_trip("example", cfg);
	}
	config_free(cfg);
	config_diags_free(&d);
out:
	free(path);
	free(man);
	free(example);
}

/*
 * Find the data: $TESTDATA, or tests/data beside the test program (an
 * in-tree build), or beside this source file (a build elsewhere).
 */
static void
find_dirs(const char *argv0)
{
	const char	*env = getenv("TESTDATA"), *slash;
	struct stat	 st;

	if (env != NULL && *env != '\0')
		xasprintf(&datadir, "%s/config", env);
	else {
		if ((slash = strrchr(argv0, '/')) != NULL)
			xasprintf(&datadir, "%.*s/../data/config",
			    (int)(slash - argv0), argv0);
		else
			datadir = xstrdup("../data/config");
		if (stat(datadir, &st) == -1 &&
		    (slash = strrchr(__FILE__, '/')) != NULL) {
			free(datadir);
			xasprintf(&datadir, "%.*s/../data/config",
			    (int)(slash - __FILE__), __FILE__);
		}
	}
	env = getenv("top_srcdir");
	if (env != NULL && *env != '\0')
		topdir = xstrdup(env);
	else
		xasprintf(&topdir, "%s/../../..", datadir);
}

int
main(int argc, char **argv)
{
	find_dirs(argc > 0 ? argv[0] : "test-config");
	printf("# data: %s, source: %s\n", datadir, topdir);
	test_files();
	test_defaults();
	test_full();
	test_include();
	test_quoting();
	test_numbers();
	test_connect();
	test_allowed();
	test_runtime_files();
	test_buffers();
	test_docs();
	free(datadir);
	free(topdir);
	return (tap_done());
}
