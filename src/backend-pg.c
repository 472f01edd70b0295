/*
 * backend-pg.c: the PostgreSQL driver, on libpq. Connects with the pinned
 * session settings, runs one statement at a time over the extended
 * protocol (which refuses two statements in one), and streams rows in
 * single-row mode. Result data from the server is untrusted: it is passed
 * on as counted bytes, never interpreted here.
 */
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "dbgate.h"
#include "backend.h"

/* Builtin type OIDs this file looks at by number. */
#define BACKEND_PG_BYTEA	17

/* The server's limit on bind parameters. */
#define BACKEND_PG_MAX_PARAMS	65535

/* What is shown of one builtin type. */
struct backend_pg_type {
	unsigned int	 oid;
	const char	*name;
	enum value_kind	 kind;
};

/* Builtin types (pg_type.typname), sorted by OID. */
static const struct backend_pg_type backend_pg_types[] = {
	{ 16, "bool", VALUE_BOOL },
	{ 17, "bytea", VALUE_BYTES },
	{ 18, "char", VALUE_TEXT },
	{ 19, "name", VALUE_TEXT },
	{ 20, "int8", VALUE_BIGNUM },
	{ 21, "int2", VALUE_INT },
	{ 22, "int2vector", VALUE_TEXT },
	{ 23, "int4", VALUE_INT },
	{ 24, "regproc", VALUE_TEXT },
	{ 25, "text", VALUE_TEXT },
	{ 26, "oid", VALUE_INT },
	{ 27, "tid", VALUE_TEXT },
	{ 28, "xid", VALUE_TEXT },
	{ 29, "cid", VALUE_TEXT },
	{ 30, "oidvector", VALUE_TEXT },
	{ 114, "json", VALUE_JSON },
	{ 142, "xml", VALUE_TEXT },
	{ 143, "_xml", VALUE_TEXT },
	{ 194, "pg_node_tree", VALUE_TEXT },
	{ 199, "_json", VALUE_TEXT },
	{ 600, "point", VALUE_TEXT },
	{ 601, "lseg", VALUE_TEXT },
	{ 602, "path", VALUE_TEXT },
	{ 603, "box", VALUE_TEXT },
	{ 604, "polygon", VALUE_TEXT },
	{ 628, "line", VALUE_TEXT },
	{ 650, "cidr", VALUE_TEXT },
	{ 651, "_cidr", VALUE_TEXT },
	{ 700, "float4", VALUE_FLOAT },
	{ 701, "float8", VALUE_FLOAT },
	{ 705, "unknown", VALUE_TEXT },
	{ 718, "circle", VALUE_TEXT },
	{ 774, "macaddr8", VALUE_TEXT },
	{ 790, "money", VALUE_BIGNUM },
	{ 791, "_money", VALUE_TEXT },
	{ 829, "macaddr", VALUE_TEXT },
	{ 869, "inet", VALUE_TEXT },
	{ 1000, "_bool", VALUE_TEXT },
	{ 1001, "_bytea", VALUE_TEXT },
	{ 1002, "_char", VALUE_TEXT },
	{ 1003, "_name", VALUE_TEXT },
	{ 1005, "_int2", VALUE_TEXT },
	{ 1007, "_int4", VALUE_TEXT },
	{ 1009, "_text", VALUE_TEXT },
	{ 1014, "_bpchar", VALUE_TEXT },
	{ 1015, "_varchar", VALUE_TEXT },
	{ 1016, "_int8", VALUE_TEXT },
	{ 1021, "_float4", VALUE_TEXT },
	{ 1022, "_float8", VALUE_TEXT },
	{ 1028, "_oid", VALUE_TEXT },
	{ 1033, "aclitem", VALUE_TEXT },
	{ 1034, "_aclitem", VALUE_TEXT },
	{ 1040, "_macaddr", VALUE_TEXT },
	{ 1041, "_inet", VALUE_TEXT },
	{ 1042, "bpchar", VALUE_TEXT },
	{ 1043, "varchar", VALUE_TEXT },
	{ 1082, "date", VALUE_TIME },
	{ 1083, "time", VALUE_TIME },
	{ 1114, "timestamp", VALUE_TIME },
	{ 1115, "_timestamp", VALUE_TEXT },
	{ 1182, "_date", VALUE_TEXT },
	{ 1183, "_time", VALUE_TEXT },
	{ 1184, "timestamptz", VALUE_TIME },
	{ 1185, "_timestamptz", VALUE_TEXT },
	{ 1186, "interval", VALUE_TEXT },
	{ 1187, "_interval", VALUE_TEXT },
	{ 1231, "_numeric", VALUE_TEXT },
	{ 1266, "timetz", VALUE_TIME },
	{ 1270, "_timetz", VALUE_TEXT },
	{ 1560, "bit", VALUE_TEXT },
	{ 1561, "_bit", VALUE_TEXT },
	{ 1562, "varbit", VALUE_TEXT },
	{ 1563, "_varbit", VALUE_TEXT },
	{ 1700, "numeric", VALUE_BIGNUM },
	{ 1790, "refcursor", VALUE_TEXT },
	{ 2202, "regprocedure", VALUE_TEXT },
	{ 2203, "regoper", VALUE_TEXT },
	{ 2204, "regoperator", VALUE_TEXT },
	{ 2205, "regclass", VALUE_TEXT },
	{ 2206, "regtype", VALUE_TEXT },
	{ 2249, "record", VALUE_TEXT },
	{ 2275, "cstring", VALUE_TEXT },
	{ 2278, "void", VALUE_TEXT },
	{ 2287, "_record", VALUE_TEXT },
	{ 2950, "uuid", VALUE_TEXT },
	{ 2951, "_uuid", VALUE_TEXT },
	{ 3220, "pg_lsn", VALUE_TEXT },
	{ 3614, "tsvector", VALUE_TEXT },
	{ 3615, "tsquery", VALUE_TEXT },
	{ 3802, "jsonb", VALUE_JSON },
	{ 3807, "_jsonb", VALUE_TEXT },
	{ 3904, "int4range", VALUE_TEXT },
	{ 3906, "numrange", VALUE_TEXT },
	{ 3908, "tsrange", VALUE_TEXT },
	{ 3910, "tstzrange", VALUE_TEXT },
	{ 3912, "daterange", VALUE_TEXT },
	{ 3926, "int8range", VALUE_TEXT },
	{ 4072, "jsonpath", VALUE_TEXT },
	{ 4089, "regnamespace", VALUE_TEXT },
	{ 4096, "regrole", VALUE_TEXT },
	{ 4191, "regcollation", VALUE_TEXT },
	{ 5069, "xid8", VALUE_TEXT },
};

