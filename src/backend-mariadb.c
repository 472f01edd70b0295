/*
 * backend-mariadb.c: the MariaDB driver, on mariadb-connector-c. Connects
 * without multi-statements or local files and pins the session settings,
 * binds ? placeholders by quoting (sql_mysql_bind), and streams rows with
 * mysql_use_result. Result data from the server is untrusted: it is passed
 * on as counted bytes (binary strings as hex), never interpreted here.
 */
#include <sys/socket.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
#include <sodium.h>

#include "dbgate.h"
#include "backend.h"

/* Seconds a KILL QUERY on the side connection may take. */
#define BACKEND_MARIADB_SIDE_TIMEOUT	2

/* The binary character set: such strings are bytes, shown as hex. */
#define BACKEND_MARIADB_BINARY	63

/* The sink used when exec is given none: everything is discarded. */
static const struct backend_sink backend_mariadb_nosink;

/* One connection. The ops see it as an opaque struct backend. */
struct backend_mariadb {
	MYSQL			 *mysql;

	/* The current result's columns and the strings they own. */
	struct result_column	 *cols;
	int			 *hex;		/* per column: hex */
	size_t			  ncols;
	size_t			  colscap;
	char			**strs;
	size_t			  nstrs;
	size_t			  strscap;
	struct result_cell	 *cells;
	struct buf		  hexbuf;	/* one row's hex cells */
	int			  fd;		/* the connection's socket */

	/* Ctrl-C: KILL QUERY id on a side connection, or NULL. */
	MYSQL			 *side;
	unsigned long		  id;		/* the connection's id */
};

/* Where and how to connect, from the target's Connect line. */
struct backend_mariadb_where {
	const char	*host, *user, *db, *sock;
	const char	*sslmode, *ca, *cert, *key;
	const char	*application_name;
	unsigned int	 port, timeout;
};

/* sql_mode flags that change how the server reads quotes and escapes. */
static const char *const backend_mariadb_badmodes[] = {
	"NO_BACKSLASH_ESCAPES", "ANSI_QUOTES",
	/* Combinations that imply ANSI_QUOTES (ORACLE also the parser). */
	"ANSI", "DB2", "MAXDB", "MSSQL", "ORACLE", "POSTGRESQL",
};

/* The backend_mariadb behind an opaque backend. */
static struct backend_mariadb *
backend_mariadb_of(struct backend *be)
{
	return ((struct backend_mariadb *)be);
}

/* Whether error code e means the connection is gone. */
static int
backend_mariadb_lost(unsigned int e)
{
	if (e >= CR_MIN_ERROR && e <= CR_MAX_ERROR)
		return (1);
	switch (e) {
	case ER_SERVER_SHUTDOWN:
	case ER_NET_PACKET_TOO_LARGE:
	case ER_CONNECTION_KILLED:
		return (1);
	}
	return (0);
}

/* Set res to the connection's current error. */
static void
backend_mariadb_error(MYSQL *m, struct backend_result *res)
{
	unsigned int	 e = mysql_errno(m);

	free(res->message);
	res->status = backend_mariadb_lost(e) ? BACKEND_LOST : BACKEND_ERROR;
	res->message = xstrdup(mysql_error(m));
	strlcpy_(res->sqlstate, mysql_sqlstate(m), sizeof res->sqlstate);
}

/*
 * Run a statement that returns one value (or none); *out is a copy of it
 * or NULL. 0, or -1 and *err.
 */
static int
backend_mariadb_value(MYSQL *m, const char *sql, char **out, char **err)
{
	MYSQL_RES	*r;
	MYSQL_ROW	 row;

	*out = NULL;
	if (mysql_real_query(m, sql, strlen(sql)) != 0)
		goto fail;
	if (mysql_field_count(m) == 0)
		return (0);
	if ((r = mysql_use_result(m)) == NULL)
		goto fail;
	while ((row = mysql_fetch_row(r)) != NULL) {
		if (*out == NULL && mysql_num_fields(r) > 0 && row[0] != NULL)
			*out = xstrdup(row[0]);
	}
	mysql_free_result(r);
	if (mysql_errno(m) == 0)
		return (0);
	free(*out);
	*out = NULL;
fail:
	xasprintf(err, "%s", mysql_error(m));
	return (-1);
}

