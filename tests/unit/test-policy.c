/*
 * test-policy.c: Policy rules (parsing, matching, first match wins, the
 * built-in policy after a block's rules, ReadOnly, trusted functions) on
 * facts built by hand, and Policy blocks through the config parser.
 */
#include <stdlib.h>
#include <string.h>

#include "dbgate.h"
#include "config.h"
#include "policy.h"
#include "tap.h"

/* Load a config text; NULL (and a failed check) if it does not load. */
static struct config *
load(const char *text, char **firstmsg)
{
	struct config		*cfg = NULL;
	struct config_diags	 d;

	memset(&d, 0, sizeof d);
	if (config_load_buffer("t.conf", text, strlen(text), CONFIG_NOFILES,
	    &cfg, &d) != 0)
		cfg = NULL;
	if (firstmsg != NULL)
		*firstmsg = d.n > 0 ? xstrdup(d.msgs[0]) : NULL;
	config_diags_free(&d);
	return (cfg);
}

static const char conf_head[] =
    "StateDir /tmp/x\n"
    "User alice\n"
    "    Groups eng\n"
    "Target prod\n"
    "    Driver postgresql\n"
    "    Connect \"host=/tmp dbname=app\"\n"
    "    AllowUsers alice\n"
    "    Policy p\n";

/* Evaluate facts under the policy of cfg (target prod) or builtin. */
static char *
decide(const struct config *cfg, int ro, const struct guard_facts *f)
{
	struct verdict	 v;
	char		*s;

	policy_evaluate(cfg != NULL ? config_find_policy(cfg, "p") : NULL,
	    ro, f, &v);
	xasprintf(&s, "%s|%s|%s", verdict_name(v.action), v.policy, v.rule);
	verdict_clear(&v);
	return (s);
}

/* Build facts: kind, flags, and "s.n:rw" relations. */
static void
facts(struct guard_facts *f, enum stmt_kind k, unsigned int flags,
    const char *rels)
{
	char	*copy, *w, *save = NULL, *dot, *colon;

	memset(f, 0, sizeof *f);
	guard_add_kind(f, k);
	f->flags = flags;
	if (rels == NULL)
		return;
	copy = xstrdup(rels);
	for (w = strtok_r(copy, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		colon = strchr(w, ':');
		*colon++ = '\0';
		dot = strchr(w, '.');
		if (dot != NULL)
			*dot++ = '\0';
		guard_add_rel(f, dot != NULL ? w : NULL, dot != NULL ? dot : w,
		    (strchr(colon, 'r') ? GUARD_READ : 0) |
		    (strchr(colon, 'w') ? GUARD_WRITE : 0));
	}
	free(copy);
}

/* Check one decision and free it. */
#define DECIDE(cfg, ro, f, want, ...) do {				\
	char *got_ = decide((cfg), (ro), (f));				\
	tap_is(got_, (want), __VA_ARGS__);				\
	free(got_);							\
} while (0)

static void
test_parse_errors(void)
{
	static const struct {
		const char	*rule;
		const char	*msg;
	} bad[] = {
		{ "Deny", "needs an argument" },
		{ "Deny dorp", "unknown fact \"dorp\"" },
		{ "Allow relation:", "bad pattern" },
		{ "Allow table:x", "unknown pattern \"table:\"" },
		{ "Deny drop Message", "Message needs a quoted text" },
		{ "Deny drop Message \"a\" truncate",
		  "Message must come last" },
		{ "Allow drop function:f*", "trusts those functions" },
	};
	char	*text, *msg;
	size_t	 i;
	struct config *cfg;

	for (i = 0; i < nitems(bad); i++) {
		xasprintf(&text, "%sPolicy p\n    %s\n", conf_head,
		    bad[i].rule);
		cfg = load(text, &msg);
		tap_ok(cfg == NULL, "refused: %s", bad[i].rule);
		tap_ok(msg != NULL && strstr(msg, bad[i].msg) != NULL &&
		    strncmp(msg, "t.conf:10: ", 11) == 0,
		    "message for %s: %s", bad[i].rule, msg ? msg : "(none)");
		config_free(cfg);
		free(msg);
		free(text);
	}
	/* A rule outside a Policy block. */
	cfg = load("StateDir /tmp/x\nDeny drop\n", &msg);
	tap_ok(cfg == NULL && msg != NULL && strstr(msg, "Deny") != NULL,
	    "Deny outside a Policy block refused: %s", msg ? msg : "");
	free(msg);
	/* ReadOnly values. */
	xasprintf(&text, "%s    ReadOnly maybe\nPolicy p\n    Deny drop\n",
	    conf_head);
	cfg = load(text, &msg);
	tap_ok(cfg == NULL && msg != NULL && strstr(msg, "bad ReadOnly") !=
	    NULL, "ReadOnly maybe refused");
	free(msg);
	free(text);
}