/* One connection. The ops see it as an opaque struct backend. */
struct backend_pg {
	PGconn			 *conn;
	PGcancel		 *cancel;
	volatile sig_atomic_t	  cancelled;	/* set by cancel() */
	const struct backend_sink *sink;	/* during exec, for notices */
	char			  version[32];

	struct buf		  sql;		/* statement + NUL */
	/* The current result's columns and the strings they own. */
	struct result_column	 *cols;
	size_t			  ncols;
	size_t			  colscap;
	char			**strs;
	size_t			  nstrs;
	size_t			  strscap;
	struct result_cell	 *cells;
};

/* The sink used when exec is given none: everything is discarded. */
static const struct backend_sink backend_pg_nosink;

/* Static error buffer for PQcancel from a signal handler. */
static char	backend_pg_cancel_err[256];

/* The backend_pg behind an opaque backend. */
static struct backend_pg *
backend_pg_of(struct backend *be)
{
	return ((struct backend_pg *)be);
}

/* Copy s without trailing newlines and spaces; the caller frees it. */
static char *
backend_pg_trim(const char *s)
{
	size_t	 n;

	if (s == NULL)
		s = "";
	n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' ||
	    s[n - 1] == '\r' || s[n - 1] == '\t'))
		n--;
	return (xstrndup(s, n));
}

/* Look up a builtin type by OID, or NULL. */
static const struct backend_pg_type *
backend_pg_type(unsigned int oid)
{
	size_t	 lo = 0, hi = nitems(backend_pg_types), mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (backend_pg_types[mid].oid == oid)
			return (&backend_pg_types[mid]);
		if (backend_pg_types[mid].oid < oid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (NULL);
}

/* Forward a server notice to the running statement's sink. */
static void
backend_pg_notice(void *arg, const PGresult *r)
{
	struct backend_pg	*b = arg;
	const char		*msg;

	if (b->sink == NULL || b->sink->notice == NULL)
		return;
	if ((msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)) == NULL)
		msg = "";
	b->sink->notice(b->sink->arg, PQresultErrorField(r, PG_DIAG_SQLSTATE),
	    msg);
}

