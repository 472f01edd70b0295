/*
 * policy.c: the policy stage: rules match a statement's facts and give a
 * verdict. A statement meets, in order, ReadOnly's rules (when the target
 * is read-only for the user), the rules of the target's Policy block, and
 * the built-in policy `builtin`; the first rule that matches decides.
 * Pure: handles rules from the configuration and facts from untrusted SQL.
 *
 * A rule matches when every part it has matches:
 *  - facts (kind and flag names): any of them is among the statement's,
 *    and for allow and warn rules, every fact of the statement that the
 *    built-in policy would stop is named too;
 *  - relation patterns (relation:, read:, write:) and function patterns
 *    (function:): for allow and warn rules, every relation (or function)
 *    the statement touches must match one of the patterns, and there must
 *    be one; for approve and deny rules, one match is enough. So a rule
 *    that lets something through never covers more than it names.
 * An Allow rule with nothing but function patterns instead trusts those
 * functions: calling them no longer makes a statement opaque.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbgate.h"
#include "policy.h"

static const char *verdict_names[] = { "allow", "warn", "approve", "deny" };

#define K(k)	((uint64_t)1 << (k))

/* The built-in policy, in order. */
static const struct {
	enum verdict_action	 action;
	uint64_t		 kinds;
	unsigned int		 flags;
	const char		*message;
} policy_builtin[] = {
	{ VERDICT_DENY, K(KIND_UNKNOWN), 0,
	  "dbgate cannot classify this statement" },
	{ VERDICT_DENY, K(KIND_DROP) | K(KIND_TRUNCATE), 0,
	  "destroys data or schema" },
	{ VERDICT_DENY, K(KIND_GRANT) | K(KIND_ROLE), GF_PRIVILEGE,
	  "changes privileges or roles" },
	{ VERDICT_DENY, 0, GF_SERVER_CONFIG | GF_SHUTDOWN,
	  "changes the server's configuration or state" },
	{ VERDICT_DENY, 0, GF_FILE | GF_PROGRAM,
	  "reaches files or programs on the database server" },
	{ VERDICT_DENY, 0, GF_EXTENSION,
	  "loads server code (extensions, plugins, libraries)" },
	{ VERDICT_DENY, 0, GF_PINNED,
	  "changes a setting dbgate pins for the session" },
	{ VERDICT_DENY, K(KIND_CLIENT), GF_CLIENT_COMMAND,
	  "is a client command, not SQL" },
	{ VERDICT_DENY, 0, GF_MASKED_REF,
	  "uses a masked column outside the select list: a predicate, sort "
	  "or function over it can rebuild the value piece by piece (WHERE "
	  "substr(ssn,1,1) = '4'), and a write or cursor copies it where it "
	  "is not masked; only equality and IN against literals may test it" },
	{ VERDICT_DENY, 0, GF_RAW_VALUES,
	  "reads a statistics or activity view that holds raw values or "
	  "other sessions' statements" },
	{ VERDICT_APPROVE, 0, GF_WRITE_NO_WHERE,
	  "writes every row (no WHERE, or one that is always true)" },
	{ VERDICT_APPROVE, K(KIND_DDL), 0, "changes the schema" },
	{ VERDICT_APPROVE, K(KIND_LOCK), GF_LOCK,
	  "takes an explicit or advisory lock" },
	{ VERDICT_APPROVE, K(KIND_ADMIN), GF_MAINTENANCE | GF_KILL,
	  "is a maintenance or administration statement" },
	{ VERDICT_APPROVE, K(KIND_DO) | K(KIND_CALL) | K(KIND_HANDLER),
	  GF_OPAQUE | GF_DYNAMIC,
	  "runs code dbgate cannot see (DO, CALL, dynamic SQL, functions "
	  "not known to be safe)" },
};

/* The read-only backstop. */
static const struct {
	enum verdict_action	 action;
	uint64_t		 kinds;
	unsigned int		 flags;
	const char		*message;
} policy_readonly[] = {
	{ VERDICT_DENY, K(KIND_INSERT) | K(KIND_UPDATE) | K(KIND_DELETE) |
	  K(KIND_MERGE) | K(KIND_DDL) | K(KIND_DROP) | K(KIND_TRUNCATE) |
	  K(KIND_GRANT) | K(KIND_ROLE), GF_WRITE | GF_READ_WRITE,
	  "the target is read-only for you" },
};