static void
test_matching(void)
{
	struct config		*cfg;
	struct guard_facts	 f;
	char			*text;

	xasprintf(&text, "%sPolicy p\n"
	    "    Allow relation:tmp_* drop Message \"scratch\"\n"
	    "    Deny write:secret.*\n"
	    "    Warn read:audit.*\n"
	    "    Approve select relation:public.big*\n"
	    "    Allow function:safe_*\n", conf_head);
	cfg = load(text, NULL);
	free(text);
	tap_ok(cfg != NULL, "policy loads");
	if (cfg == NULL)
		return;

	facts(&f, KIND_DROP, GF_WRITE, "public.tmp_a:w");
	DECIDE(cfg, 0, &f, "allow|p|Allow drop relation:tmp_* "
	    "Message \"scratch\"", "Allow rule for a scratch table");
	guard_facts_clear(&f);

	/* Allow needs every relation covered: one real table is not. */
	facts(&f, KIND_DROP, GF_WRITE, "public.tmp_a:w public.customers:w");
	DECIDE(cfg, 0, &f, "deny|builtin|builtin: deny drop",
	    "Allow does not cover a second, real table");
	guard_facts_clear(&f);

	/* Deny needs one match. */
	facts(&f, KIND_UPDATE, GF_WRITE, "public.a:w secret.keys:w");
	DECIDE(cfg, 0, &f, "deny|p|Deny write:secret.*",
	    "Deny matches one written relation");
	guard_facts_clear(&f);

	/* Reading secret is not writing it. */
	facts(&f, KIND_SELECT, 0, "secret.keys:r");
	DECIDE(cfg, 0, &f, "allow|builtin|builtin: allow",
	    "write: pattern does not match a read");
	guard_facts_clear(&f);

	/* An unresolved relation fails closed for Deny... */
	facts(&f, KIND_UPDATE, GF_WRITE, "keys:w");
	DECIDE(cfg, 0, &f, "deny|p|Deny write:secret.*",
	    "unresolved relation matches a qualified Deny by name");
	guard_facts_clear(&f);

	/* ...and never counts as covered by an Allow or Warn. */
	facts(&f, KIND_SELECT, 0, "trail:r");
	DECIDE(cfg, 0, &f, "allow|builtin|builtin: allow",
	    "unresolved relation not covered by Warn read:audit.*");
	guard_facts_clear(&f);
	facts(&f, KIND_SELECT, 0, "audit.trail:r");
	DECIDE(cfg, 0, &f, "warn|p|Warn read:audit.*",
	    "Warn on a read of audit");
	guard_facts_clear(&f);
	facts(&f, KIND_SELECT, 0, "audit.trail:r public.x:r");
	DECIDE(cfg, 0, &f, "allow|builtin|builtin: allow",
	    "Warn needs every read covered");
	guard_facts_clear(&f);

	/* Approve: facts AND relations. */
	facts(&f, KIND_SELECT, 0, "public.bigtable:r public.x:r");
	DECIDE(cfg, 0, &f, "approve|p|Approve select relation:public.big*",
	    "Approve needs one relation");
	guard_facts_clear(&f);
	facts(&f, KIND_INSERT, GF_WRITE, "public.bigtable:w");
	DECIDE(cfg, 0, &f, "allow|builtin|builtin: allow",
	    "Approve select does not match an insert");
	guard_facts_clear(&f);

	/* An Allow lifts only what it names. */
	facts(&f, KIND_DROP, GF_WRITE | GF_OPAQUE, "public.tmp_a:w");
	DECIDE(cfg, 0, &f, "deny|builtin|builtin: deny drop",
	    "Allow drop does not lift opaque: the rule does not match");
	guard_facts_clear(&f);
	facts(&f, KIND_SELECT, GF_WRITE_NO_WHERE, "public.bigx:r");
	guard_add_kind(&f, KIND_DELETE);
	DECIDE(cfg, 0, &f, "approve|p|Approve select relation:public.big*",
	    "restrictive rules match on any fact");
	guard_facts_clear(&f);

	/* The block's rules come first, builtin after. */
	facts(&f, KIND_TRUNCATE, GF_WRITE, "public.customers:w");
	DECIDE(cfg, 0, &f, "deny|builtin|builtin: deny truncate",
	    "builtin after the block");
	guard_facts_clear(&f);

	/* Trusted functions. */
	facts(&f, KIND_SELECT, GF_OPAQUE, NULL);
	guard_add_func(&f, NULL, "safe_lookup", 1);
	guard_add_func(&f, NULL, "lower", 0);
	DECIDE(cfg, 0, &f, "allow|builtin|builtin: allow",
	    "a trusted function is not opaque");
	guard_add_func(&f, "public", "evil", 1);
	DECIDE(cfg, 0, &f, "approve|builtin|builtin: approve opaque",
	    "one untrusted function keeps it opaque");
	guard_facts_clear(&f);
	facts(&f, KIND_DO, GF_OPAQUE, NULL);
	guard_add_func(&f, NULL, "safe_lookup", 1);
	DECIDE(cfg, 0, &f, "approve|builtin|builtin: approve do opaque",
	    "DO stays opaque whatever it calls");
	guard_facts_clear(&f);

	/* ReadOnly comes before everything. */
	facts(&f, KIND_DROP, GF_WRITE, "public.tmp_a:w");
	DECIDE(cfg, 1, &f, "deny|ReadOnly|ReadOnly: deny drop write",
	    "ReadOnly before the block's Allow");
	guard_facts_clear(&f);
	facts(&f, KIND_TRANSACTION, GF_READ_WRITE, NULL);
	DECIDE(cfg, 1, &f, "deny|ReadOnly|ReadOnly: deny read-write",
	    "ReadOnly denies asking for a read-write transaction");
	DECIDE(cfg, 0, &f, "allow|builtin|builtin: allow",
	    "...which is fine otherwise");
	guard_facts_clear(&f);
	config_free(cfg);

	xasprintf(&text, "%sPolicy p\n    Allow select\n"
	    "    Allow opaque\n", conf_head);
	cfg = load(text, NULL);
	free(text);
	facts(&f, KIND_SELECT, GF_WRITE | GF_WRITE_NO_WHERE,
	    "public.c:rw");
	guard_add_kind(&f, KIND_DELETE);
	DECIDE(cfg, 0, &f, "approve|builtin|builtin: approve "
	    "write-without-where", "Allow select: not a CTE that deletes "
	    "every row");
	guard_facts_clear(&f);
	facts(&f, KIND_SELECT, 0, "public.c:r");
	guard_add_kind(&f, KIND_DROP);
	DECIDE(cfg, 0, &f, "deny|builtin|builtin: deny drop",
	    "Allow select: not a select that also drops");
	guard_facts_clear(&f);
	facts(&f, KIND_SELECT, GF_OPAQUE | GF_FILE, NULL);
	DECIDE(cfg, 0, &f, "deny|builtin|builtin: deny file-access",
	    "Allow opaque: not a file function");
	guard_facts_clear(&f);
	facts(&f, KIND_SELECT, GF_OPAQUE, NULL);
	DECIDE(cfg, 0, &f, "allow|p|Allow opaque", "Allow opaque");
	guard_facts_clear(&f);
	config_free(cfg);
}

