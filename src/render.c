/*
 * render.c: output streams and the four renderers (table for humans; csv,
 * json and ndjson for programs). A renderer is driven one statement and one
 * row at a time and appends whole rows to its out stream, which is flushed
 * only at row boundaries.
 *
 * Handles untrusted input: cell values, column names, command tags and
 * messages come from the database and may hold any bytes. The table
 * renderer passes all of it through render_escape so nothing can drive a
 * terminal; the JSON renderers build values with jansson, encode them
 * with jsonout (jansson's compact form, faster), and replace invalid UTF-8
 * with U+FFFD so the document stays valid.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dbgate.h"
#include "jsonout.h"
#include "render.h"

/* Rows the table renderer keeps to size its columns. */
#define RENDER_SAMPLE_ROWS	1000
/* Buffers grown past this are released rather than kept for reuse. */
#define RENDER_KEEP_MAX		(4 * 1024 * 1024)

struct render_ops {
	int	(*begin)(struct render *);
	int	(*statement)(struct render *, const char *, size_t);
	int	(*columns)(struct render *, const struct result_column *,
		    size_t);
	int	(*row)(struct render *, const struct result_cell *, size_t);
	int	(*statement_end)(struct render *, const struct stmt_outcome *);
	int	(*end)(struct render *, int);
};

/* A piece of escaped text in a table buffer. */
struct table_cell {
	size_t	 off;
	size_t	 len;
	size_t	 width;
};

struct render {
	enum render_format	 format;
	const struct render_ops	*ops;
	struct out		*out;
	char			*target;
	char			*session_id;
	char			*user;

	/* The current statement. */
	unsigned long long	 stmt;		/* 1-based index */
	int			 has_columns;
	size_t			 ncols;
	enum value_kind		*kinds;
	size_t			*widths;
	size_t			 cols_cap;
	long long		 nrows;		/* rows rendered */

	/* csv */
	int			 csv_seen;	/* a result set was written */

	/* table */
	int			 expanded;	/* one line per column (\x) */
	size_t			 fit;		/* terminal width, or 0 */
	int			 fitted;	/* this result: too wide, expanded */
	int			 printed;	/* output so far: separate */
	int			 streaming;	/* sample out, rows follow */
	struct buf		 arena;		/* escaped header and sample */
	struct table_cell	*cells;		/* header, then sample rows */
	size_t			 cells_cap;
	size_t			 nsample;
	struct buf		 scratch;

	/* json, ndjson */
	struct buf		 sql;		/* ndjson: the statement */
	struct buf		 jfix;		/* a string made valid UTF-8 */
	struct buf		 jtmp;		/* a time with its 'T' */
	struct buf		 rowhead;	/* ndjson: how rows start */
	double			*fvals;		/* a row's floats, parsed */
	unsigned char		*fok;		/* which of them are numbers */
	size_t			 fcap;
};

/* Set up an out stream delivering through flush. */
void
out_init(struct out *o, int (*flush)(struct out *, const char *, size_t),
    void *arg)
{
	buf_init(&o->buf);
	o->flush = flush;
	o->arg = arg;
	o->failed = 0;
}

/* Deliver everything buffered; -1 if this or an earlier flush failed. */
int
out_flush(struct out *o)
{
	if (o->failed)
		return (-1);
	if (o->buf.len == 0)
		return (0);
	if (o->flush == NULL || o->flush(o, o->buf.data, o->buf.len) != 0) {
		o->failed = 1;
		buf_free(&o->buf);
		return (-1);
	}
	if (o->buf.cap > RENDER_KEEP_MAX)
		buf_free(&o->buf);
	else
		buf_reset(&o->buf);
	return (0);
}

/* Flush if enough is buffered; -1 if the stream failed. */
int
out_maybe_flush(struct out *o)
{
	if (o->failed)
		return (-1);
	if (o->buf.len >= OUT_FLUSH_AT)
		return (out_flush(o));
	return (0);
}

/* Release an out stream's buffer (unflushed data is dropped). */
void
out_free(struct out *o)
{
	buf_free(&o->buf);
}

/* Decode one UTF-8 character at s; return its length, or 0 if invalid. */
static size_t
render_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t	 c;
	size_t		 n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return (0);
	if (len < n)
		return (0);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (n);
}

/* Say whether a character must be shown as \u{XXXX}. */
static int
render_escape_cp(uint32_t cp)
{
	return ((cp >= 0x80 && cp <= 0x9f) ||		/* C1 controls */
	    (cp >= 0x202a && cp <= 0x202e) ||		/* bidi embeddings */
	    (cp >= 0x2066 && cp <= 0x2069) ||		/* bidi isolates */
	    cp == 0x200e || cp == 0x200f || cp == 0x061c || /* marks */
	    (cp >= 0x200b && cp <= 0x200d) ||		/* zero width */
	    cp == 0x2060 || cp == 0xfeff);
}

/* Append one byte as \xNN. */
static void
render_escape_byte(struct buf *b, unsigned char c)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			 e[4];

	e[0] = '\\';
	e[1] = 'x';
	e[2] = hex[c >> 4];
	e[3] = hex[c & 0xf];
	buf_add(b, e, sizeof e);
}

