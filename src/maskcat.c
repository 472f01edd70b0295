/*
 * maskcat.c: where a session's masked values live; see maskcat.h. The
 * catalog queries are the gateway's own: names travel as bound parameters
 * (PostgreSQL) or through the connector's quoting (MariaDB), and every
 * catalog object and operator is schema-qualified, so temporary objects
 * and the search path cannot change what they read.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbgate.h"
#include "detect.h"
#include "maskcat.h"

#define MASKCAT_MAX_VIEW_ROUNDS	16	/* views over views over ... */

struct mc_col {
	int			 attnum;	/* PostgreSQL; 0 for MariaDB */
	char			*name;
	const struct config_mask *rule;		/* or NULL when derived */
	int			 derived;	/* computed from masked values */
};

struct mc_rel {
	unsigned int		 oid;		/* PostgreSQL, else 0 */
	char			*schema;
	char			*name;
	int			 all;		/* every column derived ("*") */
	struct mc_col		*cols;
	size_t			 ncols;
	const char		**names;	/* masked names, NULL-ended */
	char			**colnames;	/* every column, NULL-ended;
						 * read when first asked */
	size_t			 ncolnames;
	int			 colnames_read;
};

struct maskcat {
	const struct config_policy *pol;
	const struct backend_ops *bops;
	struct backend		*be;
	int			 current;
	char			*err;
	struct mc_rel		*rels;
	size_t			 nrels;
	char			**bases;	/* MariaDB: "db.table", lower */
	size_t			 nbases;
	const char		*star[2];
};

/* Rows of an internal query go to a function of the loader. */
struct mc_query {
	struct maskcat		*mc;
	int			(*row)(struct mc_query *,
				    const struct result_cell *, size_t);
	const struct result_column *cols;	/* last columns seen */
	size_t			 ncols;
	void			*arg;
};

/* A cell as a new string. */
static char *
mc_str(const struct result_cell *c)
{
	return (c->isnull ? xstrdup("") : xstrndup(c->data, c->len));
}

/* A cell as an unsigned number (oids, attnums). */
static unsigned long
mc_num(const struct result_cell *c)
{
	unsigned long	 n = 0;
	size_t		 i;

	for (i = 0; i < c->len && c->data[i] >= '0' && c->data[i] <= '9';
	    i++)
		n = n * 10 + (unsigned long)(c->data[i] - '0');
	return (n);
}

static int
mc_sink_columns(void *arg, const struct result_column *cols, size_t n)
{
	struct mc_query	*q = arg;

	q->cols = cols;
	q->ncols = n;
	return (0);
}

static int
mc_sink_row(void *arg, const struct result_cell *cells, size_t n)
{
	struct mc_query	*q = arg;

	return (q->row != NULL ? q->row(q, cells, n) : 0);
}

static void
mc_sink_notice(void *arg, const char *sqlstate, const char *message)
{
	(void)arg;
	(void)sqlstate;
	(void)message;
}

/* Run one internal query. 0, or -1 and mc->err. */
static int
mc_query(struct maskcat *mc, const char *sql, const char *const *params,
    size_t nparams, struct mc_query *q)
{
	struct backend_sink	 sink;
	struct backend_result	 res;
	int			 rc = 0;

	q->mc = mc;
	sink.columns = mc_sink_columns;
	sink.row = mc_sink_row;
	sink.notice = mc_sink_notice;
	sink.arg = q;
	if (mc->bops->exec(mc->be, sql, strlen(sql), params, nparams, &sink,
	    &res) != 0 || res.status != BACKEND_OK) {
		free(mc->err);
		xasprintf(&mc->err, "cannot read the masking catalog: %s",
		    res.message != NULL ? res.message : "query failed");
		rc = -1;
	}
	backend_result_clear(&res);
	return (rc);
}

/* Forget what was read. */
static void
mc_clear(struct maskcat *mc)
{
	size_t	 i, j;

	for (i = 0; i < mc->nrels; i++) {
		for (j = 0; j < mc->rels[i].ncols; j++)
			free(mc->rels[i].cols[j].name);
		free(mc->rels[i].cols);
		free(mc->rels[i].names);
		for (j = 0; j < mc->rels[i].ncolnames; j++)
			free(mc->rels[i].colnames[j]);
		free(mc->rels[i].colnames);
		free(mc->rels[i].schema);
		free(mc->rels[i].name);
	}
	free(mc->rels);
	mc->rels = NULL;
	mc->nrels = 0;
	for (i = 0; i < mc->nbases; i++)
		free(mc->bases[i]);
	free(mc->bases);
	mc->bases = NULL;
	mc->nbases = 0;
}

/* The relation with this oid (PostgreSQL), or NULL. */
static struct mc_rel *
mc_rel_oid(struct maskcat *mc, unsigned int oid)
{
	size_t	 i;

	for (i = 0; i < mc->nrels; i++)
		if (mc->rels[i].oid == oid)
			return (&mc->rels[i]);
	return (NULL);
}