/* Clamp a millisecond limit to what the server accepts. */
static long long
backend_pg_ms(long long ms)
{
	if (ms < 0)
		return (0);
	if (ms > INT_MAX)
		return (INT_MAX);
	return (ms);
}

/*
 * Whether s ends in an unpaired backslash, which would escape the space
 * between the Connect string's options and ours.
 */
static int
backend_pg_escapes_end(const char *s)
{
	size_t	 n = strlen(s), k = n;

	while (k > 0 && s[k - 1] == '\\')
		k--;
	return ((n - k) % 2 != 0);
}

/* Connect and pin the session settings; see backend.h. */
static int
backend_pg_connect(struct backend **out, const struct backend_params *p,
    char **err)
{
	static const struct config_limits nolimits;
	const struct config_limits	*lim;
	struct backend_pg		*b = NULL;
	PGconn				*conn = NULL;
	const char			**kw = NULL, **vs = NULL, *v;
	const char			 *user = NULL;
	char				**keys = NULL, **vals = NULL;
	char				 *options = NULL;
	char				*perr = NULL;
	size_t				 n = 0, i, k = 0;
	int				 ret = -1, ver;

	if (connect_parse(p->connect != NULL ? p->connect : "", &keys, &vals,
	    &n, &perr) != 0) {
		xasprintf(err, "Connect: %s", perr);
		free(perr);
		return (-1);
	}
	lim = p->limits != NULL ? p->limits : &nolimits;

	kw = xcalloc(n + 8, sizeof *kw);
	vs = xcalloc(n + 8, sizeof *vs);
	for (i = 0; i < n; i++) {
		/* The Connect string's options go first; ours override. */
		if (strcmp(keys[i], "options") == 0) {
			user = vals[i];
			continue;
		}
		kw[k] = keys[i];
		vs[k++] = vals[i];
	}
	if (user != NULL && backend_pg_escapes_end(user)) {
		*err = xstrdup("Connect: options ends in a backslash");
		goto out;
	}
	xasprintf(&options, "%s%s-c standard_conforming_strings=on "
	    "-c statement_timeout=%lld -c lock_timeout=%lld "
	    "-c idle_in_transaction_session_timeout=%lld -c DateStyle=ISO "
	    "-c IntervalStyle=postgres -c bytea_output=hex "
	    "-c extra_float_digits=3%s", user != NULL ? user : "",
	    user != NULL ? " " : "", backend_pg_ms(lim->statement_timeout_ms),
	    backend_pg_ms(lim->lock_timeout_ms),
	    backend_pg_ms(lim->idle_in_transaction_timeout_ms),
	    p->read_only ? " -c default_transaction_read_only=on" : "");
	if (p->password != NULL) {
		kw[k] = "password";
		vs[k++] = p->password;
	}
	if (p->application_name != NULL) {
		kw[k] = "application_name";
		vs[k++] = p->application_name;
	}
	kw[k] = "client_encoding";
	vs[k++] = "UTF8";
	/*
	 * No password file. libpq warns on stderr about /dev/null itself (not
	 * a plain file) but silently skips a path that cannot be stat'ed, and
	 * nothing can exist below /dev/null.
	 */
	kw[k] = "passfile";
	vs[k++] = "/dev/null/none";
	kw[k] = "options";
	vs[k++] = options;
	kw[k] = NULL;
	vs[k] = NULL;

	conn = PQconnectdbParams(kw, vs, 0);
	if (conn == NULL) {
		*err = xstrdup("out of memory connecting");
		goto out;
	}
	/* libpq keeps its own copy of the password: wipe it too. */
	if ((v = PQpass(conn)) != NULL)
		sodium_memzero((char *)v, strlen(v));
	if (PQstatus(conn) != CONNECTION_OK) {
		*err = backend_pg_trim(PQerrorMessage(conn));
		goto out;
	}
	/* Fail closed if a pinned setting did not take. */
	v = PQparameterStatus(conn, "standard_conforming_strings");
	if (v == NULL || strcmp(v, "on") != 0) {
		*err = xstrdup("the server did not accept "
		    "standard_conforming_strings=on");
		goto out;
	}
	v = PQparameterStatus(conn, "client_encoding");
	if (v == NULL || strcmp(v, "UTF8") != 0) {
		*err = xstrdup("the server did not accept client_encoding "
		    "UTF8");
		goto out;
	}

	/* Reported by the server since PostgreSQL 14. */
	v = PQparameterStatus(conn, "default_transaction_read_only");
	if (p->read_only && (v == NULL || strcmp(v, "on") != 0)) {
		*err = xstrdup("the server did not accept "
		    "default_transaction_read_only=on");
		goto out;
	}

	b = xcalloc(1, sizeof *b);
	if ((b->cancel = PQgetCancel(conn)) == NULL) {
		*err = xstrdup("cannot set up query cancellation");
		free(b);
		b = NULL;
		goto out;
	}
	b->conn = conn;
	conn = NULL;
	buf_init(&b->sql);
	PQsetNoticeReceiver(b->conn, backend_pg_notice, b);
	ver = PQserverVersion(b->conn);
	if (ver >= 100000) {
		snprintf(b->version, sizeof b->version, "%d.%d", ver / 10000,
		    ver % 10000);
	} else {
		snprintf(b->version, sizeof b->version, "%d.%d.%d",
		    ver / 10000, (ver / 100) % 100, ver % 100);
	}
	*out = (struct backend *)b;
	ret = 0;

out:
	if (conn != NULL)
		PQfinish(conn);
	connect_free(keys, vals, n);
	free(kw);
	free(vs);
	free(options);
	return (ret);
}