/* Append s with terminal-driving characters escaped; returns the width. */
size_t
render_escape(struct buf *b, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, j, n, width = 0;
	uint32_t		 cp;
	char			 e[16];
	int			 el;

	buf_reserve(b, len);
	while (i < len) {
		/* Plain printable ASCII goes out in runs. */
		for (j = i; j < len && p[j] >= 0x20 && p[j] < 0x7f &&
		    p[j] != '\\'; j++)
			;
		if (j > i) {
			buf_add(b, p + i, j - i);
			width += j - i;
			i = j;
			continue;
		}
		switch (p[i]) {
		case '\\':
			buf_add(b, "\\\\", 2);
			width += 2;
			i++;
			continue;
		case '\t':
			buf_add(b, "\\t", 2);
			width += 2;
			i++;
			continue;
		case '\n':
			buf_add(b, "\\n", 2);
			width += 2;
			i++;
			continue;
		case '\r':
			buf_add(b, "\\r", 2);
			width += 2;
			i++;
			continue;
		}
		if (p[i] < 0x80) {
			/* C0 control or DEL. */
			render_escape_byte(b, p[i]);
			width += 4;
			i++;
			continue;
		}
		if ((n = render_utf8_decode(p + i, len - i, &cp)) == 0) {
			render_escape_byte(b, p[i]);
			width += 4;
			i++;
			continue;
		}
		if (render_escape_cp(cp)) {
			el = snprintf(e, sizeof e, "\\u{%04X}", (unsigned)cp);
			buf_add(b, e, (size_t)el);
			width += (size_t)el;
		} else {
			buf_add(b, p + i, n);
			width++;
		}
		i += n;
	}
	return (width);
}

/* Say whether a kind of value is a number (right-aligned in tables). */
static int
render_kind_numeric(enum value_kind kind)
{
	return (kind == VALUE_INT || kind == VALUE_BIGNUM ||
	    kind == VALUE_FLOAT);
}

/* Append n spaces. */
static void
render_spaces(struct buf *b, size_t n)
{
	buf_reserve(b, n);
	memset(b->data + b->len, ' ', n);
	b->len += n;
}

/*
 * csv
 */

/* Bytes that make a CSV field need quotes (one load per byte). */
static const unsigned char render_csv_special[256] = {
	[','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1,
};

/* Append one CSV field (RFC 4180); NULL is an empty unquoted field. */
static void
render_csv_field(struct buf *b, const char *s, size_t len, int isnull)
{
	const char	*q;
	size_t		 i;
	int		 quote;

	if (isnull)
		return;
	quote = len == 0 || s[0] == ' ' || s[len - 1] == ' ';
	for (i = 0; !quote && i < len; i++)
		quote = render_csv_special[(unsigned char)s[i]];
	if (!quote) {
		buf_add(b, s, len);
		return;
	}
	buf_addc(b, '"');
	while (len > 0 && (q = memchr(s, '"', len)) != NULL) {
		buf_add(b, s, (size_t)(q - s) + 1);
		buf_addc(b, '"');
		len -= (size_t)(q - s) + 1;
		s = q + 1;
	}
	buf_add(b, s, len);
	buf_addc(b, '"');
}

/* Nothing to do before the first statement. */
static int
render_csv_begin(struct render *r)
{
	(void)r;
	return (0);
}

/* Nothing is printed for a statement until it brings columns. */
static int
render_csv_statement(struct render *r, const char *sql, size_t len)
{
	(void)r;
	(void)sql;
	(void)len;
	return (0);
}

/* Write the header line; a second result set is refused. */
static int
render_csv_columns(struct render *r, const struct result_column *cols, size_t n)
{
	struct buf	*b = &r->out->buf;
	const char	*name;
	size_t		 i;

	if (r->csv_seen)
		return (RENDER_EMULTI);
	r->csv_seen = 1;
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(b, ',');
		name = cols[i].name != NULL ? cols[i].name : "";
		render_csv_field(b, name, strlen(name), 0);
	}
	buf_addc(b, '\n');
	return (out_maybe_flush(r->out));
}

/* Write one row. */
static int
render_csv_row(struct render *r, const struct result_cell *cells, size_t n)
{
	struct buf	*b = &r->out->buf;
	size_t		 i;

	for (i = 0; i < r->ncols; i++) {
		if (i > 0)
			buf_addc(b, ',');
		if (i < n)
			render_csv_field(b, cells[i].data, cells[i].len,
			    cells[i].isnull);
	}
	buf_addc(b, '\n');
	return (out_maybe_flush(r->out));
}

/* Errors go to stderr through the caller; deliver the statement's rows. */
static int
render_csv_statement_end(struct render *r, const struct stmt_outcome *o)
{
	(void)o;
	return (out_flush(r->out));
}

/* Deliver what is left. */
static int
render_csv_end(struct render *r, int exit_status)
{
	(void)exit_status;
	return (out_flush(r->out));
}

static const struct render_ops render_csv_ops = {
	render_csv_begin, render_csv_statement, render_csv_columns,
	render_csv_row, render_csv_statement_end, render_csv_end
};

/*
 * table
 */

/* Make room for n table cells. */
static void
render_table_reserve(struct render *r, size_t n)
{
	size_t	 cap;

	if (n <= r->cells_cap)
		return;
	cap = r->cells_cap != 0 ? r->cells_cap : 16;
	while (cap < n)
		cap *= 2;
	r->cells = xreallocarray(r->cells, cap, sizeof *r->cells);
	r->cells_cap = cap;
}

