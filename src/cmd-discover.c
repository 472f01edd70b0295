/*
 * cmd-discover.c: dbgate discover TARGET [-o text|json] [--sample N]: an
 * administrator's scan of a target's catalog (column names and types) and
 * of a bounded sample of rows with the value detectors, printing proposed
 * Mask lines with their evidence. It only reads, over a read-only session,
 * and never prints a sampled value unmasked. Names and values from the
 * database are untrusted input.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "dbgate.h"
#ifndef DBGATE_THIN
#include <jansson.h>
#include <sodium.h>

#include "backend.h"
#include "config.h"
#include "detect.h"
#include "mask.h"
#include "render.h"
#include "session.h"
#include "vault.h"
#endif

#define DISCOVER_SAMPLE_DEFAULT	200	/* rows sampled per table */
#define DISCOVER_SAMPLE_MAX	10000
#define DISCOVER_CELL_MAX	4096	/* characters of a cell scanned */
#define DISCOVER_EXAMPLE_MAX	60	/* bytes of an example shown */

#ifndef DBGATE_THIN
static const struct option cmd_discover_longopts[] = {
	{ "output",	required_argument,	NULL, 'o' },
	{ "sample",	required_argument,	NULL, 's' },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL,		0,			NULL, 0 }
};
#define DISCOVER_SHORTOPTS	"o:s:h"

/* What a column's type allows: scanned as text, a number, or neither. */
enum disc_kind {
	DISC_TEXT,
	DISC_NUMBER,
	DISC_OTHER,
};

struct disc_col {
	char		*name;
	char		*type;
	enum disc_kind	 kind;
	long		 nonnull;		/* sampled values not NULL */
	long		 hits[DETECT_NKINDS];	/* values each detector hit */
	char		*example[DETECT_NKINDS]; /* masked, escaped; or NULL */
	int		 hint;		/* detector the name suggests, or -1 */
	int		 chosen;	/* detector of the proposal, or -1 */
	int		 by_values;	/* most sampled values decided it */
};

struct disc_table {
	char		*schema;
	char		*name;
	struct disc_col	*cols;
	size_t		 ncols;
	int		 sampled;	/* the sample query ran */
	long		 rows;		/* rows sampled */
};

struct discover {
	const struct backend_ops *bops;
	struct backend		*be;
	const struct disc_dialect *dl;
	unsigned int		 sample;
	struct disc_table	*tables;
	size_t			 ntables;
	char			**warnings;
	size_t			 nwarnings;
	struct disc_table	*cur;		/* the table being sampled */
	size_t			*map;		/* sample column -> cols[] */
	size_t			 nmap;
	struct buf		 scratch;
};

/*
 * The gateway's own catalog queries: catalog objects and operators are
 * schema-qualified and nothing from a user is spliced in. Each returns
 * schema, table, column, type and 't' (text), 'n' (number) or 'o'.
 */
static const char disc_pg_catalog[] =
    "SELECT n.nspname, c.relname, a.attname, "
    "pg_catalog.format_type(a.atttypid, a.atttypmod), "
    "CASE WHEN t.typcategory OPERATOR(pg_catalog.=) 'S' "
    "OR t.oid OPERATOR(pg_catalog.=) ANY ('{pg_catalog.json,"
    "pg_catalog.jsonb,pg_catalog.xml}'::pg_catalog.regtype[]) "
    "OR (t.typcategory OPERATOR(pg_catalog.=) 'A' AND "
    "e.typcategory OPERATOR(pg_catalog.=) 'S') THEN 't' "
    "WHEN t.typcategory OPERATOR(pg_catalog.=) 'N' THEN 'n' ELSE 'o' END "
    "FROM pg_catalog.pg_class c "
    "JOIN pg_catalog.pg_namespace n "
    "ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
    "JOIN pg_catalog.pg_attribute a "
    "ON a.attrelid OPERATOR(pg_catalog.=) c.oid "
    "JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) a.atttypid "
    "LEFT JOIN pg_catalog.pg_type e "
    "ON e.oid OPERATOR(pg_catalog.=) t.typelem "
    "WHERE c.relkind OPERATOR(pg_catalog.=) "
    "ANY ('{r,p,m,f}'::pg_catalog.\"char\"[]) "
    "AND NOT c.relispartition "
    "AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped "
    "AND n.nspname OPERATOR(pg_catalog.<>) 'information_schema' "
    "AND n.nspname OPERATOR(pg_catalog.!~~) 'pg\\_%' "
    "ORDER BY n.nspname, c.relname, a.attnum";

static const char disc_mysql_catalog[] =
    "SELECT c.TABLE_SCHEMA, c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_TYPE, "
    "CASE WHEN c.DATA_TYPE IN ('char', 'varchar', 'tinytext', 'text', "
    "'mediumtext', 'longtext', 'enum', 'set', 'json') THEN 't' "
    "WHEN c.DATA_TYPE IN ('tinyint', 'smallint', 'mediumint', 'int', "
    "'bigint', 'decimal') THEN 'n' ELSE 'o' END "
    "FROM information_schema.COLUMNS c "
    "JOIN information_schema.TABLES t "
    "ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME "
    "WHERE t.TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') "
    "AND c.TABLE_SCHEMA NOT IN ('mysql', 'sys', 'performance_schema', "
    "'information_schema') "
    "ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION";