/* The name of a verdict. */
const char *
verdict_name(enum verdict_action a)
{
	if ((size_t)a >= nitems(verdict_names))
		return ("deny");
	return (verdict_names[a]);
}

/* Parse a verdict name, any case. */
int
verdict_parse(const char *s, enum verdict_action *out)
{
	size_t	 i;

	for (i = 0; i < nitems(verdict_names); i++) {
		if (strcasecmp(s, verdict_names[i]) == 0) {
			*out = (enum verdict_action)i;
			return (0);
		}
	}
	return (-1);
}

/* Append fact names for kinds and flags, space separated. */
static void
policy_facts_format(struct buf *b, uint64_t kinds, unsigned int flags)
{
	unsigned int	 i;
	int		 first = 1;

	for (i = 0; i < KIND_MAX; i++) {
		if (kinds & K(i)) {
			buf_printf(b, "%s%s", first ? "" : " ",
			    guard_kind_name((enum stmt_kind)i));
			first = 0;
		}
	}
	for (i = 0; i < GF_NFLAGS; i++) {
		if (flags & (1u << i)) {
			buf_printf(b, "%s%s", first ? "" : " ",
			    guard_flag_name(i));
			first = 0;
		}
	}
}

/* A pattern word holds only what a glob of names needs. */
static int
policy_pattern_ok(const char *s)
{
	if (*s == '\0' || strlen(s) > 256)
		return (0);
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x21 || *s == 0x7f || *s == '"')
			return (0);
	}
	return (1);
}

/* Parse one rule line's words. */
int
policy_rule_parse(char *const *w, size_t n, struct config_rule *r,
    char **err)
{
	enum verdict_action	 a;
	const char		*arg, *colon;
	size_t			 i, plen;
	int			 kind, flag;
	unsigned int		 access;

	memset(r, 0, sizeof *r);
	if (n == 0 || verdict_parse(w[0], &a) != 0) {
		xasprintf(err, "a rule starts with Allow, Warn, Approve or "
		    "Deny");
		return (-1);
	}
	r->action = a;
	for (i = 1; i < n; i++) {
		arg = w[i];
		if (strcasecmp(arg, "Message") == 0) {
			if (i + 1 >= n) {
				xasprintf(err, "Message needs a quoted text");
				goto bad;
			}
			if (i + 2 != n) {
				xasprintf(err, "Message must come last in a "
				    "rule (quote its text)");
				goto bad;
			}
			free(r->message);
			r->message = xstrdup(w[++i]);
			continue;
		}
		if ((colon = strchr(arg, ':')) != NULL) {
			plen = (size_t)(colon - arg);
			if (!policy_pattern_ok(colon + 1)) {
				xasprintf(err, "bad pattern \"%s\" (a name or "
				    "glob, like tmp_* or public.*)", arg);
				goto bad;
			}
			if (plen == 8 && strncmp(arg, "function", 8) == 0) {
				r->funcs = xreallocarray(r->funcs,
				    r->nfuncs + 1, sizeof *r->funcs);
				r->funcs[r->nfuncs++] = xstrdup(colon + 1);
				continue;
			}
			if (plen == 8 && strncmp(arg, "relation", 8) == 0)
				access = RULE_REL_ANY;
			else if (plen == 4 && strncmp(arg, "read", 4) == 0)
				access = GUARD_READ;
			else if (plen == 5 && strncmp(arg, "write", 5) == 0)
				access = GUARD_WRITE;
			else {
				xasprintf(err, "unknown pattern \"%.*s:\" (use "
				    "relation:, read:, write: or function:)",
				    (int)plen, arg);
				goto bad;
			}
			r->rels = xreallocarray(r->rels, r->nrels + 1,
			    sizeof *r->rels);
			r->rel_access = xreallocarray(r->rel_access,
			    r->nrels + 1, sizeof *r->rel_access);
			r->rels[r->nrels] = xstrdup(colon + 1);
			r->rel_access[r->nrels++] = access;
			continue;
		}
		if (guard_fact_lookup(arg, &kind, &flag) != 0) {
			xasprintf(err, "unknown fact \"%s\" (see FACTS in "
			    "dbgate.conf(5))", arg);
			goto bad;
		}
		if (kind >= 0)
			r->kinds |= K(kind);
		if (flag >= 0)
			r->flags |= 1u << flag;
	}
	if (r->kinds == 0 && r->flags == 0 && r->nrels == 0 &&
	    r->nfuncs == 0) {
		xasprintf(err, "%s needs at least one fact or pattern",
		    verdict_name(a));
		goto bad;
	}
	if (r->nfuncs > 0 && (r->kinds != 0 || r->flags != 0 ||
	    r->nrels != 0) && a == VERDICT_ALLOW) {
		/* Keep the two meanings apart: see the top of the file. */
		xasprintf(err, "an Allow rule with function: patterns trusts "
		    "those functions and takes nothing else");
		goto bad;
	}
	return (0);
bad:
	policy_rule_free(r);
	return (-1);
}