/* Escape a cell into b, recording where it went. */
static void
render_table_store(struct buf *b, struct table_cell *tc, const char *s,
    size_t len, int isnull)
{
	tc->off = b->len;
	if (isnull) {
		buf_add(b, "NULL", 4);
		tc->width = 4;
	} else
		tc->width = render_escape(b, s, len);
	tc->len = b->len - tc->off;
}

/* Escape a row's cells into b; missing cells are empty. */
static void
render_table_store_row(struct render *r, struct buf *b, struct table_cell *tc,
    const struct result_cell *cells, size_t n)
{
	size_t	 i;

	for (i = 0; i < r->ncols; i++) {
		if (i < n)
			render_table_store(b, &tc[i], cells[i].data,
			    cells[i].len, cells[i].isnull);
		else
			render_table_store(b, &tc[i], "", 0, 0);
	}
}

/* Start a statement's output, after a blank line if something came before. */
static void
render_table_open(struct render *r)
{
	if (r->printed)
		buf_addc(&r->out->buf, '\n');
	r->printed = 1;
}

/*
 * Append one line of ncols cells from base. Cells are padded to the column
 * widths (numbers right-aligned unless this is the header); padding at the
 * end of the line is left off.
 */
static void
render_table_line(struct render *r, const char *base,
    const struct table_cell *tc, int header)
{
	struct buf	*b = &r->out->buf;
	size_t		 i, keep, pad;
	int		 right;

	keep = b->len;
	for (i = 0; i < r->ncols; i++) {
		if (i > 0) {
			buf_addc(b, '|');
			keep = b->len;
		}
		buf_addc(b, ' ');
		pad = r->widths[i] > tc[i].width ?
		    r->widths[i] - tc[i].width : 0;
		right = !header && render_kind_numeric(r->kinds[i]);
		if (right)
			render_spaces(b, pad);
		buf_add(b, base + tc[i].off, tc[i].len);
		if (tc[i].len > 0)
			keep = b->len;
		if (!right)
			render_spaces(b, pad);
		buf_addc(b, ' ');
	}
	b->len = keep;
	buf_addc(b, '\n');
}

/* Append one row as a record (expanded): a header, a line per column. */
static void
render_table_record(struct render *r, const char *base,
    const struct table_cell *tc, long long recno)
{
	struct buf	*b = &r->out->buf;
	size_t		 i, namew = 0;

	for (i = 0; i < r->ncols; i++) {
		if (r->cells[i].width > namew)
			namew = r->cells[i].width;
	}
	buf_printf(b, "-[ RECORD %lld ]-\n", recno);
	for (i = 0; i < r->ncols; i++) {
		buf_add(b, r->arena.data + r->cells[i].off, r->cells[i].len);
		render_spaces(b, namew - r->cells[i].width);
		buf_adds(b, " | ");
		buf_add(b, base + tc[i].off, tc[i].len);
		buf_addc(b, '\n');
	}
}

/* Print the header, the rule under it and the sampled rows. */
static int
render_table_print_sample(struct render *r)
{
	struct buf	*b = &r->out->buf;
	size_t		 i, width = 0;

	/* Wider than the terminal: records instead (psql's \x auto). */
	for (i = 0; i < r->ncols; i++)
		width += r->widths[i] + 3;
	if (r->fit > 0 && width > r->fit + 1) {
		r->fitted = 1;
		render_table_open(r);
		for (i = 1; i <= r->nsample; i++) {
			render_table_record(r, r->arena.data,
			    r->cells + i * r->ncols, (long long)i);
			if (out_maybe_flush(r->out) != 0)
				return (-1);
		}
		return (0);
	}
	render_table_open(r);
	render_table_line(r, r->arena.data, r->cells, 1);
	for (i = 0; i < r->ncols; i++) {
		if (i > 0)
			buf_addc(b, '+');
		buf_reserve(b, r->widths[i] + 2);
		memset(b->data + b->len, '-', r->widths[i] + 2);
		b->len += r->widths[i] + 2;
	}
	buf_addc(b, '\n');
	if (out_maybe_flush(r->out) != 0)
		return (-1);
	for (i = 1; i <= r->nsample; i++) {
		render_table_line(r, r->arena.data, r->cells + i * r->ncols, 0);
		if (out_maybe_flush(r->out) != 0)
			return (-1);
	}
	return (0);
}

/* Forget the current statement's sample. */
static void
render_table_clear(struct render *r)
{
	r->nsample = 0;
	r->streaming = 0;
	r->fitted = 0;
	if (r->arena.cap > RENDER_KEEP_MAX)
		buf_free(&r->arena);
	else
		buf_reset(&r->arena);
	if (r->scratch.cap > RENDER_KEEP_MAX)
		buf_free(&r->scratch);
}

/* Nothing to do before the first statement. */
static int
render_table_begin(struct render *r)
{
	(void)r;
	return (0);
}

/* Start a statement. */
static int
render_table_statement(struct render *r, const char *sql, size_t len)
{
	(void)sql;
	(void)len;
	render_table_clear(r);
	return (0);
}