/* How each dialect reads its catalog, quotes names and cuts a cell. */
struct disc_dialect {
	enum sql_dialect	 dialect;
	const char		*catalog;
	char			 quote;
	const char		*cell_pre;	/* around a quoted column */
	const char		*cell_post;
};

static const struct disc_dialect disc_dialects[] = {
	{ SQL_POSTGRESQL, disc_pg_catalog, '"',
	    "pg_catalog.substr(CAST(", " AS pg_catalog.text), 1, 4096)" },
	{ SQL_MYSQL, disc_mysql_catalog, '`', "LEFT(", ", 4096)" },
};

/* Words in column names that hint at a detector, by detector index. */
static const struct {
	const char	*word;
	int		 kind;
} disc_hints[] = {
	{ "email", 0 }, { "emails", 0 }, { "mail", 0 },
	{ "ssn", 1 }, { "social", 1 }, { "socialsecurity", 1 },
	{ "card", 2 }, { "cards", 2 }, { "creditcard", 2 }, { "pan", 2 },
	{ "ccn", 2 }, { "ccnum", 2 },
	{ "phone", 3 }, { "phones", 3 }, { "mobile", 3 }, { "telephone", 3 },
	{ "tel", 3 }, { "fax", 3 }, { "msisdn", 3 }, { "cellphone", 3 },
	{ "iban", 4 },
	{ "token", 5 }, { "tokens", 5 }, { "secret", 5 }, { "password", 5 },
	{ "passwd", 5 }, { "pwd", 5 }, { "apikey", 5 }, { "privatekey", 5 },
	{ "accesskey", 5 }, { "credential", 5 }, { "credentials", 5 },
};

/* Per detector index: what its values look like, and the strategy. */
static const struct {
	const char		*looks;
	enum mask_strategy	 strategy;
	unsigned int		 keep;
} disc_kinds[DETECT_NKINDS] = {
	{ "email addresses", MASK_EMAIL, 0 },
	{ "US social security numbers", MASK_PARTIAL, 4 },
	{ "payment card numbers", MASK_PARTIAL, 4 },
	{ "phone numbers", MASK_REDACT, 0 },
	{ "IBANs", MASK_PARTIAL, 4 },
	{ "secrets (keys, tokens)", MASK_REDACT, 0 },
};

/* When two detectors hit as often, the more specific one wins. */
static const int disc_priority[DETECT_NKINDS] = { 5, 2, 4, 1, 0, 3 };

/* Append s made printable (see render_escape). */
static void
disc_escape(struct buf *b, const char *s)
{
	(void)render_escape(b, s, strlen(s));
}

/* A masked example to show: escaped, cut short. Caller frees. */
static char *
disc_example(const char *s, size_t len)
{
	struct buf	 b;
	size_t		 n;

	buf_init(&b);
	(void)render_escape(&b, s, len);
	if (b.len > DISCOVER_EXAMPLE_MAX) {
		n = DISCOVER_EXAMPLE_MAX;
		while (n > 0 && ((unsigned char)b.data[n] & 0xc0) == 0x80)
			n--;
		b.len = n;
		buf_adds(&b, "...");
	}
	return (buf_cstr(&b));
}

/*
 * A message from the server about a sampled table, as it may be shown:
 * every quoted span replaced (a value could sit there) and the detectors
 * run over the rest. Caller frees.
 */
static char *
disc_scrub(const char *msg)
{
	struct buf	 d;
	char		*cut;

	cut = mask_text(msg, 1, DETECT_ALL);
	buf_init(&d);
	disc_escape(&d, cut);
	free(cut);
	return (buf_cstr(&d));
}

/* Note a warning, on stderr and for the JSON document. */
static void printflike(2, 3)
disc_warn(struct discover *dc, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "dbgate: %s\n", msg);
	dc->warnings = xreallocarray(dc->warnings, dc->nwarnings + 1,
	    sizeof *dc->warnings);
	dc->warnings[dc->nwarnings++] = msg;
}

/* Whether a word of a column name hints at a detector: its index, or -1. */
static int
disc_hint_word(const char *w)
{
	size_t	 i;

	for (i = 0; i < nitems(disc_hints); i++)
		if (strcmp(disc_hints[i].word, w) == 0)
			return (disc_hints[i].kind);
	return (-1);
}

/*
 * The detector a column name hints at, or -1. The name is cut into words
 * at anything but letters and digits, between letters and digits and
 * before an upper-case letter after a lower-case one (cardNumber); each
 * word and each pair of neighbours joined (api_key, e_mail) is looked up.
 */