/* Whether a comma-separated sql_mode holds one of the refused flags. */
static int
backend_mariadb_badmode(const char *mode)
{
	const char	*p, *e;
	size_t		 i, n;

	for (p = mode; *p != '\0'; p = *e == ',' ? e + 1 : e) {
		e = p + strcspn(p, ",");
		n = e - p;
		for (i = 0; i < nitems(backend_mariadb_badmodes); i++) {
			if (strlen(backend_mariadb_badmodes[i]) == n &&
			    strncmp(p, backend_mariadb_badmodes[i], n) == 0)
				return (1);
		}
	}
	return (0);
}

/*
 * The session's sql_mode without the refused flags, or NULL and *err if
 * the current one cannot be read or holds unexpected characters.
 */
static char *
backend_mariadb_sqlmode(MYSQL *m, char **err)
{
	struct buf	 b;
	char		*mode, *p, *e;
	size_t		 i, n;
	int		 bad;

	if (backend_mariadb_value(m, "SELECT @@SESSION.sql_mode", &mode,
	    err) != 0)
		return (NULL);
	if (mode == NULL)
		mode = xstrdup("");
	if (mode[strspn(mode, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_,")] !=
	    '\0') {
		xasprintf(err, "unexpected sql_mode \"%s\"", mode);
		free(mode);
		return (NULL);
	}
	buf_init(&b);
	buf_reserve(&b, strlen(mode));
	for (p = mode; *p != '\0'; p = *e == ',' ? e + 1 : e) {
		e = p + strcspn(p, ",");
		n = e - p;
		bad = 0;
		for (i = 0; i < nitems(backend_mariadb_badmodes); i++) {
			if (strlen(backend_mariadb_badmodes[i]) == n &&
			    strncmp(p, backend_mariadb_badmodes[i], n) == 0)
				bad = 1;
		}
		if (bad || n == 0)
			continue;
		if (b.len > 0)
			buf_addc(&b, ',');
		buf_add(&b, p, n);
	}
	free(mode);
	return (buf_cstr(&b));
}

/* Whole seconds, rounded up, for a millisecond limit. */
static long long
backend_mariadb_secs(long long ms)
{
	if (ms <= 0)
		return (0);
	if (ms > (long long)INT_MAX * 1000)
		return (INT_MAX);
	return ((ms + 999) / 1000);
}

/* Pin the session settings; any failure fails the connection. */
static int
backend_mariadb_pin(MYSQL *m, const struct config_limits *lim, char **err)
{
	struct buf	 b;
	char		*mode, *check = NULL;
	long long	 st, lock, idle;
	int		 ret = -1;

	if ((mode = backend_mariadb_sqlmode(m, err)) == NULL)
		return (-1);
	st = lim->statement_timeout_ms > 0 ? lim->statement_timeout_ms : 0;
	if (st > (long long)INT_MAX * 1000)
		st = (long long)INT_MAX * 1000;
	lock = backend_mariadb_secs(lim->lock_timeout_ms);
	idle = backend_mariadb_secs(lim->idle_in_transaction_timeout_ms);

	/* The mode holds only [A-Z0-9_,]: no quoting needed. */
	buf_init(&b);
	buf_printf(&b, "SET SESSION sql_mode = '%s', "
	    "SESSION max_statement_time = %lld.%03lld, "
	    "SESSION idle_transaction_timeout = %lld", mode, st / 1000,
	    st % 1000, idle);
	if (lock > 0) {
		buf_printf(&b, ", SESSION lock_wait_timeout = %lld, "
		    "SESSION innodb_lock_wait_timeout = %lld", lock, lock);
	}
	if (backend_mariadb_value(m, buf_cstr(&b), &check, err) != 0)
		goto out;
	free(check);
	check = NULL;

	/* Read it back: fail closed if the server kept a refused flag. */
	if (backend_mariadb_value(m, "SELECT @@SESSION.sql_mode", &check,
	    err) != 0)
		goto out;
	if (check != NULL && backend_mariadb_badmode(check)) {
		xasprintf(err, "cannot clear sql_mode \"%s\"", check);
		goto out;
	}
	ret = 0;
out:
	free(check);
	free(mode);
	buf_free(&b);
	return (ret);
}

/* Make the session's transactions read-only, and check it took. */
static int
backend_mariadb_read_only(MYSQL *m, char **err)
{
	char	*v = NULL;
	int	 ret = -1;

	if (backend_mariadb_value(m, "SET SESSION TRANSACTION READ ONLY", &v,
	    err) != 0)
		return (-1);
	free(v);
	v = NULL;
	if (backend_mariadb_value(m, "SELECT @@SESSION.tx_read_only", &v,
	    err) != 0)
		return (-1);
	if (v != NULL && strcmp(v, "1") == 0)
		ret = 0;
	else
		*err = xstrdup("the server did not keep tx_read_only on");
	free(v);
	return (ret);
}

/* Parse a whole number in [min, max]. 0, or -1 if bad. */
static int
backend_mariadb_number(const char *s, long long min, long long max,
    unsigned int *out)
{
	char		*end;
	long long	 v;

	if (*s < '0' || *s > '9')
		return (-1);
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v < min || v > max)
		return (-1);
	*out = (unsigned int)v;
	return (0);
}

/* Connect and pin the session settings; see backend.h. */
/*
 * Open one connection with the target's options; a side connection (for
 * KILL QUERY) gets no database and reads and writes that give up after
 * BACKEND_MARIADB_SIDE_TIMEOUT seconds. The connection (caller closes), or
 * NULL and *err.
 */
static MYSQL *
backend_mariadb_open(const struct backend_mariadb_where *w,
    const char *password, int side, char **err)
{
	MYSQL		*m;
	unsigned int	 off = 0, t = BACKEND_MARIADB_SIDE_TIMEOUT;
	my_bool		 yes = 1, no = 0;
	int		 bad = 0;

	if ((m = mysql_init(NULL)) == NULL) {
		*err = xstrdup("out of memory connecting");
		return (NULL);
	}
	/* The connector reads client files by default: never. */
	bad |= mysql_optionsv(m, MYSQL_OPT_LOCAL_INFILE, &off);
	/* A reconnect would lose the pinned settings. */
	bad |= mysql_optionsv(m, MYSQL_OPT_RECONNECT, &no);
	bad |= mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (w->application_name != NULL) {
		bad |= mysql_optionsv(m, MYSQL_OPT_CONNECT_ATTR_ADD,
		    "program_name", w->application_name);
	}
	if (w->timeout != 0)
		bad |= mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT,
		    &w->timeout);
	if (side) {
		bad |= mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &t);
		bad |= mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &t);
	}
	if (w->ca != NULL)
		bad |= mysql_optionsv(m, MYSQL_OPT_SSL_CA, w->ca);
	if (w->cert != NULL)
		bad |= mysql_optionsv(m, MYSQL_OPT_SSL_CERT, w->cert);
	if (w->key != NULL)
		bad |= mysql_optionsv(m, MYSQL_OPT_SSL_KEY, w->key);
	if (w->sslmode != NULL && strcmp(w->sslmode, "disable") != 0) {
		bad |= mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &yes);
		bad |= mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT,
		    strcmp(w->sslmode, "require") == 0 ? &no : &yes);
	} else if (w->sslmode != NULL) {
		bad |= mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &no);
		bad |= mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &no);
	}
	if (bad) {
		*err = xstrdup("cannot set the connection options");
		goto fail;
	}
	/* Client flags 0: no CLIENT_MULTI_STATEMENTS, no local files. */
	if (mysql_real_connect(m, w->host, w->user, password,
	    side ? NULL : w->db, w->port, w->sock, 0) == NULL) {
		*err = xstrdup(mysql_error(m));
		goto fail;
	}
	/* The connector keeps the password for reconnects (off): wipe it. */
	if (m->passwd != NULL)
		sodium_memzero(m->passwd, strlen(m->passwd));
	/*
	 * Without verification the connector only prefers TLS: it carries
	 * on in plaintext when the server offers none. Fail closed.
	 */
	if (w->sslmode != NULL && strcmp(w->sslmode, "disable") != 0 &&
	    mysql_get_ssl_cipher(m) == NULL) {
		xasprintf(err, "sslmode=%s but the connection is not "
		    "encrypted (the server offers no TLS)", w->sslmode);
		goto fail;
	}
	/*
	 * The side connection idles until Ctrl-C, and cannot reconnect (the
	 * password is gone): keep the server from closing it (a year, the
	 * largest wait_timeout MariaDB takes on Linux).
	 */
	if (side && mysql_query(m, "SET SESSION wait_timeout = 31536000, "
	    "interactive_timeout = 31536000") != 0) {
		xasprintf(err, "side connection: %s", mysql_error(m));
		goto fail;
	}
	return (m);
