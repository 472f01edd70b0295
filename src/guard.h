/*
 * guard.h: checking and classifying statements into facts that policy
 * rules match. Pure; handles untrusted input.
 */
#ifndef GUARD_H
#define GUARD_H

#include "sql.h"

enum stmt_kind {
	KIND_UNKNOWN = 0,
	KIND_SELECT,
	KIND_INSERT,
	KIND_UPDATE,
	KIND_DELETE,
	KIND_DDL,
	KIND_DROP,
	KIND_TRUNCATE,
	KIND_GRANT,
	KIND_ROLE,
	KIND_SET,
	KIND_SHOW,
	KIND_COPY,
	KIND_CALL,
	KIND_DO,
	KIND_PREPARE,
	KIND_EXECUTE,
	KIND_EXPLAIN,
	KIND_TRANSACTION,
	KIND_LOCK,
	KIND_ADMIN,
};

struct guard_facts {
	enum stmt_kind	 kind;
	unsigned int	 flags;		/* GUARD_F_* (guardrails work) */
	char		*why;		/* why unknown, or NULL; owned */
};

const char	*guard_kind_name(enum stmt_kind);

/*
 * Input must be valid UTF-8 without NUL bytes. Returns 0, or -1 and *err
 * (caller frees) naming the byte offset of the first bad byte.
 */
int	 guard_check_bytes(const char *, size_t, char **err);

/*
 * Classify one statement. Fills facts (release with guard_facts_clear);
 * a statement that cannot be classified gets KIND_UNKNOWN and a reason.
 */
void	 guard_classify(enum sql_dialect, const struct sql_stmt *,
	    struct guard_facts *);
void	 guard_facts_clear(struct guard_facts *);

#endif