static int
disc_name_hint(const char *name)
{
	char	**words = NULL, *pair;
	size_t	  nwords = 0, i;
	struct buf	 w;
	const char	*p;
	int	  hint = -1, prev = 0, cls;

	buf_init(&w);
	for (p = name;; p++) {
		if (*p >= 'a' && *p <= 'z')
			cls = 1;
		else if (*p >= 'A' && *p <= 'Z')
			cls = 2;
		else if (*p >= '0' && *p <= '9')
			cls = 3;
		else
			cls = 0;
		/* A word ends here. */
		if (w.len > 0 && (cls == 0 || (cls == 3) != (prev == 3) ||
		    (cls == 2 && prev == 1))) {
			words = xreallocarray(words, nwords + 1,
			    sizeof *words);
			words[nwords++] = xstrdup(buf_cstr(&w));
			buf_reset(&w);
		}
		if (*p == '\0')
			break;
		if (cls != 0)
			buf_addc(&w, cls == 2 ? *p - 'A' + 'a' : *p);
		prev = cls;
	}
	buf_free(&w);
	for (i = 0; i < nwords && hint < 0; i++) {
		hint = disc_hint_word(words[i]);
		if (hint < 0 && i + 1 < nwords) {
			xasprintf(&pair, "%s%s", words[i], words[i + 1]);
			hint = disc_hint_word(pair);
			free(pair);
		}
	}
	for (i = 0; i < nwords; i++)
		free(words[i]);
	free(words);
	return (hint);
}

/* A cell as a new string. */
static char *
disc_str(const struct result_cell *c)
{
	return (c->isnull ? xstrdup("") : xstrndup(c->data, c->len));
}

/* Catalog row: schema, table, column, type, kind. */
static int
disc_catalog_row(void *arg, const struct result_cell *cells, size_t n)
{
	struct discover		*dc = arg;
	struct disc_table	*t;
	struct disc_col		*c;
	char			*schema, *table;

	if (n != 5)
		return (1);
	schema = disc_str(&cells[0]);
	table = disc_str(&cells[1]);
	t = dc->ntables > 0 ? &dc->tables[dc->ntables - 1] : NULL;
	if (t == NULL || strcmp(t->schema, schema) != 0 ||
	    strcmp(t->name, table) != 0) {
		dc->tables = xreallocarray(dc->tables, dc->ntables + 1,
		    sizeof *dc->tables);
		t = &dc->tables[dc->ntables++];
		memset(t, 0, sizeof *t);
		t->schema = schema;
		t->name = table;
	} else {
		free(schema);
		free(table);
	}
	t->cols = xreallocarray(t->cols, t->ncols + 1, sizeof *t->cols);
	c = &t->cols[t->ncols++];
	memset(c, 0, sizeof *c);
	c->name = disc_str(&cells[2]);
	c->type = disc_str(&cells[3]);
	c->kind = cells[4].len == 1 && cells[4].data[0] == 't' ? DISC_TEXT :
	    cells[4].len == 1 && cells[4].data[0] == 'n' ? DISC_NUMBER :
	    DISC_OTHER;
	c->hint = disc_name_hint(c->name);
	c->chosen = -1;
	return (0);
}

/* Sample row: run the detectors over each cell. No value is kept raw. */
static int
disc_sample_row(void *arg, const struct result_cell *cells, size_t n)
{
	struct discover	*dc = arg;
	struct disc_col	*c;
	unsigned int	 found, k;
	size_t		 i;

	if (n != dc->nmap)
		return (1);
	dc->cur->rows++;
	for (i = 0; i < n; i++) {
		c = &dc->cur->cols[dc->map[i]];
		if (cells[i].isnull)
			continue;
		c->nonnull++;
		if (cells[i].len == 0)
			continue;
		found = 0;
		if (detect_mask(DETECT_ALL, cells[i].data, cells[i].len,
		    &dc->scratch, &found) == 0)
			continue;
		for (k = 0; k < DETECT_NKINDS; k++) {
			if (!(found & (1u << k)))
				continue;
			c->hits[k]++;
			if (c->example[k] == NULL)
				c->example[k] = disc_example(dc->scratch.data,
				    dc->scratch.len);
		}
	}
	buf_reset(&dc->scratch);
	return (0);
}

/* Notices of the gateway's own queries are not shown. */
static void
disc_notice(void *arg, const char *sqlstate, const char *message)
{
	(void)arg;
	(void)sqlstate;
	(void)message;
}

/* Forget what a sample found in a column. */
static void
disc_col_reset(struct disc_col *c)
{
	int	 k;

	c->nonnull = 0;
	for (k = 0; k < DETECT_NKINDS; k++) {
		c->hits[k] = 0;
		free(c->example[k]);
		c->example[k] = NULL;
	}
}

/* Append name quoted as an identifier of the dialect. */
static void
disc_quote(struct buf *b, const struct disc_dialect *dl, const char *name)
{
	buf_addc(b, dl->quote);
	for (; *name != '\0'; name++) {
		if (*name == dl->quote)
			buf_addc(b, dl->quote);
		buf_addc(b, *name);
	}
	buf_addc(b, dl->quote);
}