/* Release a rule's strings. */
void
policy_rule_free(struct config_rule *r)
{
	size_t	 i;

	for (i = 0; i < r->nrels; i++)
		free(r->rels[i]);
	for (i = 0; i < r->nfuncs; i++)
		free(r->funcs[i]);
	free(r->rels);
	free(r->rel_access);
	free(r->funcs);
	free(r->message);
	free(r->file);
	memset(r, 0, sizeof *r);
}

/* Append a rule in config syntax. */
void
policy_rule_format(const struct config_rule *r, struct buf *b)
{
	const char	*s;
	size_t		 i;

	s = verdict_name((enum verdict_action)r->action);
	buf_printf(b, "%c%s", s[0] - 'a' + 'A', s + 1);
	if (r->kinds != 0 || r->flags != 0) {
		buf_addc(b, ' ');
		policy_facts_format(b, r->kinds, r->flags);
	}
	for (i = 0; i < r->nrels; i++) {
		buf_printf(b, " %s:%s", r->rel_access[i] == GUARD_READ ?
		    "read" : r->rel_access[i] == GUARD_WRITE ? "write" :
		    "relation", r->rels[i]);
	}
	for (i = 0; i < r->nfuncs; i++)
		buf_printf(b, " function:%s", r->funcs[i]);
	if (r->message != NULL) {
		buf_adds(b, " Message \"");
		for (s = r->message; *s != '\0'; s++) {
			if (*s == '"' || *s == '\\')
				buf_addc(b, '\\');
			buf_addc(b, *s);
		}
		buf_addc(b, '"');
	}
}

/* Append one built-in rule as a commented line. */
static void
policy_dump_rule(struct buf *b, enum verdict_action a, uint64_t kinds,
    unsigned int flags, const char *message)
{
	const char	*s = verdict_name(a);

	buf_printf(b, "#    %c%s ", s[0] - 'a' + 'A', s + 1);
	policy_facts_format(b, kinds, flags);
	buf_printf(b, " Message \"%s\"\n", message);
}

/* Append the built-in policy as commented config lines. */
void
policy_builtin_dump(struct buf *b)
{
	size_t	 i;

	buf_adds(b, "\n# The built-in policy, after each Policy block's own "
	    "rules:\n# Policy builtin\n");
	for (i = 0; i < nitems(policy_builtin); i++)
		policy_dump_rule(b, policy_builtin[i].action,
		    policy_builtin[i].kinds, policy_builtin[i].flags,
		    policy_builtin[i].message);
	buf_adds(b, "#    Allow everything else\n"
	    "# ReadOnly targets, before all other rules:\n");
	for (i = 0; i < nitems(policy_readonly); i++)
		policy_dump_rule(b, policy_readonly[i].action,
		    policy_readonly[i].kinds, policy_readonly[i].flags,
		    policy_readonly[i].message);
}

/* Whether user is in one of target's ReadOnly entries. */
int
policy_read_only(const struct config_target *t, const struct config_user *u)
{
	const char	*e;
	size_t		 i, k;
	int		 ro = 0;

	for (i = 0; i < t->nread_only; i++) {
		e = t->read_only[i];
		if (strcmp(e, "yes") == 0)
			ro = 1;
		else if (strcmp(e, "no") == 0)
			ro = 0;
		else if (u != NULL && strncmp(e, "user:", 5) == 0 &&
		    strcmp(e + 5, u->name) == 0)
			ro = 1;
		else if (u != NULL && strncmp(e, "group:", 6) == 0) {
			for (k = 0; k < u->ngroups; k++) {
				if (strcmp(e + 6, u->groups[k]) == 0)
					ro = 1;
			}
		}
	}
	return (ro);
}

