/*
 * maskcat.h: a session's map of where masked values live, read from the
 * target's catalog: the relations with a Mask or Unmask line, their
 * inheritance relatives and partitions, and the views and materialized
 * views over them, each column with the rule that applies. The classifier
 * asks it which columns of a relation are masked; the mask stage asks it
 * which rule a result column's origin carries. It is read once and again
 * after anything that may change the catalog, while the connection is
 * idle, with the gateway's own queries (names bound as parameters,
 * pg_catalog-qualified objects and operators).
 */
#ifndef MASKCAT_H
#define MASKCAT_H

#include "backend.h"
#include "config.h"
#include "result.h"

struct maskcat;

struct maskcat	*maskcat_new(const struct config_policy *,
		    const struct backend_ops *, struct backend *);
void		 maskcat_free(struct maskcat *);
/* The policy changed (reload): use pol from now on, read again. */
void		 maskcat_set_policy(struct maskcat *,
		    const struct config_policy *);
/* Something may have changed the catalog: read it again when asked. */
void		 maskcat_forget(struct maskcat *);
/* Whether the policy has any Mask line (else nothing is ever masked). */
int		 maskcat_active(const struct maskcat *);

/*
 * Read the catalog if it is not current. 0, or -1 and *err (the caller
 * must then not run or show anything that depends on it).
 */
int		 maskcat_load(struct maskcat *, char **err);

/*
 * The guard_ctx masked callback (see guard.h): arg is the maskcat. Loads
 * the catalog if needed; when that fails every relation answers "*" and
 * maskcat_failed says why.
 */
const char *const *maskcat_masked(void *, const char *schema,
		    const char *name);
/*
 * The guard_ctx columns callback: every column of a relation with masked
 * columns (PostgreSQL), read once per load; NULL when not known.
 */
const char *const *maskcat_columns(void *, const char *schema,
		    const char *name);
/* The error of the last failed load, or NULL. */
const char	*maskcat_failed(const struct maskcat *);

/* What a result column's origin says. */
enum maskcat_origin {
	MCO_UNKNOWN,	/* no origin, or one that cannot be trusted */
	MCO_CLEAN,	/* a column no Mask line covers */
	MCO_RULE,	/* a column with a Mask or Unmask line (*rule) */
	MCO_DERIVED,	/* computed from masked values: mask it whole */
};

/*
 * The origin of a result column. For MariaDB, trust_base says whether an
 * origin in a base table may be believed (the statement has no derived
 * table or CTE that could take a base table's name).
 */
enum maskcat_origin maskcat_origin(struct maskcat *,
		    const struct result_column *, int trust_base,
		    const struct config_mask **rule);

#endif
