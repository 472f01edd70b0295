/*
 * test-render.c: the output stream and the four renderers. CSV and table
 * output is compared with text written by hand; JSON and ndjson output is
 * parsed back with jansson (and jq when it is installed) and checked field
 * by field.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "dbgate.h"
#include "render.h"
#include "tap.h"

/* Where a test's flushes go. */
struct capture {
	struct buf	 b;
	int		 nflush;
	int		 fail;		/* flushes fail */
};

/* A flush that appends to the capture buffer (or fails). */
static int
capture_flush(struct out *o, const char *p, size_t n)
{
	struct capture	*c = o->arg;

	c->nflush++;
	if (c->fail)
		return (-1);
	buf_add(&c->b, p, n);
	return (0);
}

/* One statement to drive through a renderer. */
struct fake_stmt {
	const char			*sql;
	const struct result_column	*cols;	/* NULL: no result set */
	size_t				 ncols;
	const char *const		*cells;	/* nrows x ncols, NULL = NULL */
	size_t				 nrows;
	struct stmt_outcome		 o;
	int				 columns_rv;	/* expected */
};

static const struct render_info info = { "prod", "S1", "alice" };

/* An outcome with the given status and nothing else. */
static struct stmt_outcome
outcome(enum stmt_status status, const char *command, long long rows)
{
	struct stmt_outcome	 o;

	memset(&o, 0, sizeof o);
	o.status = status;
	o.command = command;
	o.rows = rows;
	o.verdict = "allow";
	o.policy = "builtin";
	return (o);
}

/*
 * Run statements through a renderer of the given format and return what
 * was delivered (NUL-terminated, caller frees). Every call's return value
 * is checked; *ok is cleared if one is not as expected.
 */
static char *
run(enum render_format format, const struct fake_stmt *st, size_t nst,
    int exit_status, int *ok)
{
	struct capture		 cap;
	struct out		 out;
	struct render		*r;
	struct result_cell	 row[16];
	size_t			 i, j, k;
	const char		*s;
	char			*text;
	int			 rv;

	*ok = 1;
	memset(&cap, 0, sizeof cap);
	buf_init(&cap.b);
	out_init(&out, capture_flush, &cap);
	r = render_new(format, &out, &info);
	if (render_begin(r) != 0)
		*ok = 0;
	for (i = 0; i < nst; i++) {
		if (render_statement(r, st[i].sql, strlen(st[i].sql)) != 0)
			*ok = 0;
		if (st[i].cols != NULL) {
			rv = render_columns(r, st[i].cols, st[i].ncols);
			if (rv != st[i].columns_rv)
				*ok = 0;
			if (rv != 0)
				break;
			for (j = 0; j < st[i].nrows; j++) {
				for (k = 0; k < st[i].ncols; k++) {
					s = st[i].cells[j * st[i].ncols + k];
					row[k].data = s;
					row[k].len = s != NULL ? strlen(s) : 0;
					row[k].isnull = s == NULL;
				}
				if (render_row(r, row, st[i].ncols) != 0)
					*ok = 0;
			}
		}
		if (render_statement_end(r, &st[i].o) != 0)
			*ok = 0;
	}
	if (render_end(r, exit_status) != 0)
		*ok = 0;
	if (out.buf.len != 0)
		*ok = 0;	/* render_end must deliver everything */
	render_free(r);
	out_free(&out);
	text = xstrdup(buf_cstr(&cap.b));
	buf_free(&cap.b);
	return (text);
}

/* Check that text parses with jq, when jq is installed. */
static void
check_jq(const char *text, const char *what)
{
	int	 fd[2], status;
	pid_t	 pid;
	size_t	 len = strlen(text), off = 0;
	ssize_t	 n;

	if (access("/usr/bin/jq", X_OK) != 0) {
		tap_ok(1, "# SKIP jq not installed: %s", what);
		return;
	}
	if (pipe(fd) != 0 || (pid = fork()) == -1) {
		tap_ok(0, "jq: pipe or fork failed: %s", what);
		return;
	}
	if (pid == 0) {
		dup2(fd[0], 0);
		close(fd[0]);
		close(fd[1]);
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		execl("/usr/bin/jq", "jq", "-e", ".", (char *)NULL);
		_exit(127);
	}
	close(fd[0]);
	while (off < len && (n = write(fd[1], text + off, len - off)) > 0)
		off += (size_t)n;
	close(fd[1]);
	waitpid(pid, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "jq parses: %s", what);
}

/*
 * render_escape
 */

struct escape_case {
	const char	*name;
	const char	*in;
	size_t		 len;	/* 0: strlen */
	const char	*want;
	size_t		 width;
};