/* Forget the previous result's columns. */
static void
backend_pg_reset_cols(struct backend_pg *b)
{
	size_t	 i;

	for (i = 0; i < b->nstrs; i++)
		free(b->strs[i]);
	b->nstrs = 0;
	b->ncols = 0;
}

/* Keep s until the next statement; returns it. */
static char *
backend_pg_keep(struct backend_pg *b, char *s)
{
	if (b->nstrs == b->strscap) {
		b->strscap = b->strscap == 0 ? 32 : b->strscap * 2;
		b->strs = xreallocarray(b->strs, b->strscap, sizeof *b->strs);
	}
	b->strs[b->nstrs++] = s;
	return (s);
}

/* Build the column list of a result and pass it to the sink. */
static int
backend_pg_columns(struct backend_pg *b, const PGresult *r,
    const struct backend_sink *sink)
{
	const struct backend_pg_type	*t;
	struct result_column		*c;
	unsigned int			 oid;
	char				*s;
	int				 i, n = PQnfields(r);

	backend_pg_reset_cols(b);
	if ((size_t)n > b->colscap) {
		b->colscap = n;
		b->cols = xreallocarray(b->cols, n, sizeof *b->cols);
		b->cells = xreallocarray(b->cells, n, sizeof *b->cells);
	}
	for (i = 0; i < n; i++) {
		c = &b->cols[i];
		memset(c, 0, sizeof *c);
		c->name = backend_pg_keep(b, xstrdup(PQfname(r, i)));
		oid = PQftype(r, i);
		if ((t = backend_pg_type(oid)) != NULL) {
			c->type = t->name;
			c->kind = t->kind;
		} else {
			xasprintf(&s, "oid:%u", oid);
			c->type = backend_pg_keep(b, s);
			c->kind = VALUE_TEXT;
		}
		c->table_oid = PQftable(r, i);
		c->attnum = PQftablecol(r, i);
	}
	b->ncols = n;
	if (sink->columns == NULL)
		return (0);
	return (sink->columns(sink->arg, b->cols, b->ncols));
}

/* Pass row i of a result to the sink; no allocation. */
static int
backend_pg_row(struct backend_pg *b, const PGresult *r, int row,
    const struct backend_sink *sink)
{
	struct result_cell	*cell;
	size_t			 i;

	for (i = 0; i < b->ncols; i++) {
		cell = &b->cells[i];
		cell->isnull = PQgetisnull(r, row, i);
		cell->data = PQgetvalue(r, row, i);
		cell->len = PQgetlength(r, row, i);
		/* bytea_output=hex: drop the "\x" to leave plain hex. */
		if (b->cols[i].kind == VALUE_BYTES && cell->len >= 2 &&
		    cell->data[0] == '\\' && cell->data[1] == 'x') {
			cell->data += 2;
			cell->len -= 2;
		}
	}
	if (sink->row == NULL)
		return (0);
	return (sink->row(sink->arg, b->cells, b->ncols));
}