fail:
	mysql_close(m);
	return (NULL);
}

/* Connect: see backend.h. */
static int
backend_mariadb_connect(struct backend **out, const struct backend_params *p,
    char **err)
{
	static const struct config_limits nolimits;
	struct backend_mariadb	*b;
	MYSQL			*m = NULL;
	char			**keys = NULL, **vals = NULL, *perr = NULL;
	const char		*host = NULL, *user = NULL, *db = NULL;
	const char		*sock = NULL, *sslmode = NULL, *ca = NULL;
	const char		*cert = NULL, *key = NULL;
	struct backend_mariadb_where w;
	MYSQL			*side = NULL;
	unsigned int		 port = 0, timeout = 0;
	size_t			 n = 0, i;
	int			 ret = -1;

	if (connect_parse(p->connect != NULL ? p->connect : "", &keys, &vals,
	    &n, &perr) != 0) {
		xasprintf(err, "Connect: %s", perr);
		free(perr);
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (strcmp(keys[i], "host") == 0)
			host = vals[i];
		else if (strcmp(keys[i], "port") == 0) {
			if (backend_mariadb_number(vals[i], 1, 65535,
			    &port) != 0) {
				xasprintf(err, "Connect: bad port \"%s\"",
				    vals[i]);
				goto out;
			}
		} else if (strcmp(keys[i], "user") == 0)
			user = vals[i];
		else if (strcmp(keys[i], "dbname") == 0)
			db = vals[i];
		else if (strcmp(keys[i], "socket") == 0)
			sock = vals[i];
		else if (strcmp(keys[i], "sslmode") == 0)
			sslmode = vals[i];
		else if (strcmp(keys[i], "sslca") == 0)
			ca = vals[i];
		else if (strcmp(keys[i], "sslcert") == 0)
			cert = vals[i];
		else if (strcmp(keys[i], "sslkey") == 0)
			key = vals[i];
		else if (strcmp(keys[i], "connect_timeout") == 0) {
			if (backend_mariadb_number(vals[i], 1, 3600,
			    &timeout) != 0) {
				xasprintf(err, "Connect: bad connect_timeout "
				    "\"%s\"", vals[i]);
				goto out;
			}
		} else {
			xasprintf(err, "Connect: unknown keyword \"%s\" for "
			    "mariadb (host, port, user, dbname, socket, "
			    "sslmode, sslca, sslcert, sslkey, connect_timeout)",
			    keys[i]);
			goto out;
		}
	}
	if (sslmode != NULL && strcmp(sslmode, "disable") != 0 &&
	    strcmp(sslmode, "require") != 0 &&
	    strcmp(sslmode, "verify-ca") != 0 &&
	    strcmp(sslmode, "verify-full") != 0) {
		xasprintf(err, "Connect: bad sslmode \"%s\" (disable, require, "
		    "verify-ca or verify-full)", sslmode);
		goto out;
	}

	w.host = host;
	w.user = user;
	w.db = db;
	w.sock = sock;
	w.sslmode = sslmode;
	w.ca = ca;
	w.cert = cert;
	w.key = key;
	w.application_name = p->application_name;
	w.port = port;
	w.timeout = timeout;
	if ((m = backend_mariadb_open(&w, p->password, 0, err)) == NULL)
		goto out;
	if (backend_mariadb_pin(m, p->limits != NULL ? p->limits : &nolimits,
	    &perr) != 0) {
		xasprintf(err, "pinning session settings: %s", perr);
		free(perr);
		goto out;
	}

	if (p->read_only && backend_mariadb_read_only(m, &perr) != 0) {
		xasprintf(err, "making the session read-only: %s", perr);
		free(perr);
		goto out;
	}

	/*
	 * Ctrl-C needs KILL QUERY on a second connection, and the password
	 * is wiped once connected: an interactive session opens that side
	 * connection now (one more server connection per session). Without
	 * it the session goes on, and Ctrl-C says it cannot cancel.
	 */
	if (p->interactive &&
	    (side = backend_mariadb_open(&w, p->password, 1, &perr)) == NULL) {
		log_warn("mariadb: no side connection for Ctrl-C: %s", perr);
		free(perr);
	}

	b = xcalloc(1, sizeof *b);
	b->mysql = m;
	b->fd = (int)mysql_get_socket(m);
	b->side = side;
	b->id = mysql_thread_id(m);
	m = NULL;
	buf_init(&b->hexbuf);
	*out = (struct backend *)b;
	ret = 0;

out:
	if (m != NULL)
		mysql_close(m);
	connect_free(keys, vals, n);
	return (ret);
}