/* Keep the escaped column names; they set the first widths. */
static int
render_table_columns(struct render *r, const struct result_column *cols,
    size_t n)
{
	const char	*name;
	size_t		 i;

	render_table_clear(r);
	render_table_reserve(r, 2 * n);
	buf_reserve(&r->arena, 0);
	for (i = 0; i < n; i++) {
		name = cols[i].name != NULL ? cols[i].name : "";
		render_table_store(&r->arena, &r->cells[i], name, strlen(name),
		    0);
		r->widths[i] = r->cells[i].width;
	}
	return (0);
}

/*
 * Expanded output (psql's \x, MariaDB's \G): a row as a record header
 * and one line per column, printed as it comes.
 */
static int
render_table_row_expanded(struct render *r, const struct result_cell *cells,
    size_t n)
{
	struct table_cell	*tc;

	render_table_reserve(r, 2 * r->ncols);
	tc = r->cells + r->ncols;
	buf_reset(&r->scratch);
	buf_reserve(&r->scratch, 0);
	render_table_store_row(r, &r->scratch, tc, cells, n);
	if (r->nrows == 0)
		render_table_open(r);
	render_table_record(r, r->scratch.data, tc, r->nrows + 1);
	return (out_maybe_flush(r->out));
}

/* Sample a row, or print it once the sample is full. */
static int
render_table_row(struct render *r, const struct result_cell *cells, size_t n)
{
	struct table_cell	*tc;
	size_t			 i;

	if (r->expanded)
		return (render_table_row_expanded(r, cells, n));
	if (!r->streaming && r->nsample < RENDER_SAMPLE_ROWS) {
		r->nsample++;
		render_table_reserve(r, (r->nsample + 1) * r->ncols);
		tc = r->cells + r->nsample * r->ncols;
		render_table_store_row(r, &r->arena, tc, cells, n);
		for (i = 0; i < r->ncols; i++) {
			if (tc[i].width > r->widths[i])
				r->widths[i] = tc[i].width;
		}
		return (0);
	}
	if (!r->streaming) {
		if (render_table_print_sample(r) != 0)
			return (-1);
		r->streaming = 1;
	}

	/* The sample is out: cells[ncols..2*ncols) describe this row. */
	tc = r->cells + r->ncols;
	buf_reset(&r->scratch);
	buf_reserve(&r->scratch, 0);
	render_table_store_row(r, &r->scratch, tc, cells, n);
	if (r->fitted)
		render_table_record(r, r->scratch.data, tc, r->nrows + 1);
	else
		render_table_line(r, r->scratch.data, tc, 0);
	return (out_maybe_flush(r->out));
}

/* Print the rows and footer, or the command tag; nothing if it failed. */
static int
render_table_statement_end(struct render *r, const struct stmt_outcome *o)
{
	struct buf	*b = &r->out->buf;
	long long	 n = r->nrows;

	if (o->status != STMT_OK) {
		render_table_clear(r);
		return (out_flush(r->out));
	}
	if (r->has_columns) {
		if (r->expanded && n == 0)
			render_table_open(r);
		if (!r->expanded && !r->streaming &&
		    render_table_print_sample(r) != 0)
			return (-1);
		buf_printf(b, "(%lld row%s%s)\n", n, n == 1 ? "" : "s",
		    o->truncated ? ", truncated by MaxRows" : "");
		if (o->masked > 0)
			buf_printf(b, "(%lld value%s masked)\n", o->masked,
			    o->masked == 1 ? "" : "s");
	} else if (o->command != NULL && *o->command != '\0') {
		render_table_open(r);
		render_escape(b, o->command, strlen(o->command));
		buf_addc(b, '\n');
	}
	render_table_clear(r);
	return (out_flush(r->out));
}

/* Deliver what is left. */
static int
render_table_end(struct render *r, int exit_status)
{
	(void)exit_status;
	return (out_flush(r->out));
}

static const struct render_ops render_table_ops = {
	render_table_begin, render_table_statement, render_table_columns,
	render_table_row, render_table_statement_end, render_table_end
};

/*
 * json and ndjson: records are written straight into the out buffer, in
 * jansson's compact form (jsonout.c), member by member in a fixed order.
 */

/*
 * Append a JSON string of len bytes of s (NULL: empty). Invalid UTF-8 is
 * replaced byte by byte with U+FFFD so the document stays valid.
 */
static void
render_jstr(struct render *r, struct buf *b, const char *s, size_t len)
{
	const unsigned char	*p;
	size_t			 i, n;
	uint32_t		 cp;

	if (s == NULL) {
		s = "";
		len = 0;
	}
	p = (const unsigned char *)s;
	for (i = 0; i < len; i += n) {
		n = 1;
		if (p[i] >= 0x80 &&
		    (n = render_utf8_decode(p + i, len - i, &cp)) == 0)
			break;
	}
	if (i == len) {
		jsonout_string(b, s, len);
		return;
	}
	buf_reset(&r->jfix);
	buf_reserve(&r->jfix, len);
	buf_add(&r->jfix, s, i);
	for (; i < len; i += n) {
		if ((n = render_utf8_decode(p + i, len - i, &cp)) == 0) {
			buf_add(&r->jfix, "\xef\xbf\xbd", 3);
			n = 1;
		} else
			buf_add(&r->jfix, p + i, n);
	}
	jsonout_string(b, r->jfix.data, r->jfix.len);
	if (r->jfix.cap > RENDER_KEEP_MAX)
		buf_free(&r->jfix);
}