/* Set res to an error from an error result. */
static void
backend_pg_error(struct backend_pg *b, const PGresult *r,
    struct backend_result *res)
{
	const char	*state, *msg;

	state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	free(res->message);
	res->status = BACKEND_ERROR;
	if (msg != NULL)
		res->message = xstrdup(msg);
	else
		res->message = backend_pg_trim(PQresultErrorMessage(r));
	strlcpy_(res->sqlstate, state != NULL ? state : "",
	    sizeof res->sqlstate);
	if (b->cancelled && strcmp(res->sqlstate, "57014") == 0)
		res->status = BACKEND_CANCELLED;
}

/* Set res to a failure that is ours, not the server's. */
static void
backend_pg_fail(struct backend_result *res, enum backend_status status,
    const char *msg)
{
	free(res->message);
	res->status = status;
	res->message = backend_pg_trim(msg);
	res->sqlstate[0] = '\0';
}

/* End a COPY the server started, which this driver does not serve. */
static void
backend_pg_copy(struct backend_pg *b, ExecStatusType st)
{
	char	*data;

	if (st == PGRES_COPY_IN || st == PGRES_COPY_BOTH)
		PQputCopyEnd(b->conn, "COPY from the client is not supported");
	if (st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
		while (PQgetCopyData(b->conn, &data, 0) > 0)
			PQfreemem(data);
	}
}

/* Run one statement; see backend.h. */
static int
backend_pg_exec(struct backend *be, const char *sql, size_t len,
    const char *const *params, size_t nparams,
    const struct backend_sink *sink, struct backend_result *res)
{
	struct backend_pg	*b = backend_pg_of(be);
	PGresult		*r;
	ExecStatusType		 st;
	const char		*tuples;
	char			*end;
	long long		 rows = 0, n;
	int			 i, stopped = 0, failed = 0, colsent = 0;
	int			 intrans;

	memset(res, 0, sizeof *res);
	res->status = BACKEND_OK;
	res->rows = -1;
	if (sink == NULL)
		sink = &backend_pg_nosink;
	if (nparams > BACKEND_PG_MAX_PARAMS) {
		backend_pg_fail(res, BACKEND_ERROR, "too many parameters");
		return (0);
	}
	backend_pg_reset_cols(b);
	buf_reset(&b->sql);
	buf_add(&b->sql, sql, len);
	buf_cstr(&b->sql);

	b->cancelled = 0;
	/*
	 * A cancel inside a transaction block would abort the transaction,
	 * so a sink stop there reads the rest of the rows instead.
	 */
	intrans = PQtransactionStatus(b->conn) == PQTRANS_INTRANS;
	if (!PQsendQueryParams(b->conn, b->sql.data, (int)nparams, NULL,
	    params, NULL, NULL, 0)) {
		backend_pg_fail(res, PQstatus(b->conn) == CONNECTION_BAD ?
		    BACKEND_LOST : BACKEND_ERROR, PQerrorMessage(b->conn));
		return (0);
	}
	/* If this fails, rows arrive in one result, handled below too. */
	PQsetSingleRowMode(b->conn);
	b->sink = sink;

	while ((r = PQgetResult(b->conn)) != NULL) {
		st = PQresultStatus(r);
		switch (st) {
		case PGRES_SINGLE_TUPLE:
		case PGRES_TUPLES_OK:
			if (stopped || failed)
				break;
			if (!colsent) {
				colsent = 1;
				if (backend_pg_columns(b, r, sink) != 0) {
					stopped = 1;
					break;
				}
			}
			for (i = 0; i < PQntuples(r); i++) {
				if (backend_pg_row(b, r, i, sink) != 0) {
					stopped = 1;
					break;
				}
				rows++;
			}
			if (st == PGRES_TUPLES_OK && !stopped) {
				strlcpy_(res->command, PQcmdStatus(r),
				    sizeof res->command);
				res->rows = rows;
			}
			break;
		case PGRES_COMMAND_OK:
		case PGRES_EMPTY_QUERY:
			if (stopped || failed)
				break;
			strlcpy_(res->command, PQcmdStatus(r),
			    sizeof res->command);
			tuples = PQcmdTuples(r);
			n = strtoll(tuples, &end, 10);
			res->rows = *tuples != '\0' && *end == '\0' ? n : -1;
			break;
		case PGRES_COPY_OUT:
		case PGRES_COPY_IN:
		case PGRES_COPY_BOTH:
			backend_pg_copy(b, st);
			if (!stopped && !failed) {
				backend_pg_fail(res, BACKEND_ERROR, "COPY to "
				    "or from the client is not supported yet");
				failed = 1;
			}
			break;
		case PGRES_FATAL_ERROR:
			if (!stopped && !failed) {
				backend_pg_error(b, r, res);
				failed = 1;
			}
			break;
		default:
			if (!stopped && !failed) {
				backend_pg_fail(res, BACKEND_ERROR,
				    PQresStatus(st));
				failed = 1;
			}
			break;
		}
		PQclear(r);
		if (stopped == 1) {
			/* Once: ask the server to stop sending. */
			stopped = 2;
			if (!intrans) {
				PQcancel(b->cancel, backend_pg_cancel_err,
				    sizeof backend_pg_cancel_err);
			}
		}
	}
	b->sink = NULL;

	if (stopped) {
		free(res->message);
		res->message = NULL;
		res->sqlstate[0] = '\0';
		res->status = BACKEND_STOPPED;
		res->rows = rows;
		snprintf(res->command, sizeof res->command, "SELECT %lld",
		    rows);
	}
	if (PQstatus(b->conn) == CONNECTION_BAD) {
		if (res->message == NULL)
			res->message = backend_pg_trim(PQerrorMessage(b->conn));
		res->status = BACKEND_LOST;
	}
	return (0);
}