/* Forget the previous result's columns. */
static void
backend_mariadb_reset_cols(struct backend_mariadb *b)
{
	size_t	 i;

	for (i = 0; i < b->nstrs; i++)
		free(b->strs[i]);
	b->nstrs = 0;
	b->ncols = 0;
}

/* Keep a copy of s (n bytes) until the next statement; returns it. */
static const char *
backend_mariadb_keep(struct backend_mariadb *b, const char *s, size_t n)
{
	if (s == NULL)
		return (NULL);
	if (b->nstrs == b->strscap) {
		b->strscap = b->strscap == 0 ? 32 : b->strscap * 2;
		b->strs = xreallocarray(b->strs, b->strscap, sizeof *b->strs);
	}
	return (b->strs[b->nstrs++] = xstrndup(s, n));
}

/* Type name and kind of a field; *hex set if its bytes go out as hex. */
static const char *
backend_mariadb_type(const MYSQL_FIELD *f, enum value_kind *kind, int *hex)
{
	MARIADB_CONST_STRING	 fmt;
	int			 bin;

	bin = f->charsetnr == BACKEND_MARIADB_BINARY;
	*kind = VALUE_TEXT;
	*hex = 0;
	switch (f->type) {
	case MYSQL_TYPE_TINY:
		*kind = VALUE_INT;
		return ("tinyint");
	case MYSQL_TYPE_SHORT:
		*kind = VALUE_INT;
		return ("smallint");
	case MYSQL_TYPE_LONG:
		*kind = VALUE_INT;
		return ("int");
	case MYSQL_TYPE_INT24:
		*kind = VALUE_INT;
		return ("mediumint");
	case MYSQL_TYPE_YEAR:
		*kind = VALUE_INT;
		return ("year");
	case MYSQL_TYPE_LONGLONG:
		*kind = VALUE_BIGNUM;
		return ("bigint");
	case MYSQL_TYPE_DECIMAL:
	case MYSQL_TYPE_NEWDECIMAL:
		*kind = VALUE_BIGNUM;
		return ("decimal");
	case MYSQL_TYPE_FLOAT:
		*kind = VALUE_FLOAT;
		return ("float");
	case MYSQL_TYPE_DOUBLE:
		*kind = VALUE_FLOAT;
		return ("double");
	case MYSQL_TYPE_DATE:
	case MYSQL_TYPE_NEWDATE:
		*kind = VALUE_TIME;
		return ("date");
	case MYSQL_TYPE_TIME:
	case MYSQL_TYPE_TIME2:
		*kind = VALUE_TIME;
		return ("time");
	case MYSQL_TYPE_DATETIME:
	case MYSQL_TYPE_DATETIME2:
		*kind = VALUE_TIME;
		return ("datetime");
	case MYSQL_TYPE_TIMESTAMP:
	case MYSQL_TYPE_TIMESTAMP2:
		*kind = VALUE_TIME;
		return ("timestamp");
	case MYSQL_TYPE_NULL:
		return ("null");
	case MYSQL_TYPE_BIT:
		*kind = VALUE_BYTES;
		*hex = 1;
		return ("bit");
	case MYSQL_TYPE_JSON:
		*kind = VALUE_JSON;
		return ("json");
	case MYSQL_TYPE_GEOMETRY:
		*kind = VALUE_BYTES;
		*hex = 1;
		return ("geometry");
	case MYSQL_TYPE_ENUM:
		return ("enum");
	case MYSQL_TYPE_SET:
		return ("set");
	case MYSQL_TYPE_TINY_BLOB:
	case MYSQL_TYPE_MEDIUM_BLOB:
	case MYSQL_TYPE_LONG_BLOB:
	case MYSQL_TYPE_BLOB:
		/* MariaDB's JSON is LONGTEXT with format "json". */
		if (!bin && mariadb_field_attr(&fmt, f,
		    MARIADB_FIELD_ATTR_FORMAT_NAME) == 0 && fmt.length == 4 &&
		    strncmp(fmt.str, "json", 4) == 0) {
			*kind = VALUE_JSON;
			return ("json");
		}
		break;
	case MYSQL_TYPE_STRING:
		if (f->flags & ENUM_FLAG)
			return ("enum");
		if (f->flags & SET_FLAG)
			return ("set");
		break;
	default:
		break;
	}
	if (bin) {
		*kind = VALUE_BYTES;
		*hex = 1;
	}
	switch (f->type) {
	case MYSQL_TYPE_TINY_BLOB:
	case MYSQL_TYPE_MEDIUM_BLOB:
	case MYSQL_TYPE_LONG_BLOB:
	case MYSQL_TYPE_BLOB:
		return (bin ? "blob" : "text");
	case MYSQL_TYPE_STRING:
		return (bin ? "binary" : "char");
	case MYSQL_TYPE_VAR_STRING:
	case MYSQL_TYPE_VARCHAR:
		return (bin ? "varbinary" : "varchar");
	default:
		*kind = VALUE_TEXT;
		*hex = 0;
		return ("unknown");
	}
}

