/*
 * guard.h: checking and classifying statements into facts that policy
 * rules match. Pure; handles untrusted input.
 *
 * Both dialects give the same facts: a kind for the statement itself, the
 * set of kinds of it and every statement nested in it (CTE bodies, EXPLAIN
 * ANALYZE, PREPARE, DECLARE CURSOR, function bodies, DO blocks...), flags,
 * the relations read and written, and the functions called.
 */
#ifndef GUARD_H
#define GUARD_H

#include <stdint.h>

#include "sql.h"

enum stmt_kind {		/* names in guard_kind_names, same order */
	KIND_UNKNOWN = 0,
	KIND_SELECT,
	KIND_INSERT,
	KIND_UPDATE,
	KIND_DELETE,
	KIND_MERGE,
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
	KIND_EXPLAIN_ANALYZE,
	KIND_TRANSACTION,
	KIND_LOCK,
	KIND_ADMIN,
	KIND_LISTEN,
	KIND_NOTIFY,
	KIND_USE,
	KIND_HANDLER,
	KIND_CLIENT,
	KIND_MAX
};

/* Flags (fact names in guard_flag_names, same order as the bits). */
#define GF_WRITE_NO_WHERE	(1u << 0)	/* write-without-where */
#define GF_WRITE		(1u << 1)	/* write: changes data or schema */
#define GF_FILE			(1u << 2)	/* file-access: server files */
#define GF_PROGRAM		(1u << 3)	/* program: runs a server program */
#define GF_PRIVILEGE		(1u << 4)	/* privilege: grants, roles, owners */
#define GF_DYNAMIC		(1u << 5)	/* dynamic-sql: SQL from a string */
#define GF_OPAQUE		(1u << 6)	/* opaque: code dbgate cannot see */
#define GF_PINNED		(1u << 7)	/* pinned-setting change or reset */
#define GF_SERVER_CONFIG	(1u << 8)	/* server-config: global settings */
#define GF_EXTENSION		(1u << 9)	/* extension: extensions, plugins */
#define GF_LOCK			(1u << 10)	/* lock: table or advisory lock */
#define GF_ROW_LOCK		(1u << 11)	/* row-lock: FOR UPDATE/SHARE */
#define GF_MAINTENANCE		(1u << 12)	/* maintenance: VACUUM FULL... */
#define GF_KILL			(1u << 13)	/* kill: ends other sessions */
#define GF_CLIENT_COMMAND	(1u << 14)	/* client-command: not SQL */
#define GF_COPY_STDIO		(1u << 15)	/* copy-stdio: COPY via client */
#define GF_READ_WRITE		(1u << 16)	/* read-write: asks for a r/w txn */
#define GF_CONTEXT		(1u << 17)	/* context: search_path/USE change */
#define GF_INTO_VARIABLE	(1u << 18)	/* into-variable: SELECT INTO @v */
#define GF_SHUTDOWN		(1u << 19)	/* shutdown: stops the server */
/*
 * masked-ref: a masked column (see guard_ctx.masked) used anywhere but as
 * a plain select-list output or an equality / IN test against literals:
 * in a predicate, ORDER BY, GROUP BY, a join or window condition, a CASE
 * condition, an argument of an opaque or state-keeping function, a write's
 * source or target, a cursor or prepared statement, COPY, INTO @var.
 */
#define GF_MASKED_REF		(1u << 20)
/*
 * masked-out: an output column may derive from a masked value through an
 * expression, a union, a whole-row reference or *: the mask stage must
 * mask every output column whose origin it cannot trust.
 */
#define GF_MASKED_OUT		(1u << 21)
/*
 * raw-values: reads a statistics or activity view that holds raw column
 * values or other sessions' statement text (pg_stats, pg_stats_ext,
 * pg_stat_activity, pg_stat_statements, mysql.column_stats, PROCESSLIST).
 */
#define GF_RAW_VALUES		(1u << 22)
#define GF_NFLAGS		23

/* Relation access bits. */
#define GUARD_READ	1u
#define GUARD_WRITE	2u

struct guard_rel {
	char		*schema;	/* resolved schema or database; NULL if
					 * unqualified and not resolved */
	char		*name;
	unsigned int	 access;	/* GUARD_READ | GUARD_WRITE */
};

struct guard_func {
	char		*schema;	/* as written, lower-cased; or NULL */
	char		*name;		/* lower-cased (quoted names: as is) */
	int		 opaque;	/* not on the dialect's allow-list */
};

struct guard_facts {
	enum stmt_kind		 kind;	/* the statement's own kind */
	uint64_t		 kinds;	/* 1 << kind, for it and every
					 * nested statement */
	unsigned int		 flags;	/* GF_* */
	struct guard_rel	*rels;
	size_t			 nrels;
	struct guard_func	*funcs;
	size_t			 nfuncs;
	char			*why;	/* why unknown, or a note; owned */
	/*
	 * Per output column of the statement's own result (its top-level
	 * select list in order, UNION branches merged), whether it may carry
	 * a masked value; NULL (nout 0) when not known (a * or a whole row
	 * expanded at the top, a statement that reads no masked column, or a
	 * dialect that does not say): the mask stage then goes by masked-out
	 * for every column whose origin it cannot trust.
	 */
	unsigned char		*out_masked;
	size_t			 nout;
	char			*setting;	/* pinned setting named, or NULL */
};

struct guard_prepared;