/*
 * Ask the server to cancel the running statement. Async-signal-safe:
 * PQcancel is, and the error buffer is static.
 */
static void
backend_pg_cancel(struct backend *be)
{
	struct backend_pg	*b = backend_pg_of(be);

	if (b == NULL || b->cancel == NULL)
		return;
	b->cancelled = 1;
	PQcancel(b->cancel, backend_pg_cancel_err,
	    sizeof backend_pg_cancel_err);
}

/* The server's version, e.g. "15.8". */
static const char *
backend_pg_server_version(struct backend *be)
{
	return (backend_pg_of(be)->version);
}

/*
 * Resolve an unqualified relation name as the server would under path: the
 * session's temporary schema first, then pg_catalog unless the path names
 * it, then the path with "$user" read as the current user. A name no
 * schema holds resolves to where CREATE would put it: the first schema of
 * the path that exists. Names are bound as parameters and every object and
 * operator is pg_catalog's, so nothing the session creates can change what
 * this query means.
 */
static int
backend_pg_resolve(void *arg, const char *name, char *const *path,
    size_t npath, char **schema)
{
	static const char	 sql[] =
	    "WITH p AS (SELECT pg_catalog.array_replace("
	    "$2::pg_catalog.name[], '$user'::pg_catalog.name, "
	    "pg_catalog.\"current_user\"()) AS path), "
	    "l AS (SELECT CASE WHEN 'pg_catalog'::pg_catalog.name "
	    "OPERATOR(pg_catalog.=) ANY (p.path) THEN p.path "
	    "ELSE '{pg_catalog}'::pg_catalog.name[] OPERATOR(pg_catalog.||) "
	    "p.path END AS path FROM p) "
	    "SELECT x.s FROM ("
	    "SELECT n.nspname AS s, 0 AS f, n.oid OPERATOR(pg_catalog.<>) "
	    "pg_catalog.pg_my_temp_schema() AS t, "
	    "pg_catalog.array_position(l.path, n.nspname) AS i "
	    "FROM l, pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
	    "ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
	    "WHERE c.relname OPERATOR(pg_catalog.=) $1 "
	    "AND (n.oid OPERATOR(pg_catalog.=) pg_catalog.pg_my_temp_schema() "
	    "OR n.nspname OPERATOR(pg_catalog.=) ANY (l.path)) "
	    "UNION ALL "
	    "SELECT n.nspname, 1, true, "
	    "pg_catalog.array_position(p.path, n.nspname) "
	    "FROM p, pg_catalog.pg_namespace n "
	    "WHERE n.nspname OPERATOR(pg_catalog.=) ANY (p.path)"
	    ") x ORDER BY x.f, x.t, x.i LIMIT 1";
	struct backend_pg	*b = arg;
	PGresult		*res;
	struct buf		 arr;
	const char		*vals[2], *s;
	size_t			 i;
	int			 ret = -1;

	/* The path as an array literal. */
	buf_init(&arr);
	buf_addc(&arr, '{');
	for (i = 0; i < npath; i++) {
		if (i > 0)
			buf_addc(&arr, ',');
		buf_addc(&arr, '"');
		for (s = path[i]; *s != '\0'; s++) {
			if (*s == '"' || *s == '\\')
				buf_addc(&arr, '\\');
			buf_addc(&arr, *s);
		}
		buf_addc(&arr, '"');
	}
	buf_addc(&arr, '}');
	vals[0] = name;
	vals[1] = buf_cstr(&arr);
	res = PQexecParams(b->conn, sql, 2, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK) {
		if (PQntuples(res) > 0) {
			*schema = xstrdup(PQgetvalue(res, 0, 0));
			ret = 0;
		} else
			ret = 1;	/* no schema of the path exists */
	}
	PQclear(res);
	buf_free(&arr);
	return (ret);
}