/*
 * Sample a table's text columns. Returns an exit status: a table that
 * cannot be read is a warning (EXIT_OK), a lost connection is not.
 */
static int
disc_sample(struct discover *dc, struct disc_table *t)
{
	struct backend_sink	 sink;
	struct backend_result	 res;
	struct buf		 sql, name;
	char			*msg, *what;
	size_t			 i;
	int			 rc = EXIT_OK;

	buf_init(&sql);
	buf_adds(&sql, "SELECT ");
	dc->nmap = 0;
	dc->map = xreallocarray(dc->map, t->ncols, sizeof *dc->map);
	for (i = 0; i < t->ncols; i++) {
		if (t->cols[i].kind != DISC_TEXT)
			continue;
		buf_adds(&sql, dc->nmap > 0 ? ", " : "");
		buf_adds(&sql, dc->dl->cell_pre);
		disc_quote(&sql, dc->dl, t->cols[i].name);
		buf_adds(&sql, dc->dl->cell_post);
		dc->map[dc->nmap++] = i;
	}
	if (dc->nmap == 0) {
		buf_free(&sql);
		return (EXIT_OK);
	}
	buf_adds(&sql, " FROM ");
	disc_quote(&sql, dc->dl, t->schema);
	buf_addc(&sql, '.');
	disc_quote(&sql, dc->dl, t->name);
	buf_printf(&sql, " LIMIT %u", dc->sample);

	buf_init(&name);
	disc_escape(&name, t->schema);
	buf_addc(&name, '.');
	disc_escape(&name, t->name);
	what = buf_cstr(&name);

	memset(&sink, 0, sizeof sink);
	sink.row = disc_sample_row;
	sink.notice = disc_notice;
	sink.arg = dc;
	dc->cur = t;
	if (dc->bops->exec(dc->be, sql.data, sql.len, NULL, 0, &sink,
	    &res) != 0) {
		disc_warn(dc, "cannot sample %s: internal error", what);
		rc = EXIT_INTERNAL;
	} else if (res.status == BACKEND_OK) {
		t->sampled = 1;
	} else if (res.status == BACKEND_LOST ||
	    res.status == BACKEND_CANCELLED) {
		msg = disc_scrub(res.message != NULL ? res.message :
		    "connection lost");
		fprintf(stderr, "dbgate: lost the connection while sampling "
		    "%s: %s\n", what, msg);
		free(msg);
		rc = EXIT_UNREACH;
	} else {
		/* Counts so far are from rows that were read: drop them. */
		msg = disc_scrub(res.message != NULL ? res.message :
		    "the sample stopped");
		disc_warn(dc, "cannot sample %s: %s%s%s%s", what, msg,
		    res.sqlstate[0] != '\0' ? " (SQLSTATE " : "",
		    res.sqlstate, res.sqlstate[0] != '\0' ? ")" : "");
		free(msg);
		for (i = 0; i < t->ncols; i++)
			disc_col_reset(&t->cols[i]);
		t->rows = 0;
	}
	backend_result_clear(&res);
	dc->cur = NULL;
	buf_free(&name);
	buf_free(&sql);
	return (rc);
}

/* Whether a column name's hint alone may propose a mask for its type. */
static int
disc_hint_applies(const struct disc_col *c)
{
	if (c->hint < 0)
		return (0);
	if (c->kind == DISC_TEXT)
		return (1);
	/* Numbers may hold SSNs, card and phone numbers; nothing else. */
	return (c->kind == DISC_NUMBER && (c->hint == 1 || c->hint == 2 ||
	    c->hint == 3));
}

/* Decide what to propose for a column (sets chosen and by_values). */
static void
disc_decide(struct disc_col *c)
{
	int	 best = -1, k, i;

	for (i = 0; i < DETECT_NKINDS; i++) {
		k = disc_priority[i];
		if (c->hits[k] == 0)
			continue;
		if (best < 0 || c->hits[k] > c->hits[best] ||
		    (c->hits[k] == c->hits[best] && k == c->hint))
			best = k;
	}
	c->chosen = -1;
	c->by_values = 0;
	if (best >= 0 && c->hits[best] * 2 >= c->nonnull) {
		c->chosen = best;
		c->by_values = 1;
	} else if (disc_hint_applies(c))
		c->chosen = c->hint;
}

/* Whether a column is worth a word: a proposal, a hit or a hint. */
static int
disc_notable(const struct disc_col *c)
{
	int	 k;

	if (c->chosen >= 0 || c->hint >= 0)
		return (1);
	for (k = 0; k < DETECT_NKINDS; k++)
		if (c->hits[k] > 0)
			return (1);
	return (0);
}

/* Append one part of a Mask pattern: glob characters escaped, the rest
 * that a pattern cannot hold ('.', controls) matched by '?'. */
static void
disc_glob_part(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '.' || (unsigned char)*s < 0x20 || *s == 0x7f)
			buf_addc(b, '?');
		else {
			if (strchr("*?[]\\", *s) != NULL)
				buf_addc(b, '\\');
			buf_addc(b, *s);
		}
	}
}