/* The relation schema.name (any case; schema NULL: any), or NULL. */
static struct mc_rel *
mc_rel_name(struct maskcat *mc, const char *schema, const char *name)
{
	size_t	 i;

	for (i = 0; i < mc->nrels; i++) {
		if (strcasecmp(mc->rels[i].name, name) == 0 &&
		    (schema == NULL ||
		    strcasecmp(mc->rels[i].schema, schema) == 0))
			return (&mc->rels[i]);
	}
	return (NULL);
}

/* Find or add a relation. */
static struct mc_rel *
mc_rel_add(struct maskcat *mc, unsigned int oid, const char *schema,
    const char *name)
{
	struct mc_rel	*r;

	if ((r = oid != 0 ? mc_rel_oid(mc, oid) :
	    mc_rel_name(mc, schema, name)) != NULL)
		return (r);
	mc->rels = xreallocarray(mc->rels, mc->nrels + 1, sizeof *mc->rels);
	r = &mc->rels[mc->nrels++];
	memset(r, 0, sizeof *r);
	r->oid = oid;
	r->schema = xstrdup(schema);
	r->name = xstrdup(name);
	return (r);
}

/* The column of r by attnum (PostgreSQL) or name, or NULL. */
static struct mc_col *
mc_col_find(struct mc_rel *r, int attnum, const char *name)
{
	size_t	 i;

	for (i = 0; i < r->ncols; i++) {
		if (attnum > 0 ? r->cols[i].attnum == attnum :
		    strcasecmp(r->cols[i].name, name) == 0)
			return (&r->cols[i]);
	}
	return (NULL);
}

/* Give a column of r a rule (or mark it derived), unless it has one. */
static int
mc_col_add(struct mc_rel *r, int attnum, const char *name,
    const struct config_mask *rule, int derived)
{
	struct mc_col	*c;

	if (mc_col_find(r, attnum, name) != NULL)
		return (0);
	r->cols = xreallocarray(r->cols, r->ncols + 1, sizeof *r->cols);
	c = &r->cols[r->ncols++];
	c->attnum = attnum;
	c->name = xstrdup(name);
	c->rule = rule;
	c->derived = derived;
	return (1);
}

/* Whether a column's values are masked (a Mask rule, or derived). */
static int
mc_col_masked(const struct mc_col *c)
{
	return (c->derived || (c->rule != NULL && !c->rule->unmask));
}

/* Whether r holds any masked value. */
static int
mc_rel_masked(const struct mc_rel *r)
{
	size_t	 i;

	if (r->all)
		return (1);
	for (i = 0; i < r->ncols; i++)
		if (mc_col_masked(&r->cols[i]))
			return (1);
	return (0);
}

/* Build each relation's list of masked column names. */
static void
mc_finish(struct maskcat *mc)
{
	struct mc_rel	*r;
	size_t		 i, j, n;

	for (i = 0; i < mc->nrels; i++) {
		r = &mc->rels[i];
		free(r->names);
		r->names = xcalloc(r->ncols + 1, sizeof *r->names);
		for (j = n = 0; j < r->ncols; j++)
			if (mc_col_masked(&r->cols[j]))
				r->names[n++] = r->cols[j].name;
	}
}

/* Append a glob as an anchored, case-blind POSIX regex element. */
static void
mc_glob_regex(struct buf *b, const char *g)
{
	buf_adds(b, "\"^");
	for (; *g != '\0'; g++) {
		switch (*g) {
		case '*':
			buf_adds(b, ".*");
			break;
		case '?':
			buf_addc(b, '.');
			break;
		case '[':
			/* A glob bracket expression is a regex one. */
			if (strchr(g + 1, ']') != NULL &&
			    strchr(g + 1, ']') > g + 1) {
				buf_addc(b, '[');
				if (*++g == '!') {
					buf_addc(b, '^');
					g++;
				}
				for (; *g != ']'; g++)
					if (*g != '"' && *g != '\\')
						buf_addc(b, *g);
				buf_addc(b, ']');
				break;
			}
			buf_adds(b, "[[]");
			break;
		default:
			/* Anything else literally: a bracket expression. */
			if (*g == '"')
				buf_adds(b, "[\\\"]");
			else if (*g == '\\')
				buf_adds(b, "\\\\\\\\");
			else if (*g == '^')
				buf_adds(b, "\\\\^");
			else if ((unsigned char)*g >= 0x80)
				buf_addc(b, *g);	/* UTF-8: as is */
			else
				buf_printf(b, "[%c]", *g);
			break;
		}
	}
	buf_adds(b, "$\"");
}

/* PostgreSQL: a row of relation columns (oid, schema, name, attnum,
 * attname) matched against the Mask lines. */
static int
mc_pg_col_row(struct mc_query *q, const struct result_cell *c, size_t n)
{
	struct maskcat			*mc = q->mc;
	const struct config_mask	*rule;
	char				*schema, *name, *att;

	if (n != 5)
		return (1);
	schema = mc_str(&c[1]);
	name = mc_str(&c[2]);
	att = mc_str(&c[4]);
	if ((rule = config_mask_match(mc->pol, schema, name, att)) != NULL)
		mc_col_add(mc_rel_add(mc, (unsigned int)mc_num(&c[0]), schema,
		    name), (int)mc_num(&c[3]), att, rule, 0);
	free(schema);
	free(name);
	free(att);
	return (0);
}