/* Build the column list of a result and pass it to the sink. */
static int
backend_mariadb_columns(struct backend_mariadb *b, MYSQL_RES *r,
    const struct backend_sink *sink)
{
	MYSQL_FIELD		*f = mysql_fetch_fields(r);
	struct result_column	*c;
	size_t			 i, n = mysql_num_fields(r);

	backend_mariadb_reset_cols(b);
	if (n > b->colscap) {
		b->colscap = n;
		b->cols = xreallocarray(b->cols, n, sizeof *b->cols);
		b->cells = xreallocarray(b->cells, n, sizeof *b->cells);
		b->hex = xreallocarray(b->hex, n, sizeof *b->hex);
	}
	for (i = 0; i < n; i++) {
		c = &b->cols[i];
		memset(c, 0, sizeof *c);
		c->name = backend_mariadb_keep(b, f[i].name, f[i].name_length);
		c->type = backend_mariadb_type(&f[i], &c->kind, &b->hex[i]);
		c->org_db = backend_mariadb_keep(b, f[i].db, f[i].db_length);
		c->org_table = backend_mariadb_keep(b, f[i].org_table,
		    f[i].org_table_length);
		c->org_name = backend_mariadb_keep(b, f[i].org_name,
		    f[i].org_name_length);
	}
	b->ncols = n;
	if (sink->columns == NULL)
		return (0);
	return (sink->columns(sink->arg, b->cols, b->ncols));
}