/* The Mask line proposed for a column. Caller frees. */
static char *
disc_mask_line(const struct disc_table *t, const struct disc_col *c)
{
	struct buf	 pat, line;

	buf_init(&pat);
	disc_glob_part(&pat, t->schema);
	buf_addc(&pat, '.');
	disc_glob_part(&pat, t->name);
	buf_addc(&pat, '.');
	disc_glob_part(&pat, c->name);
	buf_init(&line);
	buf_adds(&line, "Mask ");
	config_dump_word(&line, buf_cstr(&pat));
	buf_printf(&line, " %s",
	    mask_strategy_name(disc_kinds[c->chosen].strategy));
	if (disc_kinds[c->chosen].strategy == MASK_PARTIAL)
		buf_printf(&line, " %u", disc_kinds[c->chosen].keep);
	buf_free(&pat);
	return (buf_cstr(&line));
}

/* The evidence for a column, one line of text (escaped). Caller frees. */
static char *
disc_evidence(const struct disc_table *t, const struct disc_col *c)
{
	struct buf	 b;
	const char	*sep = "";
	int		 k, shown = c->chosen;

	buf_init(&b);
	if (c->by_values) {
		buf_printf(&b, "%ld/%ld sampled values look like %s",
		    c->hits[c->chosen], c->nonnull,
		    disc_kinds[c->chosen].looks);
		sep = "; ";
	} else if (t->sampled && c->kind == DISC_TEXT && c->nonnull > 0) {
		for (k = 0; k < DETECT_NKINDS; k++) {
			if (c->hits[k] == 0)
				continue;
			buf_printf(&b, "%s%ld/%ld sampled values look like %s",
			    sep, c->hits[k], c->nonnull, disc_kinds[k].looks);
			sep = "; ";
			if (shown < 0 || c->hits[shown] == 0)
				shown = k;
		}
		if (*sep == '\0')
			buf_printf(&b, "none of %ld sampled values matched a "
			    "detector", c->nonnull);
		sep = "; ";
	} else if (c->kind != DISC_TEXT) {
		buf_printf(&b, "values of type ");
		disc_escape(&b, c->type);
		buf_adds(&b, " are not sampled");
		sep = "; ";
	} else if (t->sampled) {
		buf_adds(&b, "no value to sample");
		sep = "; ";
	} else {
		buf_adds(&b, "not sampled");
		sep = "; ";
	}
	if (c->by_values) {
		for (k = 0; k < DETECT_NKINDS; k++) {
			if (k != c->chosen && c->hits[k] > 0)
				buf_printf(&b, "; %ld like %s", c->hits[k],
				    disc_kinds[k].looks);
		}
	}
	if (c->hint >= 0) {
		buf_printf(&b, "%scolumn name \"", sep);
		disc_escape(&b, c->name);
		buf_adds(&b, "\"");
		if (!c->by_values || c->hint != c->chosen)
			buf_printf(&b, " (suggests %s)",
			    disc_kinds[c->hint].looks);
	}
	if (shown >= 0 && c->example[shown] != NULL)
		buf_printf(&b, "; e.g. \"%s\"", c->example[shown]);
	return (buf_cstr(&b));
}

/* A JSON string of a name from the database (escaped if not UTF-8). */
static json_t *
disc_json_name(const char *s)
{
	json_t		*j;
	struct buf	 b;

	if ((j = json_string(s)) != NULL)
		return (j);
	buf_init(&b);
	disc_escape(&b, s);
	j = json_string(buf_cstr(&b));
	buf_free(&b);
	return (j);
}

/* One column's entry of the JSON document. */
static json_t *
disc_json_col(const struct disc_table *t, const struct disc_col *c)
{
	json_t	*o, *hits;
	char	*s;
	int	 k, ex = c->chosen;

	o = json_object();
	json_object_set_new(o, "schema", disc_json_name(t->schema));
	json_object_set_new(o, "table", disc_json_name(t->name));
	json_object_set_new(o, "column", disc_json_name(c->name));
	json_object_set_new(o, "type", disc_json_name(c->type));
	json_object_set_new(o, "sampled", c->kind == DISC_TEXT && t->sampled ?
	    json_integer(c->nonnull) : json_null());
	hits = json_object();
	for (k = 0; k < DETECT_NKINDS; k++) {
		if (c->hits[k] > 0) {
			json_object_set_new(hits, detect_name(k),
			    json_integer(c->hits[k]));
			if (ex < 0 || c->hits[ex] == 0)
				ex = k;
		}
	}
	json_object_set_new(o, "detector", c->chosen >= 0 && c->by_values ?
	    json_string(detect_name(c->chosen)) : json_null());
	json_object_set_new(o, "matches", json_integer(c->chosen >= 0 ?
	    c->hits[c->chosen] : 0));
	json_object_set_new(o, "detectors", hits);
	json_object_set_new(o, "name_hint", c->hint >= 0 ?
	    json_string(detect_name(c->hint)) : json_null());
	json_object_set_new(o, "proposed", json_boolean(c->chosen >= 0));
	if (c->chosen >= 0) {
		json_object_set_new(o, "strategy", json_string(
		    mask_strategy_name(disc_kinds[c->chosen].strategy)));
		json_object_set_new(o, "keep",
		    disc_kinds[c->chosen].strategy == MASK_PARTIAL ?
		    json_integer(disc_kinds[c->chosen].keep) : json_null());
		s = disc_mask_line(t, c);
		json_object_set_new(o, "line", disc_json_name(s));
		free(s);
	}
	json_object_set_new(o, "example", ex >= 0 && c->example[ex] != NULL ?
	    json_string(c->example[ex]) : json_null());
	s = disc_evidence(t, c);
	json_object_set_new(o, "evidence", json_string(s));
	free(s);
	return (o);
}