/* Whether a relation pattern matches rel. */
static int
policy_rel_match(const char *pat, const struct guard_rel *rel)
{
	const char	*dot;
	char		*full;
	int		 m;

	if ((dot = strchr(pat, '.')) == NULL)
		return (fnmatch(pat, rel->name, 0) == 0);
	if (rel->schema == NULL)
		return (-1);	/* unresolved: the caller decides */
	xasprintf(&full, "%s.%s", rel->schema, rel->name);
	m = fnmatch(pat, full, 0) == 0;
	free(full);
	return (m);
}

/* Whether a function pattern matches fn. */
static int
policy_func_match(const char *pat, const struct guard_func *fn)
{
	char	*full;
	int	 m;

	if (strchr(pat, '.') == NULL)
		return (fnmatch(pat, fn->name, 0) == 0);
	if (fn->schema == NULL)
		return (0);
	xasprintf(&full, "%s.%s", fn->schema, fn->name);
	m = fnmatch(pat, full, 0) == 0;
	free(full);
	return (m);
}

/*
 * Relation part of a rule: every relation covered (permissive) or one
 * matched (restrictive). An unresolved relation never covers and always
 * matches a qualified pattern whose name part matches: fail closed.
 */
static int
policy_rels_match(const struct config_rule *r, const struct guard_facts *f,
    int permissive)
{
	const struct guard_rel	*rel;
	const char		*dot;
	size_t			 i, k;
	unsigned int		 covered;
	int			 m;

	if (r->nrels == 0)
		return (1);
	if (f->nrels == 0)
		return (0);
	for (i = 0; i < f->nrels; i++) {
		rel = &f->rels[i];
		covered = 0;
		for (k = 0; k < r->nrels; k++) {
			if (r->rel_access[k] != RULE_REL_ANY &&
			    !(rel->access & r->rel_access[k]))
				continue;
			m = policy_rel_match(r->rels[k], rel);
			if (m < 0) {
				if (permissive)
					continue;
				dot = strchr(r->rels[k], '.');
				m = fnmatch(dot + 1, rel->name, 0) == 0;
			}
			if (!m)
				continue;
			if (!permissive)
				return (1);
			covered |= r->rel_access[k] == RULE_REL_ANY ?
			    rel->access : r->rel_access[k];
		}
		if (permissive && (covered & rel->access) != rel->access)
			return (0);
	}
	return (permissive);
}

/* Function part of a rule, as for relations (opaque functions only). */
static int
policy_funcs_match(const struct config_rule *r, const struct guard_facts *f,
    int permissive)
{
	size_t	 i, k;
	int	 any = 0, m;

	if (r->nfuncs == 0)
		return (1);
	for (i = 0; i < f->nfuncs; i++) {
		if (permissive && !f->funcs[i].opaque)
			continue;
		any = 1;
		for (k = 0, m = 0; k < r->nfuncs && !m; k++)
			m = policy_func_match(r->funcs[k], &f->funcs[i]);
		if (m && !permissive)
			return (1);
		if (!m && permissive)
			return (0);
	}
	return (permissive && any);
}

/* The kinds and flags the built-in policy denies or asks approval for. */
static void
policy_restricted(uint64_t *kinds, unsigned int *flags)
{
	size_t	 i;

	*kinds = 0;
	*flags = 0;
	for (i = 0; i < nitems(policy_builtin); i++) {
		*kinds |= policy_builtin[i].kinds;
		*flags |= policy_builtin[i].flags;
	}
}

/*
 * Whether a rule matches. An Allow or Warn rule must also name every fact
 * of the statement that the built-in policy would stop, so "Allow select"
 * does not let through a SELECT whose CTE deletes every row.
 */
static int
policy_rule_match(const struct config_rule *r, const struct guard_facts *f)
{
	uint64_t	 rk;
	unsigned int	 rf;
	int		 permissive = r->action <= VERDICT_WARN;

	if ((r->kinds != 0 || r->flags != 0) &&
	    !(f->kinds & r->kinds) && !(f->flags & r->flags))
		return (0);
	if (permissive) {
		policy_restricted(&rk, &rf);
		if ((f->kinds & rk & ~r->kinds) != 0 ||
		    (f->flags & rf & ~r->flags) != 0)
			return (0);
	}
	return (policy_rels_match(r, f, permissive) &&
	    policy_funcs_match(r, f, permissive));
}