/* An inheritance edge (child, parent). */
struct mc_edges {
	unsigned int	*a;
	size_t		 n;	/* pairs */
};

static int
mc_pg_edge_row(struct mc_query *q, const struct result_cell *c, size_t n)
{
	struct mc_edges	*e = q->arg;

	if (n != 2)
		return (1);
	e->a = xreallocarray(e->a, 2 * (e->n + 1), sizeof *e->a);
	e->a[2 * e->n] = (unsigned int)mc_num(&c[0]);
	e->a[2 * e->n + 1] = (unsigned int)mc_num(&c[1]);
	e->n++;
	return (0);
}

/* Columns of relatives: (oid, schema, name, attnum, attname, seed). */
static int
mc_pg_relative_row(struct mc_query *q, const struct result_cell *c,
    size_t n)
{
	struct maskcat	*mc = q->mc;
	struct mc_rel	*seed, *r;
	struct mc_col	*sc;
	char		*schema, *name, *att;
	size_t		 k;

	if (n != 6)
		return (1);
	if ((seed = mc_rel_oid(mc, (unsigned int)mc_num(&c[5]))) == NULL)
		return (0);
	att = mc_str(&c[4]);
	for (k = 0; k < seed->ncols; k++) {
		sc = &seed->cols[k];
		if (strcmp(sc->name, att) != 0 || sc->rule == NULL)
			continue;
		schema = mc_str(&c[1]);
		name = mc_str(&c[2]);
		r = mc_rel_add(mc, (unsigned int)mc_num(&c[0]), schema, name);
		mc_col_add(r, (int)mc_num(&c[3]), att, sc->rule, 0);
		free(schema);
		free(name);
		break;
	}
	free(att);
	return (0);
}

/* A list of oids as a PostgreSQL array literal. */
static void
mc_oid_array(struct buf *b, const unsigned int *v, size_t n)
{
	size_t	 i;

	buf_reset(b);
	buf_addc(b, '{');
	for (i = 0; i < n; i++)
		buf_printf(b, "%s%u", i ? "," : "", v[i]);
	buf_addc(b, '}');
	buf_cstr(b);
}

/*
 * Inheritance and partitions: every relative of a relation with a masked
 * column (up and down, through any number of levels) masks the columns of
 * the same names the same way.
 */
static int
mc_pg_relatives(struct maskcat *mc)
{
	static const char *edges_sql =
	    "SELECT i.inhrelid, i.inhparent FROM pg_catalog.pg_inherits i";
	static const char *cols_sql =
	    "SELECT c.oid, n.nspname, c.relname, a.attnum, a.attname, "
	    "s.seed FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.oid[]), "
	    "pg_catalog.unnest($2::pg_catalog.oid[])) AS s(rel, seed) "
	    "JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) s.rel "
	    "JOIN pg_catalog.pg_namespace n "
	    "ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
	    "JOIN pg_catalog.pg_attribute a "
	    "ON a.attrelid OPERATOR(pg_catalog.=) c.oid "
	    "WHERE a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped";
	struct mc_edges	 e = { NULL, 0 };
	struct mc_query	 q;
	struct buf	 b1, b2;
	unsigned int	*seen = NULL, *rel = NULL, *seed = NULL;
	const char	*params[2];
	size_t		 nseeds, i, k, nseen, head, nrel = 0;
	int		 rc = -1;

	memset(&q, 0, sizeof q);
	q.row = mc_pg_edge_row;
	q.arg = &e;
	if (mc_query(mc, edges_sql, NULL, 0, &q) != 0)
		return (-1);
	if (e.n == 0) {
		free(e.a);
		return (0);
	}
	/* From each seed, walk the edges both ways. */
	nseeds = mc->nrels;
	seen = xcalloc(2 * e.n + 1, sizeof *seen);
	for (i = 0; i < nseeds; i++) {
		if (!mc_rel_masked(&mc->rels[i]))
			continue;
		nseen = 0;
		seen[nseen++] = mc->rels[i].oid;
		for (head = 0; head < nseen; head++) {
			for (k = 0; k < 2 * e.n; k++) {
				unsigned int	 other;
				size_t		 j;

				if (e.a[k] != seen[head])
					continue;
				other = e.a[k ^ 1];
				for (j = 0; j < nseen && seen[j] != other; j++)
					;
				if (j == nseen && nseen < 2 * e.n + 1)
					seen[nseen++] = other;
			}
		}
		for (k = 1; k < nseen; k++) {
			rel = xreallocarray(rel, nrel + 1, sizeof *rel);
			seed = xreallocarray(seed, nrel + 1, sizeof *seed);
			rel[nrel] = seen[k];
			seed[nrel++] = mc->rels[i].oid;
		}
	}
	rc = 0;
	if (nrel > 0) {
		buf_init(&b1);
		buf_init(&b2);
		mc_oid_array(&b1, rel, nrel);
		mc_oid_array(&b2, seed, nrel);
		params[0] = b1.data;
		params[1] = b2.data;
		memset(&q, 0, sizeof q);
		q.row = mc_pg_relative_row;
		/* A relative reached from two seeds takes both rules. */
		rc = mc_query(mc, cols_sql, params, 2, &q);
		buf_free(&b1);
		buf_free(&b2);
	}
	free(seen);
	free(rel);
	free(seed);
	free(e.a);
	return (rc);
}