/* Count the columns scanned and sampled. */
static void
disc_count(const struct discover *dc, size_t *ncols, size_t *nsampled,
    size_t *nproposed)
{
	size_t	 i, j;

	*ncols = *nsampled = *nproposed = 0;
	for (i = 0; i < dc->ntables; i++) {
		for (j = 0; j < dc->tables[i].ncols; j++) {
			(*ncols)++;
			if (dc->tables[i].sampled &&
			    dc->tables[i].cols[j].kind == DISC_TEXT)
				(*nsampled)++;
			if (dc->tables[i].cols[j].chosen >= 0)
				(*nproposed)++;
		}
	}
}

/* Print the JSON document. */
static int
disc_print_json(const struct discover *dc, const struct config_target *tg)
{
	json_t	*doc, *props, *other, *warn;
	char	*text;
	size_t	 i, j, ncols, nsampled, nproposed;
	int	 rc = EXIT_OK;

	disc_count(dc, &ncols, &nsampled, &nproposed);
	props = json_array();
	other = json_array();
	for (i = 0; i < dc->ntables; i++) {
		for (j = 0; j < dc->tables[i].ncols; j++) {
			if (!disc_notable(&dc->tables[i].cols[j]))
				continue;
			json_array_append_new(dc->tables[i].cols[j].chosen >=
			    0 ? props : other, disc_json_col(&dc->tables[i],
			    &dc->tables[i].cols[j]));
		}
	}
	warn = json_array();
	for (i = 0; i < dc->nwarnings; i++)
		json_array_append_new(warn, json_string(dc->warnings[i]));
	doc = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:I, s:I, s:I, s:I, "
	    "s:o, s:o, s:o}",
	    "format", "dbgate.discover.v1", "target", tg->name,
	    "driver", dc->bops->name,
	    "server_version", dc->bops->server_version(dc->be),
	    "policy", tg->policy,
	    "sample_limit", (json_int_t)dc->sample,
	    "tables", (json_int_t)dc->ntables,
	    "columns", (json_int_t)ncols,
	    "columns_sampled", (json_int_t)nsampled,
	    "proposals", props, "other", other, "warnings", warn);
	if (doc == NULL || (text = json_dumps(doc, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER)) == NULL) {
		fprintf(stderr, "dbgate: cannot build the JSON document\n");
		json_decref(doc);
		return (EXIT_INTERNAL);
	}
	if (printf("%s\n", text) < 0 || fflush(stdout) != 0)
		rc = EXIT_INTERNAL;
	free(text);
	json_decref(doc);
	return (rc);
}

/* Print the proposals as Mask lines with their evidence in comments. */
static int
disc_print_text(const struct discover *dc, const struct config_target *tg)
{
	const struct disc_table	*t;
	const struct disc_col	*c;
	struct buf		 b;
	char			*s;
	size_t			 i, j, ncols, nsampled, nproposed, nother = 0;
	int			 rc = EXIT_OK;

	disc_count(dc, &ncols, &nsampled, &nproposed);
	buf_init(&b);
	buf_printf(&b, "# dbgate discover %s (%s %s): %zu table%s, %zu "
	    "column%s, %zu sampled (up to %u rows per table)\n", tg->name,
	    dc->bops->name, dc->bops->server_version(dc->be), dc->ntables,
	    dc->ntables == 1 ? "" : "s", ncols, ncols == 1 ? "" : "s",
	    nsampled, dc->sample);
	if (nproposed == 0)
		buf_adds(&b, "# No column looks sensitive: nothing to "
		    "propose.\n");
	else {
		buf_printf(&b, "# %zu Mask line%s ", nproposed,
		    nproposed == 1 ? "" : "s");
		if (tg->policy != NULL) {
			buf_adds(&b, "for Policy \"");
			disc_escape(&b, tg->policy);
			buf_adds(&b, "\", the target's policy");
		} else
			buf_adds(&b, "for a Policy block (the target has "
			    "none: add one and name it in its Policy line)");
		buf_adds(&b, ".\n# Review each before use: the evidence is "
		    "a sample.\n");
	}
	for (i = 0; i < dc->ntables; i++) {
		t = &dc->tables[i];
		for (j = 0; j < t->ncols; j++) {
			c = &t->cols[j];
			if (c->chosen < 0) {
				if (disc_notable(c))
					nother++;
				continue;
			}
			s = disc_evidence(t, c);
			buf_printf(&b, "\n    # %s\n", s);
			free(s);
			s = disc_mask_line(t, c);
			buf_printf(&b, "    %s\n", s);
			free(s);
		}
	}
	if (nother > 0)
		buf_adds(&b, "\n# Not proposed (the value detectors mask such "
		    "values wherever they appear):\n");
	for (i = 0; i < dc->ntables && nother > 0; i++) {
		t = &dc->tables[i];
		for (j = 0; j < t->ncols; j++) {
			c = &t->cols[j];
			if (c->chosen >= 0 || !disc_notable(c))
				continue;
			buf_adds(&b, "#   ");
			disc_escape(&b, t->schema);
			buf_addc(&b, '.');
			disc_escape(&b, t->name);
			buf_addc(&b, '.');
			disc_escape(&b, c->name);
			s = disc_evidence(t, c);
			buf_printf(&b, ": %s\n", s);
			free(s);
		}
	}
	if (dc->nwarnings > 0)
		buf_adds(&b, "\n# Warnings (also on standard error):\n");
	for (i = 0; i < dc->nwarnings; i++)
		buf_printf(&b, "#   %s\n", dc->warnings[i]);
	if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0)
		rc = EXIT_INTERNAL;
	buf_free(&b);
	return (rc);
}

