/*
 * policy.h: verdicts from facts, and the rules of Policy blocks. Pure.
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
/* Parse "allow" etc. (any case): 0 and *out, or -1. */
int		 verdict_parse(const char *, enum verdict_action *out);

/*
 * Parse the words of one rule line ("Deny", "drop", "relation:tmp_*",
 * "Message", "text") into r (release with policy_rule_free). Returns 0, or
 * -1 and *err (caller frees).
 */
int	 policy_rule_parse(char *const *words, size_t n,
	    struct config_rule *r, char **err);
void	 policy_rule_free(struct config_rule *);
/* Append a rule in config file syntax (no indent, no newline). */
void	 policy_rule_format(const struct config_rule *, struct buf *);

/* Append the built-in policy as commented config lines. */
void	 policy_builtin_dump(struct buf *);

/* Whether target is read-only for user (ReadOnly yes, or a group/user). */
int	 policy_read_only(const struct config_target *,
	    const struct config_user *);

/*
 * Decide one statement: ReadOnly's rules if read_only, then pol's rules (pol
 * NULL: none), then builtin's. Release with verdict_clear.
 */
void	 policy_evaluate(const struct config_policy *pol, int read_only,
	    const struct guard_facts *, struct verdict *);
void	 verdict_clear(struct verdict *);

#endif