/*
 * The session state classification depends on, tracked across the
 * statements of an input and of a session: the classifiers read it and
 * update it (SET search_path, USE, PREPARE/DEALLOCATE).
 */
struct guard_ctx {
	enum sql_dialect	 dialect;

	/* PostgreSQL: the schemas of search_path, in order, as set. */
	char			**search_path;
	size_t			 nsearch_path;

	/* MariaDB/MySQL: the current database, or NULL. */
	char			*database;
	/*
	 * The server's version as MAJOR*10000+MINOR*100+PATCH (10.11.6 is
	 * 101106), and whether it is MariaDB. 0 means not known (policy
	 * explain without a connection): a version-gated executable comment
	 * is then classified both ways and the facts merged.
	 */
	unsigned long		 server_version;
	int			 mariadb;
	/*
	 * sql_mode as the server reads this session's SQL. The backend pins
	 * both off; the lexer follows them either way.
	 */
	int			 ansi_quotes;
	int			 no_backslash_escapes;

	/* The target is ReadOnly: the read-only settings are pinned too. */
	int			 read_only;

	/* Statements prepared so far (name -> facts). */
	struct guard_prepared	*prepared;

	/*
	 * Optional: resolve an unqualified relation name to its schema under
	 * the given search path (PostgreSQL), or to the schema CREATE would
	 * put it in if none holds it. Returns 0 and *schema (caller frees), 1
	 * if no schema of the path exists, -1 on failure. NULL: leave
	 * unqualified relations unresolved.
	 */
	int			(*resolve)(void *, const char *name,
				    char *const *path, size_t npath,
				    char **schema);
	void			*resolve_arg;

	/*
	 * Optional: the masked columns of a relation (schema as resolved, or
	 * NULL when unqualified and unresolved; the callee then answers for
	 * any schema). Returns NULL when it has none, else a NULL-terminated
	 * array of lower-case column names where "*" means every column (a
	 * view whose lineage is not resolved). The array belongs to the
	 * callee and stays valid while the statement is classified. NULL
	 * callback: nothing is masked (no masked-ref, no masked-out).
	 */
	const char *const	*(*masked)(void *, const char *schema,
				    const char *name);
	/*
	 * Optional, with masked and the same argument: every column name of
	 * a relation that has masked columns (same array rules), or NULL if
	 * not known. PostgreSQL reads x.f as a call f(x) when x has no
	 * column f ("functional notation"), so c.record_out is the whole
	 * row: only the column list tells the two apart.
	 */
	const char *const	*(*columns)(void *, const char *schema,
				    const char *name);
	void			*masked_arg;
};

const char	*guard_kind_name(enum stmt_kind);
const char	*guard_flag_name(unsigned int bit);	/* bit index */
/* Look a fact name up: 0 and *kind or *flag (the other -1), or -1. */
int		 guard_fact_lookup(const char *, int *kind, int *flagbit);

/*
 * Input must be valid UTF-8 without NUL bytes. Returns 0, or -1 and *err
 * (caller frees) naming the byte offset of the first bad byte.
 */
int	 guard_check_bytes(const char *, size_t, char **err);

/* Context: start (dialect's defaults: search_path "$user", public), copy, free. */
void	 guard_ctx_init(struct guard_ctx *, enum sql_dialect);
void	 guard_ctx_free(struct guard_ctx *);
/* A deep copy of src into dst (caller frees dst with guard_ctx_free). */
void	 guard_ctx_copy(struct guard_ctx *, const struct guard_ctx *);
void	 guard_ctx_set_search_path(struct guard_ctx *, char *const *, size_t);
void	 guard_ctx_set_database(struct guard_ctx *, const char *);
/* Remember facts under a prepared name (copied); forget one (NULL: all). */
void	 guard_ctx_prepare(struct guard_ctx *, const char *,
	    const struct guard_facts *);
void	 guard_ctx_deallocate(struct guard_ctx *, const char *);
/* The facts prepared under name, or NULL. */
const struct guard_facts *guard_ctx_prepared(const struct guard_ctx *,
	    const char *);

/*
 * Classify one statement (from sql_split) under ctx, updating ctx for the
 * statements after it. Fills facts (release with guard_facts_clear); a
 * statement that cannot be classified gets KIND_UNKNOWN and a reason.
 */
void	 guard_classify(struct guard_ctx *, const struct sql_stmt *,
	    struct guard_facts *);
void	 guard_classify_pg(struct guard_ctx *, const char *, size_t,
	    struct guard_facts *);
void	 guard_classify_mysql(struct guard_ctx *, const char *, size_t,
	    struct guard_facts *);
void	 guard_facts_clear(struct guard_facts *);

/* Building facts (for the classifiers). */
void	 guard_add_kind(struct guard_facts *, enum stmt_kind);
void	 guard_add_rel(struct guard_facts *, const char *schema,
	    const char *name, unsigned int access);
void	 guard_add_func(struct guard_facts *, const char *schema,
	    const char *name, int opaque);
/* Merge src's kinds, flags, relations and functions into dst. */
void	 guard_merge(struct guard_facts *dst, const struct guard_facts *src);
/* Make f unknown with a reason (printf-style); keeps what was found. */
void	 guard_unknown(struct guard_facts *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 guard_copy(struct guard_facts *dst, const struct guard_facts *src);

/* The facts as a new JSON object (a json_t *; jansson). */
struct json_t;
struct json_t	*guard_facts_json(const struct guard_facts *);

#endif