static const struct escape_case escape_cases[] = {
	{ "plain", "hello", 0, "hello", 5 },
	{ "empty", "", 0, "", 0 },
	{ "ESC sequence", "\x1b[31mred", 0, "\\x1B[31mred", 11 },
	{ "tab newline CR", "a\tb\nc\rd", 0, "a\\tb\\nc\\rd", 10 },
	{ "backslash", "a\\b", 0, "a\\\\b", 4 },
	{ "DEL", "\x7f", 0, "\\x7F", 4 },
	{ "NUL", "a\0b", 3, "a\\x00b", 6 },
	{ "BEL and backspace", "\x07\x08", 0, "\\x07\\x08", 8 },
	{ "bidi RLO U+202E", "ab\xe2\x80\xaeZ", 0, "ab\\u{202E}Z", 11 },
	{ "bidi isolate U+2066", "\xe2\x81\xa6", 0, "\\u{2066}", 8 },
	{ "RLM U+200F", "\xe2\x80\x8f", 0, "\\u{200F}", 8 },
	{ "arabic mark U+061C", "\xd8\x9c", 0, "\\u{061C}", 8 },
	{ "zero width space U+200B", "a\xe2\x80\x8b" "b", 0,
	    "a\\u{200B}b", 10 },
	{ "word joiner U+2060", "\xe2\x81\xa0", 0, "\\u{2060}", 8 },
	{ "BOM U+FEFF", "\xef\xbb\xbf", 0, "\\u{FEFF}", 8 },
	{ "C1 NEL U+0085", "\xc2\x85", 0, "\\u{0085}", 8 },
	{ "C1 CSI U+009B", "\xc2\x9b" "31m", 0, "\\u{009B}31m", 11 },
	{ "latin-1 letters pass", "h\xc3\xa9llo", 0, "h\xc3\xa9llo", 5 },
	{ "NBSP U+00A0 passes", "\xc2\xa0", 0, "\xc2\xa0", 1 },
	{ "emoji passes", "\xf0\x9f\x98\x80", 0, "\xf0\x9f\x98\x80", 1 },
	{ "invalid byte", "a\xff" "b", 0, "a\\xFFb", 6 },
	{ "truncated sequence", "\xe2\x80", 0, "\\xE2\\x80", 8 },
	{ "overlong slash", "\xc0\xaf", 0, "\\xC0\\xAF", 8 },
	{ "surrogate", "\xed\xa0\x80", 0, "\\xED\\xA0\\x80", 12 },
	{ "above U+10FFFF", "\xf4\x90\x80\x80", 0,
	    "\\xF4\\x90\\x80\\x80", 16 },
	{ "lone continuation", "\x80", 0, "\\x80", 4 },
};

/* Check render_escape against the cases above. */
static void
test_escape(void)
{
	struct buf	 b;
	size_t		 i, w, len;

	for (i = 0; i < nitems(escape_cases); i++) {
		const struct escape_case *c = &escape_cases[i];

		buf_init(&b);
		len = c->len != 0 ? c->len : strlen(c->in);
		w = render_escape(&b, c->in, len);
		tap_is(buf_cstr(&b), c->want, "escape: %s", c->name);
		tap_ok(w == c->width, "escape width: %s (%zu, want %zu)",
		    c->name, w, c->width);
		buf_free(&b);
	}

	/* It appends. */
	buf_init(&b);
	buf_adds(&b, "x=");
	render_escape(&b, "\x1b", 1);
	tap_is(buf_cstr(&b), "x=\\x1B", "escape appends");
	buf_free(&b);
}

/*
 * out
 */

/* Flushing: thresholds and failure. */
static void
test_out(void)
{
	struct capture		 cap;
	struct out		 out;
	struct render		*r;
	struct result_column	 col = { "v", "text", VALUE_TEXT, 0, 0, 0,
				    NULL, NULL, NULL };
	struct result_cell	 cell = { "x", 1, 0 };
	char			 big[1000];
	int			 i, rv, calls;

	memset(&cap, 0, sizeof cap);
	buf_init(&cap.b);
	out_init(&out, capture_flush, &cap);
	buf_adds(&out.buf, "small");
	tap_ok(out_maybe_flush(&out) == 0 && cap.nflush == 0,
	    "out_maybe_flush keeps a small buffer");
	tap_ok(out_flush(&out) == 0 && cap.nflush == 1 && out.buf.len == 0,
	    "out_flush delivers");
	tap_ok(out_flush(&out) == 0 && cap.nflush == 1,
	    "out_flush with nothing buffered does not call flush");
	memset(big, 'a', sizeof big);
	for (i = 0; i < (int)(OUT_FLUSH_AT / sizeof big + 6); i++)
		buf_add(&out.buf, big, sizeof big);
	tap_ok(out_maybe_flush(&out) == 0 && cap.nflush == 2 &&
	    cap.b.len == 5 + (OUT_FLUSH_AT / sizeof big + 6) * sizeof big,
	    "out_maybe_flush past OUT_FLUSH_AT");

	cap.fail = 1;
	buf_adds(&out.buf, "lost");
	tap_ok(out_flush(&out) == -1 && out.failed,
	    "a failed flush returns -1 and sets failed");
	calls = cap.nflush;
	buf_adds(&out.buf, "more");
	tap_ok(out_flush(&out) == -1 && out_maybe_flush(&out) == -1 &&
	    cap.nflush == calls, "after failure, no more flush calls");
	out_free(&out);

	/* A renderer stops once its stream failed. */
	buf_reset(&cap.b);
	cap.fail = 1;
	cap.nflush = 0;
	out_init(&out, capture_flush, &cap);
	r = render_new(RENDER_CSV, &out, &info);
	render_begin(r);
	render_statement(r, "SELECT", 6);
	render_columns(r, &col, 1);
	rv = 0;
	for (i = 0; i < 200000 && rv == 0; i++)
		rv = render_row(r, &cell, 1);
	tap_ok(rv == -1 && out.failed && cap.nflush == 1,
	    "csv render_row returns -1 after the flush failed (%d rows)", i);
	tap_ok(render_row(r, &cell, 1) == -1 && cap.nflush == 1,
	    "later rows fail without flushing");
	tap_ok(render_end(r, 0) == -1, "render_end fails too");
	render_free(r);
	out_free(&out);
	buf_free(&cap.b);

	tap_ok(render_format_parse("ndjson", &(enum render_format){ 0 }) == 0,
	    "format ndjson parses");
	{
		enum render_format	 f = RENDER_JSON;

		tap_ok(render_format_parse("csv", &f) == 0 && f == RENDER_CSV,
		    "format csv");
		tap_ok(render_format_parse("table", &f) == 0 &&
		    f == RENDER_TABLE, "format table");
		tap_ok(render_format_parse("xml", &f) == -1 &&
		    f == RENDER_TABLE, "unknown format refused, f untouched");
		tap_is(render_format_name(RENDER_NDJSON), "ndjson",
		    "format name");
	}
	tap_is(stmt_status_name(STMT_APPROVAL), "approval-required",
	    "status name approval");
	tap_is(stmt_status_name(STMT_REFUSED), "refused",
	    "status name refused");
}