/* Split a search_path setting into its schema names. */
static size_t
backend_pg_split_path(const char *s, char ***out)
{
	struct buf	 w;
	char		**v = NULL;
	size_t		 n = 0;
	int		 quoted;

	buf_init(&w);
	while (*s != '\0') {
		while (*s == ' ' || *s == ',')
			s++;
		if (*s == '\0')
			break;
		buf_reset(&w);
		quoted = *s == '"';
		if (quoted) {
			for (s++; *s != '\0'; s++) {
				if (*s == '"' && s[1] == '"')
					s++;
				else if (*s == '"') {
					s++;
					break;
				}
				buf_addc(&w, *s);
			}
		} else {
			for (; *s != '\0' && *s != ',' && *s != ' '; s++)
				buf_addc(&w, *s);
		}
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = xstrdup(buf_cstr(&w));
	}
	buf_free(&w);
	*out = v;
	return (n);
}

/* The session's search_path and the resolver; see backend.h. */
static int
backend_pg_guard_init(struct backend *be, struct guard_ctx *ctx, char **err)
{
	struct backend_pg	*b = backend_pg_of(be);
	PGresult		*res;
	char			**path;
	size_t			 n, i;

	res = PQexec(b->conn,
	    "SELECT pg_catalog.current_setting('search_path')");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		*err = backend_pg_trim(PQerrorMessage(b->conn));
		PQclear(res);
		return (-1);
	}
	n = backend_pg_split_path(PQgetvalue(res, 0, 0), &path);
	PQclear(res);
	guard_ctx_set_search_path(ctx, path, n);
	for (i = 0; i < n; i++)
		free(path[i]);
	free(path);
	ctx->resolve = backend_pg_resolve;
	ctx->resolve_arg = b;
	return (0);
}

/* Close the connection and free everything. */
static void
backend_pg_close(struct backend *be)
{
	struct backend_pg	*b = backend_pg_of(be);

	if (b == NULL)
		return;
	backend_pg_reset_cols(b);
	if (b->cancel != NULL)
		PQfreeCancel(b->cancel);
	if (b->conn != NULL)
		PQfinish(b->conn);
	buf_free(&b->sql);
	free(b->strs);
	free(b->cols);
	free(b->cells);
	free(b);
}

/* Ctrl-C in an interactive session: PQcancel, as for a signal. */
static int
backend_pg_cancel_query(struct backend *be)
{
	backend_pg_cancel(be);
	return (0);
}

const struct backend_ops backend_pg_ops = {
	.name = "postgresql",
	.driver = DRIVER_POSTGRESQL,
	.dialect = SQL_POSTGRESQL,
	.connect = backend_pg_connect,
	.exec = backend_pg_exec,
	.cancel = backend_pg_cancel,
	.cancel_query = backend_pg_cancel_query,
	.guard_init = backend_pg_guard_init,
	.server_version = backend_pg_server_version,
	.close = backend_pg_close,
	.begin_sql = "BEGIN",
	.commit_sql = "COMMIT",
	.rollback_sql = "ROLLBACK",
};