/* Free what the scan found. */
static void
disc_free(struct discover *dc)
{
	size_t	 i, j;
	int	 k;

	for (i = 0; i < dc->ntables; i++) {
		for (j = 0; j < dc->tables[i].ncols; j++) {
			free(dc->tables[i].cols[j].name);
			free(dc->tables[i].cols[j].type);
			for (k = 0; k < DETECT_NKINDS; k++)
				free(dc->tables[i].cols[j].example[k]);
		}
		free(dc->tables[i].cols);
		free(dc->tables[i].schema);
		free(dc->tables[i].name);
	}
	free(dc->tables);
	for (i = 0; i < dc->nwarnings; i++)
		free(dc->warnings[i]);
	free(dc->warnings);
	free(dc->map);
	buf_free(&dc->scratch);
}

/* Read the catalog. Returns an exit status. */
static int
disc_catalog(struct discover *dc, const char *target)
{
	struct backend_sink	 sink;
	struct backend_result	 res;
	int			 rc = EXIT_OK;

	memset(&sink, 0, sizeof sink);
	sink.row = disc_catalog_row;
	sink.notice = disc_notice;
	sink.arg = dc;
	if (dc->bops->exec(dc->be, dc->dl->catalog, strlen(dc->dl->catalog),
	    NULL, 0, &sink, &res) != 0) {
		fprintf(stderr, "dbgate: cannot read the catalog of target "
		    "\"%s\": internal error\n", target);
		return (EXIT_INTERNAL);
	}
	if (res.status != BACKEND_OK) {
		fprintf(stderr, "dbgate: cannot read the catalog of target "
		    "\"%s\": %s\n", target, res.message != NULL ?
		    res.message : "the query stopped");
		rc = res.status == BACKEND_ERROR ? EXIT_DBERROR : EXIT_UNREACH;
	}
	backend_result_clear(&res);
	return (rc);
}

/*
 * Connect to the target read-only with its vault password, then drop
 * privileges as a session does before it reads anything from the
 * database. Returns an exit status.
 */
static int
disc_connect(struct discover *dc, const struct config *cfg,
    const struct config_target *tg)
{
	struct backend_params	 bp;
	struct vault_key	*key = NULL;
	char			*path, *err = NULL;
	int			 r, had;

	xasprintf(&path, "%s/vault", cfg->state_dir);
	if (access(path, F_OK) == 0 && ((key = vault_key_load(cfg->vault_key,
	    0, &err)) == NULL || vault_check_file(path, &err) != 0)) {
		fprintf(stderr, "dbgate: cannot read the vault: %s\n", err);
		free(err);
		vault_key_free(key);
		free(path);
		return (EXIT_INTERNAL);
	}
	memset(&bp, 0, sizeof bp);
	bp.connect = tg->connect;
	bp.application_name = "dbgate:discover";
	bp.limits = &tg->limits;
	bp.read_only = 1;
	r = backend_connect_vault(dc->bops, path, key, tg->name, &bp, &dc->be,
	    &had, &err);
	vault_key_free(key);
	free(path);
	if (r == -1) {
		fprintf(stderr, "dbgate: cannot read the password of target "
		    "\"%s\" from the vault: %s\n", tg->name, err);
		free(err);
		return (EXIT_INTERNAL);
	}
	if (r != 0) {
		dc->be = NULL;
		fprintf(stderr, "dbgate: cannot connect to target \"%s\": "
		    "%s\n", tg->name, err);
		if (!had)
			fprintf(stderr, "dbgate: the vault holds no password "
			    "for target \"%s\"; store one with: dbgate vault "
			    "set %s\n", tg->name, tg->name);
		free(err);
		return (EXIT_UNREACH);
	}
	if (session_drop_to(cfg->session_user, &err) != 0) {
		fprintf(stderr, "dbgate: %s\n", err);
		free(err);
		return (EXIT_INTERNAL);
	}
	return (EXIT_OK);
}