/*
 * csv
 */

static const struct result_column csv_cols[] = {
	{ "id", "int4", VALUE_INT, 0, 0, 0, NULL, NULL, NULL },
	{ "a,b", "text", VALUE_TEXT, 0, 0, 0, NULL, NULL, NULL },
	{ "note", "text", VALUE_TEXT, 0, 0, 0, NULL, NULL, NULL },
};
static const char *const csv_cells[] = {
	"1", "plain", NULL,
	"2", "", "x",
	"3", "a,b", "say \"hi\"",
	"4", " lead", "trail ",
	"5", "line\nbreak", "cr\rhere",
	"6", "in side", "\x1b[31m\\",
};

/* CSV: quoting, NULL versus empty, several statements. */
static void
test_csv(void)
{
	struct fake_stmt	 st[3];
	char			*got;
	int			 ok;

	memset(st, 0, sizeof st);
	st[0].sql = "SELECT * FROM t";
	st[0].cols = csv_cols;
	st[0].ncols = 3;
	st[0].cells = csv_cells;
	st[0].nrows = 6;
	st[0].o = outcome(STMT_OK, "SELECT 6", 6);
	got = run(RENDER_CSV, st, 1, 0, &ok);
	tap_ok(ok, "csv: calls succeed");
	tap_is(got,
	    "id,\"a,b\",note\n"
	    "1,plain,\n"
	    "2,\"\",x\n"
	    "3,\"a,b\",\"say \"\"hi\"\"\"\n"
	    "4,\" lead\",\"trail \"\n"
	    "5,\"line\nbreak\",\"cr\rhere\"\n"
	    "6,in side,\x1b[31m\\\n",
	    "csv: quoting, NULL and empty string differ");
	free(got);

	/* A statement without columns prints nothing. */
	st[0].sql = "INSERT INTO t VALUES (1)";
	st[0].cols = NULL;
	st[0].o = outcome(STMT_OK, "INSERT 0 1", 1);
	st[1].sql = "SELECT * FROM t";
	st[1].cols = csv_cols;
	st[1].ncols = 3;
	st[1].cells = csv_cells;
	st[1].nrows = 1;
	st[1].o = outcome(STMT_OK, "SELECT 1", 1);
	got = run(RENDER_CSV, st, 2, 0, &ok);
	tap_ok(ok, "csv: insert then select");
	tap_is(got, "id,\"a,b\",note\n1,plain,\n",
	    "csv: statement without columns prints nothing");
	free(got);

	/* A second result set is refused. */
	st[2] = st[1];
	st[2].columns_rv = RENDER_EMULTI;
	got = run(RENDER_CSV, st, 3, 0, &ok);
	tap_ok(ok, "csv: second result set gets RENDER_EMULTI");
	tap_is(got, "id,\"a,b\",note\n1,plain,\n",
	    "csv: nothing of the second result set is written");
	free(got);

	/* Zero rows: the header alone. */
	st[0] = st[1];
	st[0].nrows = 0;
	got = run(RENDER_CSV, st, 1, 0, &ok);
	tap_is(got, "id,\"a,b\",note\n", "csv: zero rows");
	free(got);
}

/*
 * table
 */

static const struct result_column tbl_cols[] = {
	{ "id", "int4", VALUE_INT, 0, 0, 0, NULL, NULL, NULL },
	{ "name", "text", VALUE_TEXT, 0, 0, 0, NULL, NULL, NULL },
	{ "email", "text", VALUE_TEXT, 0, 0, 0, NULL, NULL, NULL },
};
static const char *const tbl_cells[] = {
	"1", "Alice", "alice@example.com",
	"2", NULL, "",
};

static const struct result_column num_cols[] = {
	{ "i", "int4", VALUE_INT, 0, 0, 0, NULL, NULL, NULL },
	{ "big", "numeric", VALUE_BIGNUM, 0, 0, 0, NULL, NULL, NULL },
	{ "f", "float8", VALUE_FLOAT, 0, 0, 0, NULL, NULL, NULL },
	{ "t", "text", VALUE_TEXT, 0, 0, 0, NULL, NULL, NULL },
	{ "d", "timestamp", VALUE_TIME, 0, 0, 0, NULL, NULL, NULL },
};
static const char *const num_cells[] = {
	"7", "12345678901234567890", "1.5", "x", "2024-01-02 03:04:05",
	"-100", "0", NULL, "long text", NULL,
	NULL, "3.25", "NaN", "", "2024-01-02",
};