/*
 * Pass one row to the sink, binary cells as hex; no allocation once the hex
 * buffer has grown to the widest row.
 */
static int
backend_mariadb_row(struct backend_mariadb *b, MYSQL_ROW row,
    const unsigned long *lens, const struct backend_sink *sink)
{
	static const char	 digits[] = "0123456789abcdef";
	struct result_cell	*cell;
	const unsigned char	*s;
	size_t			 i, need = 0, k;
	char			*o;

	for (i = 0; i < b->ncols; i++) {
		if (b->hex[i] && row[i] != NULL)
			need += 2 * (size_t)lens[i];
	}
	buf_reset(&b->hexbuf);
	if (need > 0)
		buf_reserve(&b->hexbuf, need);
	o = b->hexbuf.data;
	for (i = 0; i < b->ncols; i++) {
		cell = &b->cells[i];
		cell->isnull = row[i] == NULL;
		if (cell->isnull) {
			cell->data = "";
			cell->len = 0;
		} else if (b->hex[i]) {
			s = (const unsigned char *)row[i];
			cell->data = o;
			cell->len = 2 * (size_t)lens[i];
			for (k = 0; k < lens[i]; k++) {
				*o++ = digits[s[k] >> 4];
				*o++ = digits[s[k] & 0xf];
			}
		} else {
			cell->data = row[i];
			cell->len = lens[i];
		}
	}
	if (sink->row == NULL)
		return (0);
	return (sink->row(sink->arg, b->cells, b->ncols));
}

/* The first keyword of a statement, upper case, for its command tag. */
static void
backend_mariadb_keyword(const char *s, size_t len, char *out, size_t size)
{
	size_t	 p = 0, n = 0;
	char	 c;

	for (;;) {
		while (p < len && strchr(" \t\r\n\f\v", s[p]) != NULL)
			p++;
		if (p < len && (s[p] == '#' || (s[p] == '-' && p + 2 <= len &&
		    s[p + 1] == '-' && (p + 2 == len ||
		    (unsigned char)s[p + 2] <= ' ')))) {
			while (p < len && s[p] != '\n')
				p++;
		} else if (p + 1 < len && s[p] == '/' && s[p + 1] == '*') {
			if (p + 2 < len &&
			    (s[p + 2] == '!' || s[p + 2] == 'M')) {
				/* Executable: step into it. */
				for (p += 3; p < len && (s[p] == '!' ||
				    (s[p] >= '0' && s[p] <= '9')); p++)
					;
				continue;
			}
			for (p += 2; p + 1 < len && (s[p] != '*' ||
			    s[p + 1] != '/'); p++)
				;
			p += 2;
		} else
			break;
	}
	while (p < len && n + 1 < size) {
		c = s[p++];
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if ((c < 'A' || c > 'Z') && c != '_')
			break;
		out[n++] = c;
	}
	out[n] = '\0';
}