/* A JSON string of s, or null. */
static void
render_jstrz(struct render *r, struct buf *b, const char *s)
{
	if (s == NULL)
		buf_add(b, "null", 4);
	else
		render_jstr(r, b, s, strlen(s));
}

/* true or false. */
static void
render_jbool(struct buf *b, int v)
{
	if (v)
		buf_add(b, "true", 4);
	else
		buf_add(b, "false", 5);
}

/* Say whether c is an ASCII digit. */
static int
render_json_digit(char c)
{
	return (c >= '0' && c <= '9');
}

/*
 * Check that s is a JSON number (RFC 8259); with integer set, one without
 * fraction or exponent.
 */
static int
render_json_is_number(const char *s, size_t len, int integer)
{
	size_t	 i = 0, d;

	if (i < len && s[i] == '-')
		i++;
	if (i < len && s[i] == '0')
		i++;
	else if (i < len && s[i] >= '1' && s[i] <= '9') {
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	} else
		return (0);
	if (i == len)
		return (1);
	if (integer)
		return (0);
	if (s[i] == '.') {
		for (d = ++i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return (0);
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		for (d = i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return (0);
	}
	return (i == len);
}

/*
 * Where the space between a date (YYYY-MM-DD, the year maybe longer) and
 * a time is, or 0 if s does not start with a date, a space and a digit.
 */
static size_t
render_json_time_space(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len && render_json_digit(s[i]); i++)
		;
	if (i < 4 || len < i + 8 || s[i] != '-' ||
	    !render_json_digit(s[i + 1]) || !render_json_digit(s[i + 2]) ||
	    s[i + 3] != '-' ||
	    !render_json_digit(s[i + 4]) || !render_json_digit(s[i + 5]) ||
	    s[i + 6] != ' ' || !render_json_digit(s[i + 7]))
		return (0);
	return (i + 6);
}

/*
 * Count the significant digits of a JSON number's mantissa (at most one
 * too many). A decimal of up to 15 digits prints back exactly with %.15g.
 */
static size_t
render_json_sig_digits(const char *s, size_t len)
{
	size_t	 i, n = 0;

	for (i = 0; i < len && s[i] != 'e' && s[i] != 'E'; i++) {
		if (render_json_digit(s[i]) && (n > 0 || s[i] != '0'))
			n++;
	}
	return (n);
}

/* The fewest significant digits (15 to 17) that give d back exactly. */
static int
render_json_real_precision(double d)
{
	char	 t[64];
	int	 p;

	for (p = 15; p < 17; p++) {
		snprintf(t, sizeof t, "%.*g", p, d);
		if (strtod(t, NULL) == d)
			return (p);
	}
	return (17);
}

/*
 * A float cell as a number: 1 with *d and the precision *p it needs to
 * print exactly, or 0 if it is not a finite JSON number (then a string).
 */
static int
render_json_float(const struct result_cell *c, double *d, int *p)
{
	char	 t[128], *end;

	if (c->len >= sizeof t || !render_json_is_number(c->data, c->len, 0))
		return (0);
	memcpy(t, c->data, c->len);
	t[c->len] = '\0';
	errno = 0;
	*d = strtod(t, &end);
	if (*end != '\0' || !isfinite(*d) || (errno != 0 && *d == 0))
		return (0);
	*p = render_json_sig_digits(c->data, c->len) <= 15 ? 15 :
	    render_json_real_precision(*d);
	return (1);
}

/*
 * Append a cell of the given kind. A float that is a number is fval
 * (fok set), printed with prec digits: every real of a record shares one
 * precision, the largest any of them needs.
 */
static void
render_json_cell(struct render *r, struct buf *b, enum value_kind kind,
    const struct result_cell *c, double fval, int fok, int prec)
{
	char		 t[128], *end;
	long long	 ll;
	size_t		 i;

	if (c->isnull) {
		buf_add(b, "null", 4);
		return;
	}
	switch (kind) {
	case VALUE_INT:
		if (c->len >= sizeof t ||
		    !render_json_is_number(c->data, c->len, 1))
			break;
		memcpy(t, c->data, c->len);
		t[c->len] = '\0';
		errno = 0;
		ll = strtoll(t, &end, 10);
		if (errno != 0 || *end != '\0')
			break;
		jsonout_integer(b, ll);
		return;
	case VALUE_FLOAT:
		if (!fok)
			break;
		(void)jsonout_real(b, fval, prec);
		return;
	case VALUE_BOOL:
		if (c->len != 1)
			break;
		if (c->data[0] == 't' || c->data[0] == '1') {
			buf_add(b, "true", 4);
			return;
		}
		if (c->data[0] == 'f' || c->data[0] == '0') {
			buf_add(b, "false", 5);
			return;
		}
		break;
	case VALUE_TIME:
		if ((i = render_json_time_space(c->data, c->len)) == 0)
			break;
		buf_reset(&r->jtmp);
		buf_add(&r->jtmp, c->data, c->len);
		r->jtmp.data[i] = 'T';
		render_jstr(r, b, r->jtmp.data, r->jtmp.len);
		return;
	default:
		break;
	}
	render_jstr(r, b, c->data, c->len);
}

/* Append a row's values as an array. */
static void
render_json_values(struct render *r, struct buf *b,
    const struct result_cell *cells, size_t n)
{
	enum value_kind	 kind;
	size_t		 i;
	int		 prec = 0, p, floats = 0;

	/* The floats first: the row's precision is the largest needed. */
	for (i = 0; i < n && i < r->ncols; i++) {
		if (r->kinds[i] != VALUE_FLOAT)
			continue;
		if (!floats) {
			if (n > r->fcap) {
				r->fcap = n;
				r->fvals = xreallocarray(r->fvals, n,
				    sizeof *r->fvals);
				r->fok = xreallocarray(r->fok, n,
				    sizeof *r->fok);
			}
			memset(r->fok, 0, n * sizeof *r->fok);
			floats = 1;
		}
		if (!cells[i].isnull &&
		    render_json_float(&cells[i], &r->fvals[i], &p)) {
			r->fok[i] = 1;
			if (p > prec)
				prec = p;
		}
	}
	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(b, ',');
		kind = i < r->ncols ? r->kinds[i] : VALUE_TEXT;
		render_json_cell(r, b, kind, &cells[i], floats ?
		    r->fvals[i] : 0, floats ? r->fok[i] : 0, prec);
	}
	buf_addc(b, ']');
}