static const struct result_column esc_cols[] = {
	{ "a\x1b" "b", "text", VALUE_TEXT, 0, 0, 0, NULL, NULL, NULL },
	{ "v", "text", VALUE_TEXT, 0, 0, 0, NULL, NULL, NULL },
};
static const char *const esc_cells[] = {
	"\xe2\x80\xae" "evil", "a\\b",
	"z\xe2\x80\x8bw", "\xc2\x9b" "1\xff",
};

/* Table: layout, alignment, escapes, footers, several statements. */
static void
test_table(void)
{
	struct fake_stmt	 st[5];
	char			*got;
	int			 ok;

	memset(st, 0, sizeof st);
	st[0].sql = "SELECT id, name, email FROM customers";
	st[0].cols = tbl_cols;
	st[0].ncols = 3;
	st[0].cells = tbl_cells;
	st[0].nrows = 2;
	st[0].o = outcome(STMT_OK, "SELECT 2", 2);
	got = run(RENDER_TABLE, st, 1, 0, &ok);
	tap_ok(ok, "table: calls succeed");
	tap_is(got,
	    " id | name  | email\n"
	    "----+-------+-------------------\n"
	    "  1 | Alice | alice@example.com\n"
	    "  2 | NULL  |\n"
	    "(2 rows)\n",
	    "table: the basic layout");
	free(got);

	/* One row, truncated. */
	st[0].nrows = 1;
	st[0].o.truncated = 1;
	got = run(RENDER_TABLE, st, 1, 0, &ok);
	tap_is(got,
	    " id | name  | email\n"
	    "----+-------+-------------------\n"
	    "  1 | Alice | alice@example.com\n"
	    "(1 row, truncated by MaxRows)\n",
	    "table: one row, truncated");
	free(got);

	/* Zero rows. */
	st[0].nrows = 0;
	st[0].o.truncated = 0;
	got = run(RENDER_TABLE, st, 1, 0, &ok);
	tap_is(got,
	    " id | name | email\n"
	    "----+------+-------\n"
	    "(0 rows)\n",
	    "table: zero rows");
	free(got);

	/* Numbers right-aligned (NULL too), the rest left. */
	memset(st, 0, sizeof st);
	st[0].sql = "SELECT ...";
	st[0].cols = num_cols;
	st[0].ncols = 5;
	st[0].cells = num_cells;
	st[0].nrows = 3;
	st[0].o = outcome(STMT_OK, "SELECT 3", 3);
	st[0].o.truncated = 1;
	got = run(RENDER_TABLE, st, 1, 0, &ok);
	tap_is(got,
	    " i    | big                  | f    | t         | d\n"
	    "------+----------------------+------+-----------+"
	    "---------------------\n"
	    "    7 | 12345678901234567890 |  1.5 | x         |"
	    " 2024-01-02 03:04:05\n"
	    " -100 |                    0 | NULL | long text | NULL\n"
	    " NULL |                 3.25 |  NaN |           | 2024-01-02\n"
	    "(3 rows, truncated by MaxRows)\n",
	    "table: alignment by kind");
	free(got);

	/* Escapes in names and cells; widths count the escaped text. */
	memset(st, 0, sizeof st);
	st[0].sql = "SELECT";
	st[0].cols = esc_cols;
	st[0].ncols = 2;
	st[0].cells = esc_cells;
	st[0].nrows = 2;
	st[0].o = outcome(STMT_OK, "SELECT 2", 2);
	got = run(RENDER_TABLE, st, 1, 0, &ok);
	tap_is(got,
	    " a\\x1Bb       | v\n"
	    "--------------+---------------\n"
	    " \\u{202E}evil | a\\\\b\n"
	    " z\\u{200B}w   | \\u{009B}1\\xFF\n"
	    "(2 rows)\n",
	    "table: escapes");
	free(got);

	/* Several statements: tags, a failure, blank lines between. */
	memset(st, 0, sizeof st);
	st[0].sql = "INSERT";
	st[0].o = outcome(STMT_OK, "INSERT 0 1", 1);
	st[1].sql = "SELECT 1 AS n";
	st[1].cols = num_cols;
	st[1].ncols = 1;
	st[1].cells = num_cells;
	st[1].nrows = 1;
	st[1].o = outcome(STMT_OK, "SELECT 1", 1);
	st[2].sql = "DROP TABLE t";
	st[2].o = outcome(STMT_DENIED, NULL, -1);
	st[2].o.message = "denied by policy";
	st[3] = st[1];
	st[3].o = outcome(STMT_ERROR, NULL, -1);
	st[4].sql = "UPDATE";
	st[4].o = outcome(STMT_OK, "UPDATE 2\x1b]0;x\x07", 2);
	got = run(RENDER_TABLE, st, 5, 0, &ok);
	tap_ok(ok, "table: several statements");
	tap_is(got,
	    "INSERT 0 1\n"
	    "\n"
	    " i\n"
	    "---\n"
	    " 7\n"
	    "(1 row)\n"
	    "\n"
	    "UPDATE 2\\x1B]0;x\\x07\n",
	    "table: tags, blank lines, failures print nothing");
	free(got);

	/* No statements at all. */
	got = run(RENDER_TABLE, st, 0, 0, &ok);
	tap_is(got, "", "table: no statements, no output");
	free(got);
}