/* A view over masked relations: (oid, schema, name, definition). */
struct mc_view {
	unsigned int	 oid;
	char		*schema;
	char		*name;
	char		*def;
};
struct mc_views {
	struct mc_view	*v;
	size_t		 n;
};

static int
mc_pg_view_row(struct mc_query *q, const struct result_cell *c, size_t n)
{
	struct mc_views	*vs = q->arg;
	struct mc_view	*v;
	unsigned int	 oid;
	size_t		 i;

	if (n != 6)
		return (1);
	oid = (unsigned int)mc_num(&c[0]);
	if (mc_rel_oid(q->mc, oid) != NULL)
		return (0);			/* already known */
	/* Only a dependency on a masked column (or the whole row) taints. */
	{
		struct mc_rel	*ref;
		struct mc_col	*col;
		int		 sub = (int)mc_num(&c[5]);

		if ((ref = mc_rel_oid(q->mc, (unsigned int)mc_num(&c[4]))) ==
		    NULL || !mc_rel_masked(ref))
			return (0);
		if (sub != 0 && !ref->all && ((col = mc_col_find(ref, sub,
		    NULL)) == NULL || !mc_col_masked(col)))
			return (0);
	}
	for (i = 0; i < vs->n; i++)
		if (vs->v[i].oid == oid)
			return (0);
	vs->v = xreallocarray(vs->v, vs->n + 1, sizeof *vs->v);
	v = &vs->v[vs->n++];
	v->oid = oid;
	v->schema = mc_str(&c[1]);
	v->name = mc_str(&c[2]);
	v->def = mc_str(&c[3]);
	return (0);
}