/* Pass the statement's warnings to the sink as notices. */
static void
backend_mariadb_warnings(struct backend_mariadb *b,
    const struct backend_sink *sink)
{
	MYSQL_RES	*r;
	MYSQL_ROW	 row;
	char		*msg;

	if (sink->notice == NULL || mysql_warning_count(b->mysql) == 0)
		return;
	if (mysql_real_query(b->mysql, "SHOW WARNINGS", 13) != 0 ||
	    mysql_field_count(b->mysql) != 3 ||
	    (r = mysql_use_result(b->mysql)) == NULL)
		return;
	while ((row = mysql_fetch_row(r)) != NULL) {
		xasprintf(&msg, "%s %s: %s", row[0] != NULL ? row[0] : "",
		    row[1] != NULL ? row[1] : "", row[2] != NULL ? row[2] : "");
		sink->notice(sink->arg, NULL, msg);
		free(msg);
	}
	mysql_free_result(r);
}

/* Quote a value as a string literal for sql_mysql_bind. */
static char *
backend_mariadb_quote(void *arg, const char *v)
{
	MYSQL		*m = arg;
	size_t		 n;
	unsigned long	 k;
	char		*out;

	if (v == NULL)
		return (xstrdup("NULL"));
	n = strlen(v);
	if (n > (SIZE_MAX - 3) / 2)
		return (NULL);
	out = xmalloc(2 * n + 3);
	out[0] = '\'';
	k = mysql_real_escape_string(m, out + 1, v, n);
	if (k == (unsigned long)-1) {
		free(out);
		return (NULL);
	}
	out[1 + k] = '\'';
	out[2 + k] = '\0';
	return (out);
}

/* Run one statement; see backend.h. */
static int
backend_mariadb_exec(struct backend *be, const char *sql, size_t len,
    const char *const *params, size_t nparams,
    const struct backend_sink *sink, struct backend_result *res)
{
	struct backend_mariadb	*b = backend_mariadb_of(be);
	MYSQL			*m = b->mysql;
	MYSQL_RES		*r;
	MYSQL_ROW		 row;
	my_ulonglong		 affected;
	char			*bound = NULL, *berr = NULL, kw[48];
	long long		 rows = 0;
	int			 first = 1, stopped = 0, failed = 0, more;
	unsigned long		 extra = 0;

	memset(res, 0, sizeof *res);
	res->status = BACKEND_OK;
	res->rows = -1;
	if (sink == NULL)
		sink = &backend_mariadb_nosink;
	backend_mariadb_reset_cols(b);
	if (nparams > 0) {
		bound = sql_mysql_bind(sql, len, params, nparams,
		    backend_mariadb_quote, m, &berr);
		if (bound == NULL) {
			res->status = BACKEND_ERROR;
			res->message = berr;
			return (0);
		}
		sql = bound;
		len = strlen(bound);
	}
	if (mysql_real_query(m, sql, len) != 0) {
		backend_mariadb_error(m, res);
		free(bound);
		return (0);
	}

	/* CALL may return several results; the first is the one shown. */
	for (;;) {
		if (mysql_field_count(m) == 0) {
			if (first) {
				backend_mariadb_keyword(sql, len, kw,
				    sizeof kw);
				affected = mysql_affected_rows(m);
				res->rows = affected == (my_ulonglong)-1 ? -1 :
				    (long long)affected;
				snprintf(res->command, sizeof res->command,
				    "%s %lld", kw, res->rows);
			}
		} else if ((r = mysql_use_result(m)) == NULL) {
			if (!failed) {
				backend_mariadb_error(m, res);
				failed = 1;
			}
		} else {
			if (first && !stopped &&
			    backend_mariadb_columns(b, r, sink) != 0)
				stopped = 1;
			while ((row = mysql_fetch_row(r)) != NULL) {
				if (!first || stopped)
					continue;
				if (backend_mariadb_row(b, row,
				    mysql_fetch_lengths(r), sink) != 0) {
					/* mysql_free_result reads the rest. */
					stopped = 1;
					break;
				}
				rows++;
			}
			if (mysql_errno(m) != 0 && !failed) {
				backend_mariadb_error(m, res);
				failed = 1;
			}
			mysql_free_result(r);
			if (!first)
				extra++;
			else {
				res->rows = rows;
				snprintf(res->command, sizeof res->command,
				    "SELECT %lld", rows);
			}
		}
		first = 0;
		if ((more = mysql_next_result(m)) != 0) {
			if (more > 0 && !failed) {
				backend_mariadb_error(m, res);
				failed = 1;
			}
			break;
		}
	}
	free(bound);

	if (stopped && res->status != BACKEND_LOST) {
		/* Whatever went wrong while draining is not the user's. */
		free(res->message);
		res->message = NULL;
		res->sqlstate[0] = '\0';
		res->status = BACKEND_STOPPED;
		res->rows = rows;
		snprintf(res->command, sizeof res->command, "SELECT %lld",
		    rows);
		return (0);
	}
	if (failed)
		return (0);
	if (extra > 0 && sink->notice != NULL) {
		char	*msg;

		xasprintf(&msg, "%lu more result set%s not shown", extra,
		    extra == 1 ? "" : "s");
		sink->notice(sink->arg, NULL, msg);
		free(msg);
	}
	backend_mariadb_warnings(b, sink);
	return (0);
}

