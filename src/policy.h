/*
 * policy.h: verdicts from facts. Pure.
 */
#ifndef POLICY_H
#define POLICY_H

#include "config.h"
#include "guard.h"

enum verdict_action {	/* in order of severity */
	VERDICT_ALLOW = 0,
	VERDICT_WARN,
	VERDICT_APPROVE,
	VERDICT_DENY,
};

struct verdict {
	enum verdict_action	 action;
	const char		*policy;	/* policy name (static/config) */
	char			*rule;		/* rule text; owned */
	char			*message;	/* owned, or NULL */
};

const char	*verdict_name(enum verdict_action);

/* Decide one statement on target; release with verdict_clear. */
void	 policy_evaluate(const struct config_target *,
	    const struct guard_facts *, struct verdict *);
void	 verdict_clear(struct verdict *);

#endif