/* Table: a large result streams after a bounded sample. */
static void
test_table_large(void)
{
	static const struct result_column cols[] = {
		{ "n", "int4", VALUE_INT, 0, 0, 0, NULL, NULL, NULL },
		{ "v", "text", VALUE_TEXT, 0, 0, 0, NULL, NULL, NULL },
	};
	struct stmt_outcome	 o = outcome(STMT_OK, "SELECT 100000", 100000);
	struct capture		 cap;
	struct out		 out;
	struct render		*r;
	struct result_cell	 row[2];
	char			 num[32], *text, *p, *line;
	size_t			 maxbuf = 0, before_end, lines;
	int			 i, n, ok = 1, empty_at_1000 = 0;
	int			 out_at_1001 = 0;

	memset(&cap, 0, sizeof cap);
	buf_init(&cap.b);
	out_init(&out, capture_flush, &cap);
	r = render_new(RENDER_TABLE, &out, &info);
	render_begin(r);
	render_statement(r, "SELECT", 6);
	render_columns(r, cols, 2);
	for (i = 1; i <= 100000; i++) {
		n = snprintf(num, sizeof num, "%d", i);
		row[0].data = num;
		row[0].len = (size_t)n;
		row[0].isnull = 0;
		row[1].data = "v";
		row[1].len = 1;
		row[1].isnull = 0;
		if (render_row(r, row, 2) != 0)
			ok = 0;
		if (i == 1000)
			empty_at_1000 = out.buf.len == 0 && cap.b.len == 0;
		if (i == 1001)
			out_at_1001 = out.buf.len > 0;
		if (out.buf.len > maxbuf)
			maxbuf = out.buf.len;
	}
	before_end = cap.b.len;
	if (render_statement_end(r, &o) != 0 || render_end(r, 0) != 0)
		ok = 0;
	render_free(r);
	out_free(&out);
	tap_ok(ok, "table large: calls succeed");
	tap_ok(empty_at_1000, "table large: 1000 rows are only sampled");
	tap_ok(out_at_1001, "table large: row 1001 starts the output");
	tap_ok(before_end > 0 && cap.nflush > 2,
	    "table large: output delivered before the end (%zu bytes, "
	    "%d flushes)", before_end, cap.nflush);
	tap_ok(maxbuf < OUT_FLUSH_AT + 64,
	    "table large: buffer stays bounded (%zu)", maxbuf);

	text = buf_cstr(&cap.b);
	lines = 0;
	for (p = text; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	tap_ok(lines == 100003, "table large: header, rule, rows, footer "
	    "(%zu lines)", lines);
	tap_ok(strncmp(text, " n    | v\n------+---\n    1 | v\n", 30) == 0,
	    "table large: widths from the sample");
	line = strstr(text, "\n 1000 | v\n 1001 | v\n");
	tap_ok(line != NULL, "table large: rows around the sample's end");
	tap_ok(strstr(text, "\n 99999 | v\n 100000 | v\n(100000 rows)\n")
	    != NULL, "table large: later rows overflow the width");
	buf_free(&cap.b);
}

/*
 * json and ndjson
 */

static const struct result_column typed_cols[] = {
	{ "id", "int4", VALUE_INT, 0, 0, 0, NULL, NULL, NULL },
	{ "big", "int8", VALUE_BIGNUM, 0, 0, 0, NULL, NULL, NULL },
	{ "ok", "bool", VALUE_BOOL, 0, 0, 0, NULL, NULL, NULL },
	{ "name", "text", VALUE_TEXT, 1, 0, 0, NULL, NULL, NULL },
	{ "raw", "bytea", VALUE_BYTES, 0, 0, 0, NULL, NULL, NULL },
	{ "at", "timestamptz", VALUE_TIME, 0, 0, 0, NULL, NULL, NULL },
	{ "f", "float8", VALUE_FLOAT, 0, 0, 0, NULL, NULL, NULL },
	{ "doc", "jsonb", VALUE_JSON, 0, 0, 0, NULL, NULL, NULL },
};
static const char *const typed_cells[] = {
	"1", "9007199254740993", "t", NULL, "deadbeef",
	"2024-01-02 03:04:05.5+00", "NaN", "{\"a\": 1}",
	"-2", "0", "f", "bad\xff" "byte", "",
	"2024-01-02", "0.1", "[]",
	"12x", "-5", "maybe", "\x1b[31m", "00",
	"10:00:00", "-Infinity", "null",
};

/* Look up an object member by a path of keys and indexes, e.g. "a.0.b". */
static json_t *
jget(json_t *j, const char *path)
{
	char	*copy, *p, *k, *end;
	long	 idx;

	copy = xstrdup(path);
	for (p = copy; j != NULL && (k = strsep(&p, ".")) != NULL;) {
		idx = strtol(k, &end, 10);
		if (*end == '\0' && json_is_array(j))
			j = json_array_get(j, (size_t)idx);
		else
			j = json_object_get(j, k);
	}
	free(copy);
	return (j);
}

/* Check that path holds the string want. */
static void
jis_str(json_t *j, const char *path, const char *want)
{
	json_t	*v = jget(j, path);

	tap_ok(json_is_string(v) && strcmp(json_string_value(v), want) == 0,
	    "%s is \"%s\" (got %s)", path, want,
	    json_is_string(v) ? json_string_value(v) : "not a string");
}

/* Check that path holds the integer want. */
static void
jis_int(json_t *j, const char *path, long long want)
{
	json_t	*v = jget(j, path);

	tap_ok(json_is_integer(v) && json_integer_value(v) == want,
	    "%s is %lld", path, want);
}

/* Check that path holds JSON type t. */
static void
jis_type(json_t *j, const char *path, json_type t)
{
	json_t	*v = jget(j, path);

	tap_ok(v != NULL && json_typeof(v) == t, "%s has type %d", path, t);
}

/* Build the statements the JSON tests share. */
static void
json_stmts(struct fake_stmt *st)
{
	memset(st, 0, 5 * sizeof *st);
	st[0].sql = "SELECT * FROM typed";
	st[0].cols = typed_cols;
	st[0].ncols = 8;
	st[0].cells = typed_cells;
	st[0].nrows = 3;
	st[0].o = outcome(STMT_OK, "SELECT 3", 3);
	st[0].o.truncated = 1;
	st[0].o.elapsed_ms = 0.4;
	st[1].sql = "INSERT INTO t VALUES (1)";
	st[1].o = outcome(STMT_OK, "INSERT 0 1", 1);
	st[1].o.verdict = "warn";
	st[1].o.rule = "3";
	{
		static const char *const w[] = { "no WHERE", "second" };

		st[1].o.warnings = w;
		st[1].o.nwarnings = 2;
	}
	st[2].sql = "SELECT 1 WHERE false";
	st[2].cols = typed_cols;
	st[2].ncols = 1;
	st[2].cells = typed_cells;
	st[2].nrows = 0;
	st[2].o = outcome(STMT_OK, "SELECT 0", 0);
	st[3].sql = "SELECT 1/0";
	st[3].o = outcome(STMT_ERROR, NULL, -1);
	st[3].o.sqlstate = "22012";
	st[3].o.message = "division by zero";
	st[4].sql = "DROP TABLE \"t\"";
	st[4].o = outcome(STMT_DENIED, NULL, -1);
	st[4].o.verdict = "deny";
	st[4].o.rule = "drop";
	st[4].o.message = "denied by policy \"builtin\" rule drop";
}

static const char json_head[] = "{\"format\":\"dbgate.exec.v1\","
    "\"session\":\"S1\",\"target\":\"prod\",\"user\":\"alice\","
    "\"statements\":[\n";

/* JSON: one document with typed values. */
static void
test_json(void)
{
	struct fake_stmt	 st[5];
	json_error_t		 err;
	json_t			*doc;
	char			*got;
	int			 ok;

	/* No statements. */
	memset(st, 0, sizeof st);
	got = run(RENDER_JSON, st, 0, 0, &ok);
	tap_ok(ok, "json empty: calls succeed");
	doc = json_loads(got, 0, &err);
	tap_ok(doc != NULL, "json empty: parses (%s)", err.text);
	jis_str(doc, "format", "dbgate.exec.v1");
	jis_str(doc, "session", "S1");
	jis_str(doc, "target", "prod");
	jis_str(doc, "user", "alice");
	tap_ok(json_is_array(jget(doc, "statements")) &&
	    json_array_size(jget(doc, "statements")) == 0,
	    "json empty: statements is an empty array");
	jis_int(doc, "exit_status", 0);
	check_jq(got, "json with no statements");
	json_decref(doc);
	free(got);

	json_stmts(st);
	got = run(RENDER_JSON, st, 5, 3, &ok);
	tap_ok(ok, "json: calls succeed");
	tap_ok(strncmp(got, json_head, strlen(json_head)) == 0,
	    "json: the document starts as documented");
	tap_ok(strstr(got, "0.10000") == NULL && strstr(got, ",0.1,") != NULL,
	    "json: 0.1 prints as 0.1");
	tap_ok(strstr(got, "\"elapsed_ms\":0.4}") != NULL,
	    "json: elapsed_ms prints as 0.4, last");
	doc = json_loads(got, 0, &err);
	tap_ok(doc != NULL, "json: parses (%s at %d)", err.text, err.position);
	check_jq(got, "json with rows, an error and a denial");
	jis_int(doc, "exit_status", 3);
	tap_ok(json_array_size(jget(doc, "statements")) == 5,
	    "json: five statements");

	/* The typed result. */
	jis_int(doc, "statements.0.index", 1);
	jis_str(doc, "statements.0.sql", "SELECT * FROM typed");
	jis_str(doc, "statements.0.columns.0.name", "id");
	jis_str(doc, "statements.0.columns.0.type", "int4");
	jis_type(doc, "statements.0.columns.0.masked", JSON_FALSE);
	jis_type(doc, "statements.0.columns.3.masked", JSON_TRUE);
	jis_int(doc, "statements.0.rows.0.0", 1);
	jis_str(doc, "statements.0.rows.0.1", "9007199254740993");
	jis_type(doc, "statements.0.rows.0.2", JSON_TRUE);
	jis_type(doc, "statements.0.rows.0.3", JSON_NULL);
	jis_str(doc, "statements.0.rows.0.4", "deadbeef");
	jis_str(doc, "statements.0.rows.0.5", "2024-01-02T03:04:05.5+00");
	jis_str(doc, "statements.0.rows.0.6", "NaN");
	jis_str(doc, "statements.0.rows.0.7", "{\"a\": 1}");
	jis_int(doc, "statements.0.rows.1.0", -2);
	jis_str(doc, "statements.0.rows.1.1", "0");
	jis_type(doc, "statements.0.rows.1.2", JSON_FALSE);
	jis_str(doc, "statements.0.rows.1.3", "bad\xef\xbf\xbd" "byte");
	jis_str(doc, "statements.0.rows.1.4", "");
	jis_str(doc, "statements.0.rows.1.5", "2024-01-02");
	tap_ok(json_is_real(jget(doc, "statements.0.rows.1.6")) &&
	    json_real_value(jget(doc, "statements.0.rows.1.6")) == 0.1,
	    "json: float 0.1 is a number");
	jis_str(doc, "statements.0.rows.2.0", "12x");
	jis_str(doc, "statements.0.rows.2.2", "maybe");
	jis_str(doc, "statements.0.rows.2.3", "\x1b[31m");
	jis_str(doc, "statements.0.rows.2.5", "10:00:00");
	jis_str(doc, "statements.0.rows.2.6", "-Infinity");
	jis_str(doc, "statements.0.status", "ok");
	jis_str(doc, "statements.0.command", "SELECT 3");
	jis_int(doc, "statements.0.row_count", 3);
	tap_ok(jget(doc, "statements.0.rows_affected") == NULL,
	    "json: a result set has no rows_affected");
	jis_type(doc, "statements.0.truncated", JSON_TRUE);
	jis_str(doc, "statements.0.verdict", "allow");
	jis_str(doc, "statements.0.policy", "builtin");
	jis_type(doc, "statements.0.rule", JSON_NULL);
	jis_type(doc, "statements.0.request_id", JSON_NULL);
	jis_type(doc, "statements.0.sqlstate", JSON_NULL);
	jis_type(doc, "statements.0.message", JSON_NULL);
	tap_ok(json_array_size(jget(doc, "statements.0.warnings")) == 0,
	    "json: no warnings");

	/* The insert. */
	tap_ok(jget(doc, "statements.1.columns") == NULL &&
	    jget(doc, "statements.1.rows") == NULL &&
	    jget(doc, "statements.1.row_count") == NULL,
	    "json: no columns, rows or row_count without a result set");
	jis_int(doc, "statements.1.rows_affected", 1);
	jis_str(doc, "statements.1.command", "INSERT 0 1");
	jis_str(doc, "statements.1.verdict", "warn");
	jis_str(doc, "statements.1.rule", "3");
	jis_str(doc, "statements.1.warnings.1", "second");
	jis_type(doc, "statements.1.truncated", JSON_FALSE);

	/* Zero rows. */
	tap_ok(json_is_array(jget(doc, "statements.2.rows")) &&
	    json_array_size(jget(doc, "statements.2.rows")) == 0,
	    "json: zero rows is an empty array");
	jis_int(doc, "statements.2.row_count", 0);

	/* The error and the denial. */
	jis_str(doc, "statements.3.status", "error");
	jis_str(doc, "statements.3.sqlstate", "22012");
	jis_str(doc, "statements.3.message", "division by zero");
	jis_type(doc, "statements.3.rows_affected", JSON_NULL);
	jis_int(doc, "statements.4.index", 5);
	jis_str(doc, "statements.4.sql", "DROP TABLE \"t\"");
	jis_str(doc, "statements.4.status", "denied");
	jis_str(doc, "statements.4.verdict", "deny");
	jis_str(doc, "statements.4.rule", "drop");
	jis_str(doc, "statements.4.message",
	    "denied by policy \"builtin\" rule drop");
	json_decref(doc);
	free(got);
}

/* JSON: many rows, and output that must stream. */
static void
test_json_many(void)
{
	static const struct result_column cols[] = {
		{ "n", "int4", VALUE_INT, 0, 0, 0, NULL, NULL, NULL },
		{ "f", "float4", VALUE_FLOAT, 0, 0, 0, NULL, NULL, NULL },
	};
	struct stmt_outcome	 o = outcome(STMT_OK, "SELECT 50000", 50000);
	struct capture		 cap;
	struct out		 out;
	struct render		*r;
	struct result_cell	 row[2];
	char			 num[32];
	json_error_t		 err;
	json_t			*doc, *rows;
	size_t			 before_end;
	int			 i, n, ok = 1;

	memset(&cap, 0, sizeof cap);
	buf_init(&cap.b);
	out_init(&out, capture_flush, &cap);
	r = render_new(RENDER_JSON, &out, &info);
	render_begin(r);
	render_statement(r, "SELECT n", 8);
	render_columns(r, cols, 2);
	for (i = 0; i < 50000; i++) {
		n = snprintf(num, sizeof num, "%d", i);
		row[0].data = row[1].data = num;
		row[0].len = row[1].len = (size_t)n;
		row[0].isnull = row[1].isnull = 0;
		if (render_row(r, row, 2) != 0)
			ok = 0;
	}
	before_end = cap.b.len;
	if (render_statement_end(r, &o) != 0 || render_end(r, 0) != 0)
		ok = 0;
	render_free(r);
	out_free(&out);
	tap_ok(ok, "json many: calls succeed");
	tap_ok(before_end > 0, "json many: streamed before the end");
	doc = json_loads(buf_cstr(&cap.b), 0, &err);
	tap_ok(doc != NULL, "json many: parses (%s)", err.text);
	check_jq(buf_cstr(&cap.b), "json with 50000 rows");
	rows = jget(doc, "statements.0.rows");
	tap_ok(json_array_size(rows) == 50000, "json many: 50000 rows");
	jis_int(doc, "statements.0.rows.49999.0", 49999);
	tap_ok(json_is_real(jget(doc, "statements.0.rows.49999.1")) &&
	    json_real_value(jget(doc, "statements.0.rows.49999.1")) == 49999,
	    "json many: float values are numbers");
	jis_int(doc, "statements.0.row_count", 50000);
	json_decref(doc);
	buf_free(&cap.b);
}

/* ndjson: one record a line. */
static void
test_ndjson(void)
{
	struct fake_stmt	 st[5];
	json_error_t		 err;
	json_t			*rec[16];
	char			*got, *p, *nl;
	size_t			 n, i;
	int			 ok, parsed = 1;

	json_stmts(st);
	got = run(RENDER_NDJSON, st, 5, 3, &ok);
	tap_ok(ok, "ndjson: calls succeed");
	n = 0;
	for (p = got; *p != '\0' && n < nitems(rec); p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		rec[n] = json_loadb(p, (size_t)(nl - p), 0, &err);
		if (rec[n] == NULL || !json_is_object(rec[n])) {
			parsed = 0;
			break;
		}
		n++;
	}
	tap_ok(parsed && *p == '\0', "ndjson: every line is a JSON object");
	/* columns, 3 rows, result; result; columns, result; error; error;
	 * end. */
	tap_ok(n == 11, "ndjson: 11 records (%zu)", n);
	if (n != 11) {
		for (i = 0; i < n; i++)
			json_decref(rec[i]);
		free(got);
		return;
	}
	jis_str(rec[0], "type", "columns");
	jis_int(rec[0], "statement", 1);
	jis_str(rec[0], "sql", "SELECT * FROM typed");
	jis_str(rec[0], "columns.1.type", "int8");
	jis_type(rec[0], "columns.3.masked", JSON_TRUE);
	jis_str(rec[1], "type", "row");
	jis_int(rec[1], "statement", 1);
	jis_int(rec[1], "values.0", 1);
	jis_str(rec[1], "values.1", "9007199254740993");
	jis_type(rec[1], "values.2", JSON_TRUE);
	jis_type(rec[1], "values.3", JSON_NULL);
	jis_str(rec[1], "values.4", "deadbeef");
	jis_str(rec[1], "values.5", "2024-01-02T03:04:05.5+00");
	jis_str(rec[1], "values.6", "NaN");
	jis_type(rec[2], "values.6", JSON_REAL);
	jis_str(rec[3], "values.6", "-Infinity");
	jis_str(rec[4], "type", "result");
	jis_str(rec[4], "status", "ok");
	jis_int(rec[4], "row_count", 3);
	jis_type(rec[4], "truncated", JSON_TRUE);
	jis_type(rec[4], "elapsed_ms", JSON_REAL);
	tap_ok(jget(rec[4], "sql") == NULL, "ndjson: result has no sql");
	jis_str(rec[5], "type", "result");
	jis_int(rec[5], "statement", 2);
	jis_int(rec[5], "rows_affected", 1);
	jis_str(rec[5], "warnings.0", "no WHERE");
	tap_ok(jget(rec[5], "row_count") == NULL,
	    "ndjson: no row_count without a result set");
	jis_str(rec[6], "type", "columns");
	jis_int(rec[6], "statement", 3);
	jis_str(rec[7], "type", "result");
	jis_int(rec[7], "row_count", 0);
	jis_str(rec[8], "type", "error");
	jis_int(rec[8], "statement", 4);
	jis_str(rec[8], "status", "error");
	jis_str(rec[8], "sqlstate", "22012");
	jis_str(rec[8], "message", "division by zero");
	tap_ok(jget(rec[8], "elapsed_ms") == NULL &&
	    jget(rec[8], "command") == NULL,
	    "ndjson: error records carry no command or timing");
	jis_str(rec[9], "type", "error");
	jis_str(rec[9], "status", "denied");
	jis_str(rec[9], "verdict", "deny");
	jis_str(rec[9], "rule", "drop");
	jis_type(rec[9], "request_id", JSON_NULL);
	jis_type(rec[9], "warnings", JSON_ARRAY);
	jis_str(rec[10], "type", "end");
	jis_str(rec[10], "format", "dbgate.ndjson.v1");
	jis_str(rec[10], "session", "S1");
	jis_str(rec[10], "target", "prod");
	jis_int(rec[10], "exit_status", 3);
	for (i = 0; i < n; i++)
		json_decref(rec[i]);
	free(got);

	/* Approval required: the request id is there. */
	memset(st, 0, sizeof st);
	st[0].sql = "DELETE FROM t";
	st[0].o = outcome(STMT_APPROVAL, NULL, -1);
	st[0].o.verdict = "approve";
	st[0].o.request_id = "R42";
	got = run(RENDER_NDJSON, st, 1, 4, &ok);
	p = strchr(got, '\n');
	rec[0] = p != NULL ? json_loadb(got, (size_t)(p - got), 0, &err) :
	    NULL;
	jis_str(rec[0], "status", "approval-required");
	jis_str(rec[0], "request_id", "R42");
	json_decref(rec[0]);
	free(got);
}

int
main(void)
{
	test_escape();
	test_out();
	test_csv();
	test_table();
	test_table_large();
	test_json();
	test_json_many();
	test_ndjson();
	return (tap_done());
}