/*
 * The connector has no async-signal-safe cancel (KILL QUERY needs a
 * second connection), so this ends the connection instead: shutdown(2) is
 * async-signal-safe, and the statement's blocked read returns at once as a
 * lost connection. The session is ending anyway when this is called
 * (SIGTERM: the gateway stops or the user lost access).
 */
static void
backend_mariadb_cancel(struct backend *be)
{
	struct backend_mariadb	*b = backend_mariadb_of(be);

	if (b != NULL && b->fd >= 0)
		(void)shutdown(b->fd, SHUT_RDWR);
}

/*
 * Ctrl-C in an interactive session: KILL QUERY on the side connection,
 * whose reads and writes give up after BACKEND_MARIADB_SIDE_TIMEOUT
 * seconds. Runs on the REPL's watcher thread; the side connection is used
 * nowhere else.
 */
static int
backend_mariadb_cancel_query(struct backend *be)
{
	struct backend_mariadb	*b = backend_mariadb_of(be);
	char			 q[64];
	int			 len;

	if (b == NULL || b->side == NULL)
		return (-1);
	len = snprintf(q, sizeof q, "KILL QUERY %lu", b->id);
	if (mysql_real_query(b->side, q, (unsigned long)len) != 0) {
		log_warn("mariadb: %s: %s", q, mysql_error(b->side));
		return (-1);
	}
	return (0);
}

/* The current database and the server's version; see backend.h. */
static int
backend_mariadb_guard_init(struct backend *be, struct guard_ctx *ctx,
    char **err)
{
	struct backend_mariadb	*b = backend_mariadb_of(be);
	const char		*info;
	char			*db = NULL;

	if (backend_mariadb_value(b->mysql, "SELECT DATABASE()", &db,
	    err) != 0)
		return (-1);
	guard_ctx_set_database(ctx, db);
	free(db);
	ctx->server_version = mysql_get_server_version(b->mysql);
	info = mysql_get_server_info(b->mysql);
	ctx->mariadb = info != NULL && strstr(info, "MariaDB") != NULL;
	return (0);
}

/* The server's version, e.g. "10.11.6-MariaDB". */
static const char *
backend_mariadb_server_version(struct backend *be)
{
	return (mysql_get_server_info(backend_mariadb_of(be)->mysql));
}

/* Close the connection and free everything. */
static void
backend_mariadb_close(struct backend *be)
{
	struct backend_mariadb	*b = backend_mariadb_of(be);

	if (b == NULL)
		return;
	backend_mariadb_reset_cols(b);
	if (b->mysql != NULL)
		mysql_close(b->mysql);
	if (b->side != NULL)
		mysql_close(b->side);
	buf_free(&b->hexbuf);
	free(b->strs);
	free(b->cols);
	free(b->cells);
	free(b->hex);
	free(b);
}

const struct backend_ops backend_mariadb_ops = {
	.name = "mariadb",
	.driver = DRIVER_MARIADB,
	.dialect = SQL_MYSQL,
	.connect = backend_mariadb_connect,
	.exec = backend_mariadb_exec,
	.cancel = backend_mariadb_cancel,
	.cancel_query = backend_mariadb_cancel_query,
	.guard_init = backend_mariadb_guard_init,
	.server_version = backend_mariadb_server_version,
	.close = backend_mariadb_close,
	.begin_sql = "START TRANSACTION",
	.commit_sql = "COMMIT",
	.rollback_sql = "ROLLBACK",
};