/* Whether fn is trusted by an Allow rule of nothing but functions. */
static int
policy_trusted(const struct config_policy *pol, const struct guard_func *fn)
{
	const struct config_rule	*r;
	size_t				 i, k;

	for (i = 0; pol != NULL && i < pol->nrules; i++) {
		r = &pol->rules[i];
		if (r->action != VERDICT_ALLOW || r->nfuncs == 0)
			continue;
		for (k = 0; k < r->nfuncs; k++) {
			if (policy_func_match(r->funcs[k], fn))
				return (1);
		}
	}
	return (0);
}

/* Set a verdict from a built-in table row. */
static void
policy_set(struct verdict *v, const char *policy, enum verdict_action a,
    uint64_t kinds, unsigned int flags, const char *message,
    const struct guard_facts *f)
{
	struct buf	 b;

	v->action = a;
	v->policy = policy;
	buf_init(&b);
	buf_printf(&b, "%s: %s ", policy, verdict_name(a));
	policy_facts_format(&b, kinds & f->kinds, flags & f->flags);
	v->rule = xstrdup(buf_cstr(&b));
	buf_free(&b);
	if (f->why != NULL && (f->kinds & K(KIND_UNKNOWN)))
		xasprintf(&v->message, "%s: %s", message, f->why);
	else if (f->setting != NULL && (flags & f->flags & GF_PINNED))
		xasprintf(&v->message, "%s (%s)", message, f->setting);
	else
		v->message = xstrdup(message);
}

/* Decide one statement. */
void
policy_evaluate(const struct config_policy *pol, int read_only,
    const struct guard_facts *in, struct verdict *v)
{
	struct guard_facts	 f = *in;
	const struct config_rule *r;
	struct buf		 b;
	size_t			 i, opaque = 0, untrusted = 0;

	memset(v, 0, sizeof *v);

	/* Trusted functions no longer make the statement opaque. */
	if (pol != NULL && (f.flags & GF_OPAQUE) &&
	    !(f.kinds & (K(KIND_DO) | K(KIND_CALL)))) {
		for (i = 0; i < f.nfuncs; i++) {
			if (!f.funcs[i].opaque)
				continue;
			opaque++;
			if (!policy_trusted(pol, &f.funcs[i]))
				untrusted++;
		}
		if (opaque > 0 && untrusted == 0)
			f.flags &= ~GF_OPAQUE;
	}

	for (i = 0; read_only && i < nitems(policy_readonly); i++) {
		if ((f.kinds & policy_readonly[i].kinds) ||
		    (f.flags & policy_readonly[i].flags)) {
			policy_set(v, "ReadOnly", policy_readonly[i].action,
			    policy_readonly[i].kinds, policy_readonly[i].flags,
			    policy_readonly[i].message, &f);
			return;
		}
	}
	for (i = 0; pol != NULL && i < pol->nrules; i++) {
		r = &pol->rules[i];
		if (r->action == VERDICT_ALLOW && r->nfuncs > 0)
			continue;	/* trusts functions, decided above */
		if (!policy_rule_match(r, &f))
			continue;
		v->action = (enum verdict_action)r->action;
		v->policy = pol->name;
		buf_init(&b);
		policy_rule_format(r, &b);
		v->rule = xstrdup(buf_cstr(&b));
		buf_free(&b);
		if (r->message != NULL)
			v->message = xstrdup(r->message);
		else if (f.why != NULL && (f.kinds & K(KIND_UNKNOWN)))
			v->message = xstrdup(f.why);
		return;
	}
	for (i = 0; i < nitems(policy_builtin); i++) {
		if ((f.kinds & policy_builtin[i].kinds) ||
		    (f.flags & policy_builtin[i].flags)) {
			policy_set(v, "builtin", policy_builtin[i].action,
			    policy_builtin[i].kinds, policy_builtin[i].flags,
			    policy_builtin[i].message, &f);
			return;
		}
	}
	v->action = VERDICT_ALLOW;
	v->policy = "builtin";
	v->rule = xstrdup("builtin: allow");
}

/* Release a verdict's strings. */
void
verdict_clear(struct verdict *v)
{
	free(v->rule);
	free(v->message);
	v->rule = v->message = NULL;
}