static void
test_builtin(void)
{
	static const struct {
		enum stmt_kind	 kind;
		unsigned int	 flags;
		const char	*want;
	} cases[] = {
		{ KIND_UNKNOWN, 0, "deny|builtin|builtin: deny unknown" },
		{ KIND_DROP, GF_WRITE, "deny|builtin|builtin: deny drop" },
		{ KIND_ROLE, GF_PRIVILEGE,
		  "deny|builtin|builtin: deny role privilege" },
		{ KIND_SET, GF_PINNED,
		  "deny|builtin|builtin: deny pinned-setting" },
		{ KIND_SET, GF_SERVER_CONFIG,
		  "deny|builtin|builtin: deny server-config" },
		{ KIND_COPY, GF_PROGRAM, "deny|builtin|builtin: deny program" },
		{ KIND_SELECT, GF_FILE,
		  "deny|builtin|builtin: deny file-access" },
		{ KIND_DDL, GF_EXTENSION,
		  "deny|builtin|builtin: deny extension" },
		{ KIND_CLIENT, GF_CLIENT_COMMAND,
		  "deny|builtin|builtin: deny client client-command" },
		{ KIND_DELETE, GF_WRITE | GF_WRITE_NO_WHERE,
		  "approve|builtin|builtin: approve write-without-where" },
		{ KIND_DDL, GF_WRITE, "approve|builtin|builtin: approve ddl" },
		{ KIND_LOCK, GF_LOCK,
		  "approve|builtin|builtin: approve lock lock" },
		{ KIND_ADMIN, GF_MAINTENANCE,
		  "approve|builtin|builtin: approve admin maintenance" },
		{ KIND_CALL, GF_OPAQUE,
		  "approve|builtin|builtin: approve call opaque" },
		{ KIND_SELECT, GF_ROW_LOCK, "allow|builtin|builtin: allow" },
		{ KIND_UPDATE, GF_WRITE, "allow|builtin|builtin: allow" },
		{ KIND_SET, GF_CONTEXT, "allow|builtin|builtin: allow" },
	};
	struct guard_facts	 f;
	size_t			 i;

	for (i = 0; i < nitems(cases); i++) {
		facts(&f, cases[i].kind, cases[i].flags, NULL);
		DECIDE(NULL, 0, &f, cases[i].want, "builtin: %s flags %#x",
		    guard_kind_name(cases[i].kind), cases[i].flags);
		guard_facts_clear(&f);
	}
}