/* Strip a view definition's trailing ';' and blanks. */
static void
mc_trim_def(char *s)
{
	size_t	 n = strlen(s);

	while (n > 0 && (s[n - 1] == ';' || s[n - 1] == ' ' ||
	    s[n - 1] == '\n' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

/*
 * One view over masked values: PostgreSQL itself says where each of its
 * columns comes from when its definition is described (run with LIMIT 0:
 * planned, no row read). A column from a masked column keeps that rule;
 * one computed from anything is derived (masked whole).
 */
static int
mc_pg_view(struct maskcat *mc, const struct mc_view *v)
{
	struct mc_query			 q;
	struct mc_rel			*r, *src;
	struct mc_col			*sc;
	const struct result_column	*col;
	char				*sql;
	size_t				 i;
	int				 rc;

	memset(&q, 0, sizeof q);
	xasprintf(&sql, "SELECT * FROM (%s) AS dbgate_view LIMIT 0", v->def);
	rc = mc_query(mc, sql, NULL, 0, &q);
	free(sql);
	r = mc_rel_add(mc, v->oid, v->schema, v->name);
	if (rc != 0 || q.cols == NULL) {
		/*
		 * Not described (no privilege on what it reads, say): the
		 * view is masked whole. A broken connection or transaction
		 * fails the next catalog query anyway.
		 */
		free(mc->err);
		mc->err = NULL;
		r->all = 1;
		return (0);
	}
	for (i = 0; i < q.ncols; i++) {
		col = &q.cols[i];
		src = col->table_oid != 0 ? mc_rel_oid(mc, col->table_oid) :
		    NULL;
		if (col->table_oid == 0 || (src != NULL && (src->all ||
		    (col->attnum == 0 && mc_rel_masked(src)))))
			mc_col_add(r, (int)i + 1, col->name, NULL, 1);
		else if (src != NULL && (sc = mc_col_find(src, col->attnum,
		    NULL)) != NULL)
			mc_col_add(r, (int)i + 1, col->name, sc->rule,
			    sc->derived);
	}
	return (0);
}

/* Views and materialized views over masked relations, level by level. */
static int
mc_pg_views(struct maskcat *mc)
{
	static const char *sql =
	    "SELECT DISTINCT r.ev_class, n.nspname, c.relname, "
	    "pg_catalog.pg_get_viewdef(r.ev_class), d.refobjid, "
	    "d.refobjsubid FROM pg_catalog.pg_depend d "
	    "JOIN pg_catalog.pg_rewrite r "
	    "ON r.oid OPERATOR(pg_catalog.=) d.objid "
	    "JOIN pg_catalog.pg_class c "
	    "ON c.oid OPERATOR(pg_catalog.=) r.ev_class "
	    "JOIN pg_catalog.pg_namespace n "
	    "ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
	    "WHERE d.classid OPERATOR(pg_catalog.=) "
	    "'pg_catalog.pg_rewrite'::pg_catalog.regclass "
	    "AND d.refclassid OPERATOR(pg_catalog.=) "
	    "'pg_catalog.pg_class'::pg_catalog.regclass "
	    "AND d.refobjid OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.oid[]) "
	    "AND r.ev_class OPERATOR(pg_catalog.<>) d.refobjid "
	    "AND c.relkind OPERATOR(pg_catalog.=) ANY "
	    "('{v,m}'::pg_catalog.\"char\"[])";
	struct mc_views	 vs;
	struct mc_query	 q;
	struct buf	 b;
	unsigned int	*oids = NULL;
	const char	*params[1];
	size_t		 i, n, round;
	int		 rc = 0;

	buf_init(&b);
	for (round = 0; round < MASKCAT_MAX_VIEW_ROUNDS && rc == 0; round++) {
		for (i = n = 0; i < mc->nrels; i++) {
			if (!mc_rel_masked(&mc->rels[i]))
				continue;
			oids = xreallocarray(oids, n + 1, sizeof *oids);
			oids[n++] = mc->rels[i].oid;
		}
		if (n == 0)
			break;
		mc_oid_array(&b, oids, n);
		params[0] = b.data;
		memset(&vs, 0, sizeof vs);
		memset(&q, 0, sizeof q);
		q.row = mc_pg_view_row;
		q.arg = &vs;
		rc = mc_query(mc, sql, params, 1, &q);
		for (i = 0; i < vs.n; i++) {
			if (rc == 0) {
				mc_trim_def(vs.v[i].def);
				rc = mc_pg_view(mc, &vs.v[i]);
			}
			free(vs.v[i].schema);
			free(vs.v[i].name);
			free(vs.v[i].def);
		}
		free(vs.v);
		if (vs.n == 0)
			break;
	}
	if (rc == 0 && round == MASKCAT_MAX_VIEW_ROUNDS) {
		free(mc->err);
		mc->err = xstrdup("cannot read the masking catalog: views "
		    "nest too deep");
		rc = -1;
	}
	free(oids);
	buf_free(&b);
	return (rc);
}

/* PostgreSQL: read the masking catalog. */
static int
mc_load_pg(struct maskcat *mc)
{
	static const char *sql =
	    "SELECT c.oid, n.nspname, c.relname, a.attnum, a.attname "
	    "FROM pg_catalog.pg_class c "
	    "JOIN pg_catalog.pg_namespace n "
	    "ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
	    "JOIN pg_catalog.pg_attribute a "
	    "ON a.attrelid OPERATOR(pg_catalog.=) c.oid "
	    "WHERE c.relname OPERATOR(pg_catalog.~*) "
	    "ANY ($1::pg_catalog.text[]) "
	    "AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped "
	    "AND c.relkind OPERATOR(pg_catalog.=) ANY "
	    "('{r,p,f,v,m}'::pg_catalog.\"char\"[])";
	struct mc_query	 q;
	struct buf	 b;
	const char	*params[1];
	size_t		 i;
	int		 rc;

	buf_init(&b);
	buf_addc(&b, '{');
	for (i = 0; i < mc->pol->nmasks; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		mc_glob_regex(&b, mc->pol->masks[i].table);
	}
	buf_addc(&b, '}');
	params[0] = buf_cstr(&b);
	memset(&q, 0, sizeof q);
	q.row = mc_pg_col_row;
	rc = mc_query(mc, sql, params, 1, &q);
	buf_free(&b);
	if (rc == 0 && mc->nrels > 0)
		rc = mc_pg_relatives(mc);
	if (rc == 0 && mc->nrels > 0)
		rc = mc_pg_views(mc);
	return (rc);
}

/* MariaDB: one row of information_schema.TABLES. */
struct mc_my_views {
	char	**schema;
	char	**name;
	char	**def;		/* lower case, for mentions */
	char	**text;		/* as stored, to run */
	size_t	  n;
};

static int
mc_my_table_row(struct mc_query *q, const struct result_cell *c, size_t n)
{
	struct maskcat		*mc = q->mc;
	struct mc_my_views	*vs = q->arg;
	char			*schema, *name, *type, *key, *p;
	size_t			 i;

	if (n != 4)
		return (1);
	schema = mc_str(&c[0]);
	name = mc_str(&c[1]);
	type = mc_str(&c[2]);
	if (strcasecmp(type, "BASE TABLE") == 0 ||
	    strcasecmp(type, "SYSTEM VERSIONED") == 0) {
		xasprintf(&key, "%s.%s", schema, name);
		for (p = key; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		mc->bases = xreallocarray(mc->bases, mc->nbases + 1,
		    sizeof *mc->bases);
		mc->bases[mc->nbases++] = key;
		for (i = 0; i < mc->pol->nmasks; i++) {
			const struct config_mask *m = &mc->pol->masks[i];

			if ((m->schema == NULL || fnmatch(m->schema, schema,
			    FNM_CASEFOLD) == 0) && fnmatch(m->table, name,
			    FNM_CASEFOLD) == 0) {
				mc_rel_add(mc, 0, schema, name);
				break;
			}
		}
	} else if (strcasecmp(type, "VIEW") == 0) {
		vs->schema = xreallocarray(vs->schema, vs->n + 1,
		    sizeof *vs->schema);
		vs->name = xreallocarray(vs->name, vs->n + 1,
		    sizeof *vs->name);
		vs->def = xreallocarray(vs->def, vs->n + 1, sizeof *vs->def);
		vs->text = xreallocarray(vs->text, vs->n + 1,
		    sizeof *vs->text);
		vs->schema[vs->n] = xstrdup(schema);
		vs->name[vs->n] = xstrdup(name);
		vs->text[vs->n] = mc_str(&c[3]);
		vs->def[vs->n] = mc_str(&c[3]);
		for (p = vs->def[vs->n]; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		vs->n++;
	}
	free(schema);
	free(name);
	free(type);
	return (0);
}

static int
mc_my_col_row(struct mc_query *q, const struct result_cell *c, size_t n)
{
	struct mc_rel			*r = q->arg;
	const struct config_mask	*rule;
	char				*att;

	if (n != 1)
		return (1);
	att = mc_str(&c[0]);
	if ((rule = config_mask_match(q->mc->pol, r->schema, r->name,
	    att)) != NULL)
		mc_col_add(r, 0, att, rule, 0);
	free(att);
	return (0);
}

static int	 mc_is_base(const struct maskcat *, const char *, const char *);

/* A view's column names in order (information_schema.COLUMNS). */
struct mc_names {
	char	**v;
	size_t	  n;
};

static int
mc_my_name_row(struct mc_query *q, const struct result_cell *c, size_t n)
{
	struct mc_names	*names = q->arg;

	if (n != 1)
		return (1);
	names->v = xreallocarray(names->v, names->n + 1, sizeof *names->v);
	names->v[names->n++] = mc_str(&c[0]);
	return (0);
}

/* Whether db.name is one of the views. */
static int
mc_my_is_view(const struct mc_my_views *vs, const char *db, const char *name)
{
	size_t	 i;

	for (i = 0; i < vs->n; i++)
		if (strcasecmp(vs->schema[i], db) == 0 &&
		    strcasecmp(vs->name[i], name) == 0)
			return (1);
	return (0);
}

/*
 * One MariaDB view over masked values: its definition runs with
 * sql_select_limit 0 (no row read), and the server names each column's
 * origin; a column from a masked column keeps that rule, a computed one or
 * one from a derived table is derived. A view that cannot be described is
 * masked whole.
 */
static int
mc_my_view(struct maskcat *mc, const struct mc_my_views *vs, size_t k)
{
	static const char *names_sql =
	    "SELECT COLUMN_NAME FROM information_schema.COLUMNS "
	    "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? "
	    "ORDER BY ORDINAL_POSITION";
	const struct result_column	*col;
	struct mc_names			 names = { NULL, 0 };
	struct mc_query			 q;
	struct mc_rel			*r, *src;
	struct mc_col			*sc;
	const char			*params[2];
	char				*sql;
	size_t				 i;
	int				 rc;

	r = mc_rel_add(mc, 0, vs->schema[k], vs->name[k]);
	params[0] = vs->schema[k];
	params[1] = vs->name[k];
	memset(&q, 0, sizeof q);
	q.row = mc_my_name_row;
	q.arg = &names;
	if (vs->text[k][0] == '\0' ||
	    mc_query(mc, names_sql, params, 2, &q) != 0)
		goto whole;
	memset(&q, 0, sizeof q);
	xasprintf(&sql, "SET STATEMENT sql_select_limit = 0 FOR %s",
	    vs->text[k]);
	rc = mc_query(mc, sql, NULL, 0, &q);
	free(sql);
	if (rc != 0 || q.cols == NULL || q.ncols != names.n)
		goto whole;
	for (i = 0; i < q.ncols; i++) {
		col = &q.cols[i];
		if (col->org_table == NULL || *col->org_table == '\0' ||
		    col->org_db == NULL || col->org_name == NULL) {
			mc_col_add(r, 0, names.v[i], NULL, 1);
			continue;
		}
		src = mc_rel_name(mc, col->org_db, col->org_table);
		if (src != NULL && src->all)
			mc_col_add(r, 0, names.v[i], NULL, 1);
		else if (src != NULL && (sc = mc_col_find(src, 0,
		    col->org_name)) != NULL)
			mc_col_add(r, 0, names.v[i], sc->rule, sc->derived);
		else if (!mc_is_base(mc, col->org_db, col->org_table) &&
		    !mc_my_is_view(vs, col->org_db, col->org_table))
			/* A derived table's name: lineage unknown. */
			mc_col_add(r, 0, names.v[i], NULL, 1);
	}
	for (i = 0; i < names.n; i++)
		free(names.v[i]);
	free(names.v);
	return (0);
whole:
	/* Not a failure of the load: the view is masked whole. */
	free(mc->err);
	mc->err = NULL;
	r->all = 1;
	for (i = 0; i < names.n; i++)
		free(names.v[i]);
	free(names.v);
	return (0);
}

/* Whether a lower-cased view definition names relation r. */
static int
mc_my_mentions(const char *def, const struct mc_rel *r)
{
	char	*needle, *p;
	int	 found;

	xasprintf(&needle, "`%s`", r->name);
	for (p = needle; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	found = strstr(def, needle) != NULL;
	free(needle);
	return (found);
}

/* MariaDB: read the masking catalog. */
static int
mc_load_mariadb(struct maskcat *mc)
{
	static const char *tables_sql =
	    "SELECT t.TABLE_SCHEMA, t.TABLE_NAME, t.TABLE_TYPE, "
	    "v.VIEW_DEFINITION FROM information_schema.TABLES t "
	    "LEFT JOIN information_schema.VIEWS v "
	    "ON v.TABLE_SCHEMA = t.TABLE_SCHEMA "
	    "AND v.TABLE_NAME = t.TABLE_NAME "
	    "WHERE t.TABLE_SCHEMA NOT IN ('information_schema', "
	    "'performance_schema')";
	static const char *cols_sql =
	    "SELECT COLUMN_NAME FROM information_schema.COLUMNS "
	    "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";
	struct mc_my_views	 vs;
	struct mc_query		 q;
	const char		*params[2];
	size_t			 i, j, nbase, round;
	int			 rc, grew;

	memset(&vs, 0, sizeof vs);
	memset(&q, 0, sizeof q);
	q.row = mc_my_table_row;
	q.arg = &vs;
	rc = mc_query(mc, tables_sql, NULL, 0, &q);
	nbase = mc->nrels;
	for (i = 0; rc == 0 && i < nbase; i++) {
		params[0] = mc->rels[i].schema;
		params[1] = mc->rels[i].name;
		memset(&q, 0, sizeof q);
		q.row = mc_my_col_row;
		q.arg = &mc->rels[i];
		rc = mc_query(mc, cols_sql, params, 2, &q);
	}
	/*
	 * A view is masked whole when its definition names a relation with
	 * masked values, or when it cannot be read.
	 */
	for (round = 0, grew = 1; rc == 0 && grew &&
	    round < MASKCAT_MAX_VIEW_ROUNDS; round++) {
		grew = 0;
		for (i = 0; i < vs.n; i++) {
			if (mc_rel_name(mc, vs.schema[i], vs.name[i]) != NULL)
				continue;
			for (j = 0; j < mc->nrels; j++)
				if (mc_rel_masked(&mc->rels[j]) &&
				    (vs.def[i][0] == '\0' ||
				    mc_my_mentions(vs.def[i], &mc->rels[j])))
					break;
			if (j < mc->nrels) {
				rc = mc_my_view(mc, &vs, i);
				grew = 1;
			}
		}
	}
	for (i = 0; i < vs.n; i++) {
		free(vs.schema[i]);
		free(vs.name[i]);
		free(vs.def[i]);
		free(vs.text[i]);
	}
	free(vs.schema);
	free(vs.name);
	free(vs.def);
	free(vs.text);
	return (rc);
}

/* Start a session's masking catalog. */
struct maskcat *
maskcat_new(const struct config_policy *pol, const struct backend_ops *bops,
    struct backend *be)
{
	struct maskcat	*mc;

	mc = xcalloc(1, sizeof *mc);
	mc->pol = pol;
	mc->bops = bops;
	mc->be = be;
	mc->star[0] = "*";
	return (mc);
}

/* Release a masking catalog. */
void
maskcat_free(struct maskcat *mc)
{
	if (mc == NULL)
		return;
	mc_clear(mc);
	free(mc->err);
	free(mc);
}

/* A new policy (reload). */
void
maskcat_set_policy(struct maskcat *mc, const struct config_policy *pol)
{
	mc->pol = pol;
	maskcat_forget(mc);
}

/* Read again when next asked. */
void
maskcat_forget(struct maskcat *mc)
{
	mc->current = 0;
}

/* Whether any Mask line exists. */
int
maskcat_active(const struct maskcat *mc)
{
	size_t	 i;

	if (mc == NULL || mc->pol == NULL)
		return (0);
	for (i = 0; i < mc->pol->nmasks; i++)
		if (!mc->pol->masks[i].unmask)
			return (1);
	return (0);
}

/* Read the catalog unless current. */
int
maskcat_load(struct maskcat *mc, char **err)
{
	int	 rc = 0;

	if (mc->current)
		return (0);
	mc_clear(mc);
	free(mc->err);
	mc->err = NULL;
	if (mc->pol != NULL && mc->pol->nmasks > 0)
		rc = mc->bops->dialect == SQL_POSTGRESQL ? mc_load_pg(mc) :
		    mc_load_mariadb(mc);
	if (rc != 0) {
		mc_clear(mc);
		if (err != NULL)
			*err = xstrdup(mc->err);
		return (-1);
	}
	mc_finish(mc);
	mc->current = 1;
	return (0);
}

/* The classifier's callback. */
const char *const *
maskcat_masked(void *arg, const char *schema, const char *name)
{
	struct maskcat	*mc = arg;
	struct mc_rel	*r;
	size_t		 i;

	if (!maskcat_active(mc))
		return (NULL);
	if (maskcat_load(mc, NULL) != 0)
		return (mc->star);
	for (i = 0; i < mc->nrels; i++) {
		r = &mc->rels[i];
		if (strcasecmp(r->name, name) != 0 || (schema != NULL &&
		    strcasecmp(r->schema, schema) != 0) || !mc_rel_masked(r))
			continue;
		return (r->all ? mc->star : r->names);
	}
	return (NULL);
}

/* A column name into r->colnames. */
static int
mc_colname_row(struct mc_query *q, const struct result_cell *c, size_t n)
{
	struct mc_rel	*r = q->arg;

	if (n != 1)
		return (1);
	r->colnames = xreallocarray(r->colnames, r->ncolnames + 2,
	    sizeof *r->colnames);
	r->colnames[r->ncolnames++] = mc_str(&c[0]);
	r->colnames[r->ncolnames] = NULL;
	return (0);
}

/* The classifier's columns callback (PostgreSQL; NULL elsewhere). */
const char *const *
maskcat_columns(void *arg, const char *schema, const char *name)
{
	static const char *sql =
	    "SELECT a.attname FROM pg_catalog.pg_attribute a "
	    "WHERE a.attrelid OPERATOR(pg_catalog.=) $1::pg_catalog.oid "
	    "AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped";
	struct maskcat	*mc = arg;
	struct mc_query	 q;
	struct mc_rel	*r = NULL;
	const char	*params[1];
	char		 oid[16];
	size_t		 i;

	if (!maskcat_active(mc) || mc->bops->dialect != SQL_POSTGRESQL ||
	    maskcat_load(mc, NULL) != 0)
		return (NULL);
	for (i = 0; i < mc->nrels; i++) {
		if (strcasecmp(mc->rels[i].name, name) == 0 &&
		    (schema == NULL ||
		    strcasecmp(mc->rels[i].schema, schema) == 0) &&
		    mc_rel_masked(&mc->rels[i])) {
			r = &mc->rels[i];
			break;
		}
	}
	if (r == NULL)
		return (NULL);
	if (r->oid == 0)
		return (NULL);
	if (!r->colnames_read) {
		snprintf(oid, sizeof oid, "%u", r->oid);
		params[0] = oid;
		memset(&q, 0, sizeof q);
		q.row = mc_colname_row;
		q.arg = r;
		if (mc_query(mc, sql, params, 1, &q) != 0) {
			/* Not known: the classifier stays conservative. */
			free(mc->err);
			mc->err = NULL;
			return (NULL);
		}
		r->colnames_read = 1;
	}
	return ((const char *const *)r->colnames);
}

/* Why the last load failed, or NULL. */
const char *
maskcat_failed(const struct maskcat *mc)
{
	return (mc->current ? NULL : mc->err);
}

/* Whether db.table is a base table (MariaDB). */
static int
mc_is_base(const struct maskcat *mc, const char *db, const char *table)
{
	size_t	 i, n = strlen(db);

	for (i = 0; i < mc->nbases; i++) {
		if (strncasecmp(mc->bases[i], db, n) == 0 &&
		    mc->bases[i][n] == '.' &&
		    strcasecmp(mc->bases[i] + n + 1, table) == 0)
			return (1);
	}
	return (0);
}

/* The origin of a result column. */
enum maskcat_origin
maskcat_origin(struct maskcat *mc, const struct result_column *col,
    int trust_base, const struct config_mask **rule)
{
	struct mc_rel	*r;
	struct mc_col	*c;

	*rule = NULL;
	if (!mc->current)
		return (MCO_UNKNOWN);
	if (mc->bops->dialect == SQL_POSTGRESQL) {
		if (col->table_oid == 0)
			return (MCO_UNKNOWN);
		if ((r = mc_rel_oid(mc, col->table_oid)) == NULL)
			return (MCO_CLEAN);
		if (r->all || (col->attnum <= 0 && mc_rel_masked(r)))
			return (MCO_DERIVED);
		c = mc_col_find(r, col->attnum, NULL);
	} else {
		if (col->org_table == NULL || *col->org_table == '\0' ||
		    col->org_db == NULL || col->org_name == NULL ||
		    *col->org_name == '\0')
			return (MCO_UNKNOWN);
		r = mc_rel_name(mc, col->org_db, col->org_table);
		if (r != NULL && r->all)
			return (MCO_DERIVED);
		/* A base table, or a view described above. */
		if (r == NULL && !mc_is_base(mc, col->org_db, col->org_table))
			return (MCO_UNKNOWN);
		c = r != NULL ? mc_col_find(r, 0, col->org_name) : NULL;
		if (c == NULL)
			return (trust_base ? MCO_CLEAN : MCO_UNKNOWN);
	}
	if (c == NULL)
		return (MCO_CLEAN);
	if (c->derived)
		return (MCO_DERIVED);
	*rule = c->rule;
	return (MCO_RULE);
}
