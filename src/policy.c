/*
 * policy.c: the policy stage. Rules and the full built-in policy come with
 * the guardrails work; until then the built-in policy denies what could
 * not be classified and allows the rest. Pure.
 */
#include <stdlib.h>

#include "dbgate.h"
#include "policy.h"

static const char *verdict_names[] = { "allow", "warn", "approve", "deny" };

/* The name of a verdict. */
const char *
verdict_name(enum verdict_action a)
{
	return (verdict_names[a]);
}

/* Decide one statement. */
void
policy_evaluate(const struct config_target *target,
    const struct guard_facts *f, struct verdict *v)
{
	v->policy = target->policy != NULL ? target->policy : "builtin";
	v->message = NULL;
	if (f->kind == KIND_UNKNOWN) {
		v->action = VERDICT_DENY;
		v->rule = xstrdup("builtin: deny unknown");
		if (f->why != NULL)
			v->message = xstrdup(f->why);
		return;
	}
	v->action = VERDICT_ALLOW;
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