/* The columns array: name, database type, masked. */
static void
render_json_columns(struct render *r, struct buf *b,
    const struct result_column *cols, size_t n)
{
	size_t	 i;

	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		buf_adds(b, i > 0 ? ",{\"name\":" : "{\"name\":");
		render_jstrz(r, b, cols[i].name != NULL ? cols[i].name : "");
		buf_adds(b, ",\"type\":");
		render_jstrz(r, b, cols[i].type);
		buf_adds(b, ",\"masked\":");
		render_jbool(b, cols[i].masked);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

/* A count, or null when unknown. */
static void
render_jcount(struct buf *b, long long n)
{
	if (n < 0)
		buf_add(b, "null", 4);
	else
		jsonout_integer(b, n);
}

/*
 * Elapsed milliseconds, to the microsecond, with as many digits as give
 * the value back (the record's only real, so its precision is this one's).
 */
static void
render_jelapsed(struct buf *b, double ms)
{
	if (!isfinite(ms)) {
		buf_add(b, "null", 4);
		return;
	}
	if (ms >= 0 && ms < 1e12) {
		/* At most 15 digits: %.15g prints it back exactly. */
		jsonout_millis(b, (long long)(ms * 1000.0 + 0.5));
		return;
	}
	(void)jsonout_real(b, ms, render_json_real_precision(ms));
}

/* Add verdict, policy, rule and request id to a record. */
static void
render_json_put_policy(struct render *r, struct buf *b,
    const struct stmt_outcome *o)
{
	buf_adds(b, ",\"verdict\":");
	render_jstrz(r, b, o->verdict);
	buf_adds(b, ",\"policy\":");
	render_jstrz(r, b, o->policy);
	buf_adds(b, ",\"rule\":");
	render_jstrz(r, b, o->rule);
	buf_adds(b, ",\"verdict_message\":");
	render_jstrz(r, b, o->verdict_message);
	buf_adds(b, ",\"request_id\":");
	render_jstrz(r, b, o->request_id);
}

/* Add the warnings array to a record. */
static void
render_json_put_warnings(struct render *r, struct buf *b,
    const struct stmt_outcome *o)
{
	size_t	 i;

	buf_adds(b, ",\"warnings\":[");
	for (i = 0; i < o->nwarnings; i++) {
		if (i > 0)
			buf_addc(b, ',');
		render_jstrz(r, b, o->warnings[i]);
	}
	buf_addc(b, ']');
}

/* A statement's status, a name of ours. */
static void
render_jstatus(struct buf *b, enum stmt_status status)
{
	const char	*s = stmt_status_name(status);

	jsonout_string(b, s, strlen(s));
}

/* Open the document: format, session, target, user, statements. */
static int
render_json_begin(struct render *r)
{
	struct buf	*b = &r->out->buf;

	buf_adds(b, "{\"format\":\"dbgate.exec.v1\",\"session\":");
	render_jstrz(r, b, r->session_id);
	buf_adds(b, ",\"target\":");
	render_jstrz(r, b, r->target);
	buf_adds(b, ",\"user\":");
	render_jstrz(r, b, r->user);
	buf_adds(b, ",\"statements\":[");
	return (out_maybe_flush(r->out));
}

/* Open a statement object: index and SQL. */
static int
render_json_statement(struct render *r, const char *sql, size_t len)
{
	struct buf	*b = &r->out->buf;

	buf_adds(b, r->stmt > 1 ? ",\n{\"index\":" : "\n{\"index\":");
	jsonout_integer(b, (long long)r->stmt);
	buf_adds(b, ",\"sql\":");
	render_jstr(r, b, sql, len);
	return (out_maybe_flush(r->out));
}

/* Write the columns and open the rows array. */
static int
render_json_columns_begin(struct render *r, const struct result_column *cols,
    size_t n)
{
	struct buf	*b = &r->out->buf;

	buf_adds(b, ",\"columns\":");
	render_json_columns(r, b, cols, n);
	buf_adds(b, ",\"rows\":[");
	return (out_maybe_flush(r->out));
}

/* Write one row as an array. */
static int
render_json_row(struct render *r, const struct result_cell *cells, size_t n)
{
	struct buf	*b = &r->out->buf;

	if (r->nrows > 0)
		buf_addc(b, ',');
	render_json_values(r, b, cells, n);
	return (out_maybe_flush(r->out));
}

/* Close the rows and the statement object with its outcome. */
static int
render_json_statement_end(struct render *r, const struct stmt_outcome *o)
{
	struct buf	*b = &r->out->buf;

	if (r->has_columns)
		buf_addc(b, ']');
	buf_adds(b, ",\"status\":");
	render_jstatus(b, o->status);
	buf_adds(b, ",\"command\":");
	render_jstrz(r, b, o->command);
	if (r->has_columns) {
		buf_adds(b, ",\"row_count\":");
		jsonout_integer(b, r->nrows);
	} else {
		buf_adds(b, ",\"rows_affected\":");
		render_jcount(b, o->rows);
	}
	buf_adds(b, ",\"truncated\":");
	render_jbool(b, o->truncated);
	buf_adds(b, ",\"masked_values\":");
	jsonout_integer(b, o->masked);
	render_json_put_policy(r, b, o);
	buf_adds(b, ",\"sqlstate\":");
	render_jstrz(r, b, o->sqlstate);
	buf_adds(b, ",\"message\":");
	render_jstrz(r, b, o->message);
	render_json_put_warnings(r, b, o);
	buf_adds(b, ",\"elapsed_ms\":");
	render_jelapsed(b, o->elapsed_ms);
	buf_addc(b, '}');
	return (out_flush(r->out));
}

/* Close the document with the exit status. */
static int
render_json_end(struct render *r, int exit_status)
{
	struct buf	*b = &r->out->buf;

	buf_adds(b, "\n],\"exit_status\":");
	jsonout_integer(b, exit_status);
	buf_add(b, "}\n", 2);
	return (out_flush(r->out));
}

static const struct render_ops render_json_ops = {
	render_json_begin, render_json_statement, render_json_columns_begin,
	render_json_row, render_json_statement_end, render_json_end
};

/* Nothing to do before the first statement. */
static int
render_ndjson_begin(struct render *r)
{
	(void)r;
	return (0);
}

/* Keep the statement's text for its columns record. */
static int
render_ndjson_statement(struct render *r, const char *sql, size_t len)
{
	buf_reset(&r->sql);
	buf_add(&r->sql, sql, len);
	return (0);
}

/* Write the columns record. */
static int
render_ndjson_columns(struct render *r, const struct result_column *cols,
    size_t n)
{
	struct buf	*b = &r->out->buf;

	buf_adds(b, "{\"type\":\"columns\",\"statement\":");
	jsonout_integer(b, (long long)r->stmt);
	buf_adds(b, ",\"sql\":");
	render_jstr(r, b, r->sql.data, r->sql.len);
	buf_adds(b, ",\"columns\":");
	render_json_columns(r, b, cols, n);
	buf_add(b, "}\n", 2);

	/* Every row record of this statement starts the same way. */
	buf_reset(&r->rowhead);
	buf_adds(&r->rowhead, "{\"type\":\"row\",\"statement\":");
	jsonout_integer(&r->rowhead, (long long)r->stmt);
	buf_adds(&r->rowhead, ",\"values\":");
	return (out_maybe_flush(r->out));
}

/* Write a row record. */
static int
render_ndjson_row(struct render *r, const struct result_cell *cells, size_t n)
{
	struct buf	*b = &r->out->buf;

	buf_add(b, r->rowhead.data, r->rowhead.len);
	render_json_values(r, b, cells, n);
	buf_add(b, "}\n", 2);
	return (out_maybe_flush(r->out));
}

/* Write the result record, or the error record if it did not succeed. */
static int
render_ndjson_statement_end(struct render *r, const struct stmt_outcome *o)
{
	struct buf	*b = &r->out->buf;

	buf_adds(b, o->status == STMT_OK ?
	    "{\"type\":\"result\",\"statement\":" :
	    "{\"type\":\"error\",\"statement\":");
	jsonout_integer(b, (long long)r->stmt);
	buf_adds(b, ",\"status\":");
	render_jstatus(b, o->status);
	if (o->status == STMT_OK) {
		buf_adds(b, ",\"command\":");
		render_jstrz(r, b, o->command);
		if (r->has_columns) {
			buf_adds(b, ",\"row_count\":");
			jsonout_integer(b, r->nrows);
		} else {
			buf_adds(b, ",\"rows_affected\":");
			render_jcount(b, o->rows);
		}
		buf_adds(b, ",\"truncated\":");
		render_jbool(b, o->truncated);
		buf_adds(b, ",\"masked_values\":");
		jsonout_integer(b, o->masked);
		render_json_put_policy(r, b, o);
		render_json_put_warnings(r, b, o);
		buf_adds(b, ",\"elapsed_ms\":");
		render_jelapsed(b, o->elapsed_ms);
	} else {
		buf_adds(b, ",\"sqlstate\":");
		render_jstrz(r, b, o->sqlstate);
		buf_adds(b, ",\"message\":");
		render_jstrz(r, b, o->message);
		render_json_put_policy(r, b, o);
		render_json_put_warnings(r, b, o);
	}
	buf_add(b, "}\n", 2);
	if (r->sql.cap > RENDER_KEEP_MAX)
		buf_free(&r->sql);
	return (out_flush(r->out));
}

/* Write the end record. */
static int
render_ndjson_end(struct render *r, int exit_status)
{
	struct buf	*b = &r->out->buf;

	buf_adds(b, "{\"type\":\"end\",\"format\":\"dbgate.ndjson.v1\","
	    "\"session\":");
	render_jstrz(r, b, r->session_id);
	buf_adds(b, ",\"target\":");
	render_jstrz(r, b, r->target);
	buf_adds(b, ",\"exit_status\":");
	jsonout_integer(b, exit_status);
	buf_add(b, "}\n", 2);
	return (out_flush(r->out));
}

static const struct render_ops render_ndjson_ops = {
	render_ndjson_begin, render_ndjson_statement, render_ndjson_columns,
	render_ndjson_row, render_ndjson_statement_end, render_ndjson_end
};

/*
 * The driver.
 */

static const struct {
	const char		*name;
	enum render_format	 format;
	const struct render_ops	*ops;
} render_formats[] = {
	{ "table", RENDER_TABLE, &render_table_ops },
	{ "csv", RENDER_CSV, &render_csv_ops },
	{ "json", RENDER_JSON, &render_json_ops },
	{ "ndjson", RENDER_NDJSON, &render_ndjson_ops },
};

/* Return a new renderer writing to out; the caller frees it. */
struct render *
render_new(enum render_format format, struct out *out,
    const struct render_info *info)
{
	struct render	*r;
	size_t		 i;

	r = xcalloc(1, sizeof *r);
	r->format = format;
	r->ops = &render_table_ops;
	for (i = 0; i < nitems(render_formats); i++) {
		if (render_formats[i].format == format)
			r->ops = render_formats[i].ops;
	}
	r->out = out;
	if (info != NULL) {
		if (info->target != NULL)
			r->target = xstrdup(info->target);
		if (info->session_id != NULL)
			r->session_id = xstrdup(info->session_id);
		if (info->user != NULL)
			r->user = xstrdup(info->user);
	}
	buf_init(&r->arena);
	buf_init(&r->scratch);
	buf_init(&r->sql);
	buf_init(&r->jfix);
	buf_init(&r->jtmp);
	buf_init(&r->rowhead);
	return (r);
}

/*
 * Table output for a terminal this many columns wide (0: any width): a
 * result whose sampled rows would not fit is shown as records.
 */
void
render_set_fit(struct render *r, size_t cols)
{
	r->fit = cols;
}

/* Table output: show each row as one line per column, or not. */
void
render_set_expanded(struct render *r, int on)
{
	r->expanded = on;
}

/* Free a renderer; NULL is fine. The out stream is left alone. */
void
render_free(struct render *r)
{
	if (r == NULL)
		return;
	free(r->target);
	free(r->session_id);
	free(r->user);
	free(r->kinds);
	free(r->widths);
	free(r->cells);
	buf_free(&r->arena);
	buf_free(&r->scratch);
	buf_free(&r->sql);
	buf_free(&r->jfix);
	buf_free(&r->jtmp);
	buf_free(&r->rowhead);
	free(r->fvals);
	free(r->fok);
	free(r);
}

/* Start the output. */
int
render_begin(struct render *r)
{
	if (r->out->failed)
		return (-1);
	return (r->ops->begin(r));
}

/* Start a statement. */
int
render_statement(struct render *r, const char *sql, size_t len)
{
	if (r->out->failed)
		return (-1);
	r->stmt++;
	r->has_columns = 0;
	r->ncols = 0;
	r->nrows = 0;
	return (r->ops->statement(r, sql != NULL ? sql : "", len));
}

/* Give the current statement's columns. */
int
render_columns(struct render *r, const struct result_column *cols, size_t n)
{
	size_t	 i;
	int	 rv;

	if (r->out->failed)
		return (-1);
	if (n > r->cols_cap) {
		r->kinds = xreallocarray(r->kinds, n, sizeof *r->kinds);
		r->widths = xreallocarray(r->widths, n, sizeof *r->widths);
		r->cols_cap = n;
	}
	for (i = 0; i < n; i++)
		r->kinds[i] = cols[i].kind;
	r->ncols = n;
	r->nrows = 0;
	r->has_columns = 0;
	if ((rv = r->ops->columns(r, cols, n)) != 0)
		return (rv);
	r->has_columns = 1;
	return (0);
}

/* Give one row of the current statement (ignored if it has no columns). */
int
render_row(struct render *r, const struct result_cell *cells, size_t n)
{
	int	 rv;

	if (r->out->failed)
		return (-1);
	if (!r->has_columns)
		return (0);
	rv = r->ops->row(r, cells, n);
	r->nrows++;
	return (rv);
}

/* End the current statement with its outcome. */
int
render_statement_end(struct render *r, const struct stmt_outcome *o)
{
	int	 rv;

	if (r->out->failed)
		return (-1);
	rv = r->ops->statement_end(r, o);
	r->has_columns = 0;
	return (rv);
}

/* End the output with the exit status and deliver everything. */
int
render_end(struct render *r, int exit_status)
{
	if (r->out->failed)
		return (-1);
	return (r->ops->end(r, exit_status));
}