/* Scan a target and print what to mask. Returns an exit status. */
static int
cmd_discover_run(struct cmd_ctx *ctx, const char *target, int json,
    unsigned int sample)
{
	struct config			*cfg = NULL;
	struct config_diags		 d;
	const struct config_target	*tg;
	struct discover			 dc;
	struct buf			 names, shown;
	size_t				 i, j;
	int				 rc;

	memset(&dc, 0, sizeof dc);
	buf_init(&dc.scratch);
	if (sodium_init() < 0) {
		fprintf(stderr, "dbgate: libsodium failed to initialise\n");
		return (EXIT_INTERNAL);
	}
	memset(&d, 0, sizeof d);
	if (config_load(ctx->config_path, 0, &cfg, &d) != 0) {
		for (i = 0; i < d.n; i++)
			fprintf(stderr, "%s\n", d.msgs[i]);
		config_diags_free(&d);
		return (EXIT_USAGE);
	}
	config_diags_free(&d);
	if ((tg = config_find_target(cfg, target)) == NULL) {
		buf_init(&names);
		for (i = 0; i < cfg->ntargets; i++)
			buf_printf(&names, "%s%s", i > 0 ? ", " : "",
			    cfg->targets[i].name);
		buf_init(&shown);
		disc_escape(&shown, target);
		fprintf(stderr, "dbgate: no Target \"%s\" in %s (targets: "
		    "%s)\n", buf_cstr(&shown), ctx->config_path,
		    names.len > 0 ? buf_cstr(&names) : "none");
		buf_free(&shown);
		buf_free(&names);
		rc = EXIT_USAGE;
		goto out;
	}
	dc.sample = sample;
	dc.bops = backend_ops_for(tg->driver);
	for (i = 0; i < nitems(disc_dialects); i++)
		if (dc.bops != NULL && disc_dialects[i].dialect ==
		    dc.bops->dialect)
			dc.dl = &disc_dialects[i];
	if (dc.dl == NULL) {
		fprintf(stderr, "dbgate: target \"%s\": no driver for "
		    "discovery\n", tg->name);
		rc = EXIT_INTERNAL;
		goto out;
	}
	backend_clear_env();
	if ((rc = disc_connect(&dc, cfg, tg)) != EXIT_OK)
		goto out;
	if ((rc = disc_catalog(&dc, tg->name)) != EXIT_OK)
		goto out;
	for (i = 0; i < dc.ntables; i++) {
		if ((rc = disc_sample(&dc, &dc.tables[i])) != EXIT_OK)
			goto out;
	}
	for (i = 0; i < dc.ntables; i++) {
		for (j = 0; j < dc.tables[i].ncols; j++)
			disc_decide(&dc.tables[i].cols[j]);
	}
	rc = json ? disc_print_json(&dc, tg) : disc_print_text(&dc, tg);
out:
	if (dc.be != NULL)
		dc.bops->close(dc.be);
	disc_free(&dc);
	config_free(cfg);
	return (rc);
}

/* discover TARGET [-o text|json] [--sample N] */
static int
cmd_discover_local(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*format = "text", *errstr = NULL;
	long long	 sample = DISCOVER_SAMPLE_DEFAULT;
	char		*end;
	int		 ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, DISCOVER_SHORTOPTS,
	    cmd_discover_longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			format = optarg;
			break;
		case 's':
			errno = 0;
			sample = strtoll(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    sample < 1 || sample > DISCOVER_SAMPLE_MAX)
				errstr = optarg;
			break;
		case 'h':
			cmd_usage(&cmd_discover_entry);
			return (EXIT_OK);
		default:
			cmd_usage(&cmd_discover_entry);
			return (EXIT_USAGE);
		}
	}
	if (optind != argc - 1) {
		cmd_usage(&cmd_discover_entry);
		return (EXIT_USAGE);
	}
	if (errstr != NULL) {
		fprintf(stderr, "dbgate: --sample takes 1 to %d rows, not "
		    "\"%s\"\n", DISCOVER_SAMPLE_MAX, errstr);
		return (EXIT_USAGE);
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, "dbgate: discover writes text or json, not "
		    "\"%s\"\n", format);
		return (EXIT_USAGE);
	}
	if ((rc = cmd_require_admin(ctx, "discover")) != 0)
		return (rc);
	return (cmd_discover_run(ctx, argv[optind], strcmp(format, "json") ==
	    0, (unsigned int)sample));
}
#endif /* !DBGATE_THIN */

const struct cmd_entry cmd_discover_entry = {
	"discover", "TARGET [-o text | json] [--sample N]",
	"propose Mask lines from a target's catalog and a sample of its rows",
	CMD_ADMIN, CMD_FN(cmd_discover_local), NULL
};