static void
test_dump(void)
{
	struct config	*cfg, *again;
	struct buf	 b, b2;
	char		*text;

	xasprintf(&text, "%s    ReadOnly group:eng\nPolicy p\n"
	    "    allow relation:tmp_* DROP message \"a \\\"quoted\\\" x\"\n"
	    "    Deny read:s.* write:t function:f\n", conf_head);
	cfg = load(text, NULL);
	free(text);
	tap_ok(cfg != NULL, "case-insensitive actions and Message load");
	if (cfg == NULL)
		return;
	buf_init(&b);
	config_dump(cfg, &b);
	tap_ok(strstr(buf_cstr(&b), "    Allow drop relation:tmp_* Message "
	    "\"a \\\"quoted\\\" x\"\n") != NULL, "dump writes the rule back");
	tap_ok(strstr(buf_cstr(&b), "# Policy builtin") != NULL &&
	    strstr(buf_cstr(&b), "#    Deny drop truncate") != NULL,
	    "dump prints the built-in policy");
	tap_ok(strstr(buf_cstr(&b), "    ReadOnly group:eng\n") != NULL,
	    "dump prints ReadOnly");
	again = load(buf_cstr(&b), NULL);
	tap_ok(again != NULL, "the dump loads");
	if (again != NULL) {
		buf_init(&b2);
		config_dump(again, &b2);
		tap_is(buf_cstr(&b2), buf_cstr(&b), "dump round-trips");
		buf_free(&b2);
		tap_ok(policy_read_only(&again->targets[0], &again->users[0]),
		    "alice (group eng) is read-only on prod");
	}
	config_free(again);
	buf_free(&b);
	config_free(cfg);
}

int
main(void)
{
	test_parse_errors();
	test_matching();
	test_builtin();
	test_dump();
	return (tap_done());
}
