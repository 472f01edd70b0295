/*
 * test-sql.c: statement splitting for both dialects (sql-pg.c,
 * sql-mysql.c), MariaDB placeholder binding, and the MariaDB/MySQL
 * tokenizer under different server versions and sql_modes.
 */
#include <stdlib.h>
#include <string.h>

#include "dbgate.h"
#include "sql.h"
#include "sql-mysql.h"
#include "tap.h"

/*
 * Render a split as "[LINE:NPARAMS]TEXT" per statement, or "error: MSG".
 * The caller frees the result.
 */
static char *
split_render(enum sql_dialect d, const char *in)
{
	struct sql_script	 sc;
	struct buf		 b;
	char			*err = NULL, *s;
	size_t			 i;

	buf_init(&b);
	memset(&sc, 0xa5, sizeof sc);
	if (sql_split(d, in, strlen(in), &sc, &err) != 0) {
		buf_printf(&b, "error: %s", err);
		free(err);
		return (buf_cstr(&b));
	}
	for (i = 0; i < sc.n; i++) {
		if (sc.stmts[i].len != strlen(sc.stmts[i].text))
			buf_adds(&b, "(bad len)");
		buf_printf(&b, "[%d:%d]%s", sc.stmts[i].line,
		    sc.stmts[i].nparams, sc.stmts[i].text);
	}
	sql_script_free(&sc);
	s = xstrdup(buf_cstr(&b));
	buf_free(&b);
	return (s);
}

/* Check one split. */
static void
split_is(enum sql_dialect d, const char *in, const char *want,
    const char *what)
{
	char	*got;

	got = split_render(d, in);
	tap_is(got, want, "%s: %s", d == SQL_POSTGRESQL ? "pg" : "mysql",
	    what);
	free(got);
}

/* A split must fail with a message starting with want. */
static void
split_fails(enum sql_dialect d, const char *in, const char *want,
    const char *what)
{
	char	*got;
	int	 ok;

	got = split_render(d, in);
	ok = strncmp(got, "error: ", 7) == 0 &&
	    strncmp(got + 7, want, strlen(want)) == 0;
	if (!tap_ok(ok, "%s: %s", d == SQL_POSTGRESQL ? "pg" : "mysql", what))
		printf("#   got:  \"%s\"\n#   want: \"error: %s...\"\n", got,
		    want);
	free(got);
}

/* A quote function like mysql_real_escape_string's, for the tests. */
static char *
test_quote(void *arg, const char *v)
{
	struct buf	 b;

	(*(int *)arg)++;
	if (v == NULL)
		return (xstrdup("NULL"));
	buf_init(&b);
	buf_addc(&b, '\'');
	for (; *v != '\0'; v++) {
		if (*v == '\'' || *v == '\\')
			buf_addc(&b, '\\');
		buf_addc(&b, *v);
	}
	buf_addc(&b, '\'');
	return (buf_cstr(&b));
}

/* Check one bind; want NULL means it must fail with wanterr. */
static void
bind_is(const char *sql, const char *const *vals, size_t n, const char *want,
    const char *wanterr, const char *what)
{
	char	*got, *err = NULL;
	int	 calls = 0;

	got = sql_mysql_bind(sql, strlen(sql), vals, n, test_quote, &calls,
	    &err);
	if (want != NULL)
		tap_is(got, want, "bind: %s", what);
	else {
		tap_ok(got == NULL && err != NULL &&
		    strstr(err, wanterr) != NULL, "bind: %s", what);
		if (err != NULL)
			printf("#   err: %s\n", err);
	}
	free(got);
	free(err);
}

/* PostgreSQL cases. */
static void
test_pg(void)
{
	enum sql_dialect	 pg = SQL_POSTGRESQL;

	split_is(pg, "SELECT 1; SELECT 2", "[1:0]SELECT 1[1:0]SELECT 2",
	    "two statements");
	split_is(pg, "SELECT ';' AS x; SELECT 2",
	    "[1:0]SELECT ';' AS x[1:0]SELECT 2", "semicolon in a string");
	split_is(pg, "SELECT 1 AS \"a;b\"; SELECT 2",
	    "[1:0]SELECT 1 AS \"a;b\"[1:0]SELECT 2",
	    "semicolon in a quoted identifier");
	split_is(pg, "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ "
	    "LANGUAGE sql; SELECT 2",
	    "[1:0]CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ "
	    "LANGUAGE sql[1:0]SELECT 2", "dollar-quoted body");
	split_is(pg, "DO $fn$ BEGIN RAISE NOTICE '$$;'; END $fn$;\nSELECT 2",
	    "[1:0]DO $fn$ BEGIN RAISE NOTICE '$$;'; END $fn$[2:0]SELECT 2",
	    "tagged dollar quote holding $$ and ;");
	split_is(pg, "SELECT E'a\\';b'; SELECT 2",
	    "[1:0]SELECT E'a\\';b'[1:0]SELECT 2",
	    "E'' string with an escaped quote");
	split_is(pg, "SELECT 'a\\'; SELECT 2",
	    "[1:0]SELECT 'a\\'[1:0]SELECT 2",
	    "'a\\' is complete under standard_conforming_strings");
	split_is(pg, "SELECT 'it''s;'; SELECT 2",
	    "[1:0]SELECT 'it''s;'[1:0]SELECT 2", "doubled quote");
	split_is(pg, "SELECT 1 -- ; not here\n; /* ; */ SELECT 2",
	    "[1:0]SELECT 1 -- ; not here[2:0]/* ; */ SELECT 2",
	    "semicolons in comments");
	split_is(pg, "/* a /* b ; */ c ; */ SELECT 1",
	    "[1:0]/* a /* b ; */ c ; */ SELECT 1", "nested block comment");
	split_is(pg, ";;SELECT 1;;; ;", "[1:0]SELECT 1",
	    "empty statements dropped");
	split_is(pg, "-- nothing\n/* at all */\n", "", "comments only");
	split_is(pg, "", "", "empty input");
	split_is(pg, "SELECT 1;\n\n  SELECT 2\n", "[1:0]SELECT 1[3:0]SELECT 2",
	    "trailing statement without ; and its line");
	split_is(pg, "SELECT 1;\n-- c\nSELECT 2",
	    "[1:0]SELECT 1[2:0]-- c\nSELECT 2",
	    "a leading comment stays with its statement");
	split_is(pg, "SELECT $1, $3 + $2", "[1:3]SELECT $1, $3 + $2",
	    "nparams is the highest $N");
	split_is(pg, "SELECT $2;\nSELECT 1;\nSELECT $1::int",
	    "[1:2]SELECT $2[2:0]SELECT 1[3:1]SELECT $1::int",
	    "nparams per statement");
	split_is(pg, "SELECT '$5', \"$4\", $1", "[1:1]SELECT '$5', \"$4\", $1",
	    "$N in strings and identifiers not counted");
	split_is(pg, "DO $$ BEGIN PERFORM $3; END $$",
	    "[1:0]DO $$ BEGIN PERFORM $3; END $$",
	    "$N in a dollar-quoted body not counted");
	split_is(pg, "CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; "
	    "SELECT 2); SELECT 3",
	    "[1:0]CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; "
	    "SELECT 2)[1:0]SELECT 3", "multi-action rule is one statement");
	split_fails(pg, "SELECT * FORM t", "syntax error at or near \"FORM\" "
	    "(line 1)", "syntax error");
	split_fails(pg, "SELECT 1;\nSELECT 2;\nSELEC 3",
	    "syntax error at or near \"SELEC\" (line 3)",
	    "syntax error line");
	split_fails(pg, "SELECT '\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9';\nSELEC 1",
	    "syntax error at or near \"SELEC\" (line 2)",
	    "error line counts characters, not bytes");
	split_fails(pg, "SELECT 1;\nSELECT 'abc", "unterminated quoted string",
	    "unterminated string");
	split_fails(pg, "SELECT 1 /* open", "unterminated /* comment",
	    "unterminated comment");
	split_fails(pg, "SELECT $$abc", "unterminated dollar-quoted string",
	    "unterminated dollar quote");
	split_fails(pg, "SELECT 1;\nSELECT $100000", "parameter $100000 out "
	    "of range (line 2)", "parameter number out of range");
}

/* MariaDB/MySQL cases. */
static void
test_mysql(void)
{
	enum sql_dialect	 my = SQL_MYSQL;

	split_is(my, "SELECT 1; SELECT 2", "[1:0]SELECT 1[1:0]SELECT 2",
	    "two statements");
	split_is(my, "SELECT 'a;b'; SELECT \"c;d\"",
	    "[1:0]SELECT 'a;b'[1:0]SELECT \"c;d\"", "semicolons in strings");
	split_is(my, "SELECT 'a\\';'", "[1:0]SELECT 'a\\';'",
	    "'a\\';' is one string");
	split_is(my, "SELECT \"a\\\";\"; SELECT 2",
	    "[1:0]SELECT \"a\\\";\"[1:0]SELECT 2",
	    "backslash escape in a double-quoted string");
	split_is(my, "SELECT 'it''s;'; SELECT 2",
	    "[1:0]SELECT 'it''s;'[1:0]SELECT 2", "doubled quote");
	split_is(my, "SELECT `a;b``;c` FROM t; SELECT 2",
	    "[1:0]SELECT `a;b``;c` FROM t[1:0]SELECT 2",
	    "backtick identifier with a doubled backtick");
	split_is(my, "SELECT `a\\`; SELECT 2", "[1:0]SELECT `a\\`[1:0]SELECT 2",
	    "no backslash escape in backticks");
	split_is(my, "SELECT 1 --x; SELECT 2", "[1:0]SELECT 1 --x[1:0]SELECT 2",
	    "--x is not a comment");
	split_is(my, "SELECT 1 -- x; SELECT 2\n; SELECT 3",
	    "[1:0]SELECT 1 -- x; SELECT 2[2:0]SELECT 3", "-- x is a comment");
	split_is(my, "SELECT 1 --\t;\n; SELECT 2",
	    "[1:0]SELECT 1 --\t;[2:0]SELECT 2", "--TAB is a comment");
	split_is(my, "SELECT 1 --", "[1:0]SELECT 1 --",
	    "-- at the end of input");
	split_is(my, "SELECT 1 # c;\n; SELECT 2",
	    "[1:0]SELECT 1 # c;[2:0]SELECT 2", "# comment");
	split_is(my, "SELECT /* ; */ 1; SELECT 2",
	    "[1:0]SELECT /* ; */ 1[1:0]SELECT 2", "block comment");
	split_is(my, "SELECT 1 /*/ ; */; SELECT 2",
	    "[1:0]SELECT 1 /*/ ; */[1:0]SELECT 2", "/*/ does not close");
	split_is(my, "SELECT 1; /* only */; -- x\n; # y\n;;", "[1:0]SELECT 1",
	    "comment-only and empty statements dropped");
	split_is(my, "/*!40101 SET @a=1 */; SELECT 2",
	    "[1:0]/*!40101 SET @a=1 */[1:0]SELECT 2", "executable comment");
	split_is(my, "/*! SELECT '*/' */; SELECT 2",
	    "[1:0]/*! SELECT '*/' */[1:0]SELECT 2",
	    "quotes count inside an executable comment");
	split_is(my, "/*M!100100 SELECT ? */", "[1:1]/*M!100100 SELECT ? */",
	    "/*M! comment, ? counted");
	split_is(my, "/*!40101 */; /*M!100100 */; SELECT 1", "[1:0]SELECT 1",
	    "empty executable comments dropped");
	split_is(my, "/*! SELECT 1; SELECT 2 */",
	    "[1:0]/*! SELECT 1; SELECT 2 */",
	    "; inside an executable comment does not split");
	split_is(my, "SELECT ?, '?', \"?\", `?`, /* ? */ ? # ?\n",
	    "[1:2]SELECT ?, '?', \"?\", `?`, /* ? */ ? # ?",
	    "? counted only as code");
	split_is(my, "SELECT 1;\n\n  SELECT 2;\n# c\nSELECT\n3",
	    "[1:0]SELECT 1[3:0]SELECT 2[4:0]# c\nSELECT\n3", "line numbers");
	split_is(my, "SELECT 'a\nb';\nSELECT 2",
	    "[1:0]SELECT 'a\nb'[3:0]SELECT 2",
	    "lines inside a string are counted");
	split_is(my, "  SELECT 1  \n", "[1:0]SELECT 1",
	    "trailing statement without ;, trimmed");
	split_is(my, "", "", "empty input");
	split_fails(my, "SELECT 1;\nSELECT 'abc", "unterminated string "
	    "starting at line 2", "unterminated string");
	split_fails(my, "SELECT \"abc\\\"", "unterminated string starting at "
	    "line 1", "string ending in an escaped quote");
	split_fails(my, "SELECT `a", "unterminated quoted identifier starting "
	    "at line 1", "unterminated identifier");
	split_fails(my, "\nSELECT 1 /* x", "unterminated comment starting at "
	    "line 2", "unterminated comment");
	split_fails(my, "/*!40101 SELECT 1", "unterminated executable comment "
	    "starting at line 1", "unterminated executable comment");
	split_fails(my, "/*! SELECT /*! 1 */ */", "nested executable comment",
	    "nested executable comment");
}

/* Placeholder binding. */
static void
test_bind(void)
{
	const char	*v1[] = { "a'b", "c\\d" };
	const char	*v2[] = { "?", "x" };
	const char	*v3[] = { "v" };
	const char	*v4[] = { NULL, "';--" };

	bind_is("SELECT ?, ?", v1, 2, "SELECT 'a\\'b', 'c\\\\d'", NULL,
	    "quotes and backslashes");
	bind_is("SELECT ?, ?", v2, 2, "SELECT '?', 'x'", NULL,
	    "a value holding ? is not bound again");
	bind_is("SELECT '?', `?`, ? /* ? */", v3, 1,
	    "SELECT '?', `?`, 'v' /* ? */", NULL, "only code ? is replaced");
	bind_is("INSERT INTO t VALUES (?, ?)", v4, 2,
	    "INSERT INTO t VALUES (NULL, '\\';--')", NULL, "NULL value");
	bind_is("/*! SELECT ? */", v3, 1, "/*! SELECT 'v' */", NULL,
	    "? in an executable comment");
	bind_is("SELECT 1", v3, 1, "SELECT 1", NULL, "extra values ignored");
	bind_is("SELECT ?, ?", v3, 1, NULL, "more ? placeholders than the 1 "
	    "value", "too few values");
	bind_is("SELECT ?", NULL, 0, NULL, "more ? placeholders",
	    "no values");
	bind_is("SELECT ?, 'x", v1, 2, NULL, "unterminated string",
	    "unterminated string");
}

/* The reading of a server: MariaDB if maria, exact unless mode says. */
static struct sql_mysql_reading
tok_reading(unsigned long version, int maria, int digits)
{
	struct sql_mysql_reading	 rd;

	memset(&rd, 0, sizeof rd);
	rd.version = version;
	rd.mariadb = maria;
	rd.digits = digits;
	return (rd);
}

/*
 * Render the tokens of sql as "KIND:text" separated by spaces, a "~" before
 * a token with a gap before it (but the first), or "error: MSG". The
 * caller frees the result.
 */
static char *
tok_render(const struct sql_mysql_reading *rd, const char *sql)
{
	static const char	 kinds[] = "?WQSNHUVPO;0B";
	struct sql_mytoks	 tk;
	struct buf		 b;
	char			*err = NULL;
	size_t			 i;

	buf_init(&b);
	if (sql_mysql_tokenize(sql, strlen(sql), rd, &tk, &err) != 0) {
		buf_printf(&b, "error: %s", err);
		free(err);
	} else {
		for (i = 0; i < tk.n; i++) {
			buf_printf(&b, "%s%s%c:%.*s", i > 0 ? " " : "",
			    i > 0 && (tk.tok[i].flags & SQL_MYTOKF_GAP) ?
			    "~" : "", kinds[tk.tok[i].kind],
			    (int)tk.tok[i].len, sql + tk.tok[i].start);
		}
	}
	sql_mysql_toks_free(&tk);
	buf_cstr(&b);
	return (b.data);
}

/* Check one tokenization. */
static void
tok_is(const struct sql_mysql_reading *rd, const char *sql,
    const char *want, const char *what)
{
	char	*got;

	got = tok_render(rd, sql);
	tap_is(got, want, "tokens: %s", what);
	free(got);
}

/* Check what a quoted token unquotes to. */
static void
unquote_is(const struct sql_mysql_reading *rd, const char *sql,
    const char *want, const char *what)
{
	struct sql_mytoks	 tk;
	struct buf		 b;
	char			*err = NULL;

	buf_init(&b);
	if (sql_mysql_tokenize(sql, strlen(sql), rd, &tk, &err) == 0 &&
	    tk.n == 1)
		sql_mysql_unquote(sql, &tk.tok[0], rd, &b);
	free(err);
	sql_mysql_toks_free(&tk);
	tap_is(buf_cstr(&b), want, "unquote: %s", what);
	buf_free(&b);
}

/* Check whether a statement holds a hint that sets something. */
static void
hint_is(const struct sql_mysql_reading *rd, const char *sql, int want,
    const char *what)
{
	struct sql_mytoks	 tk;
	char			*err = NULL;
	int			 r;

	r = sql_mysql_tokenize(sql, strlen(sql), rd, &tk, &err);
	tap_ok(r == 0 && tk.hint == want, "hint: %s", what);
	free(err);
	sql_mysql_toks_free(&tk);
}

/* The tokenizer, as MariaDB 10.11.6 and several MySQL versions read. */
static void
test_tokens(void)
{
	struct sql_mysql_reading	 ma, my80, my84, rd;

	ma = tok_reading(101106, 1, SQL_MYDIGITS_6);
	my80 = tok_reading(80030, 0, SQL_MYDIGITS_5);
	my84 = tok_reading(80400, 0, SQL_MYDIGITS_6SPACE);

	tok_is(&ma, "SELECT a.b, 'x' FROM `t``u`", "W:SELECT ~W:a O:. W:b "
	    "O:, ~S:'x' ~W:FROM ~Q:`t``u`", "words, strings, identifiers");
	tok_is(&ma, "/*!99999 x */ y", "W:y", "MariaDB skips 99999");
	tok_is(&ma, "/*!50701 x */ y", "W:y",
	    "MariaDB skips MySQL's 50700..99999");
	tok_is(&ma, "/*M!50701 x */ y", "W:x ~W:y",
	    "MariaDB runs M! in 50700..99999");
	tok_is(&ma, "/*!50699 x */", "W:x", "below 50700 runs");
	tok_is(&ma, "/*!101106 x */", "W:x", "own version runs");
	tok_is(&ma, "/*!101107 x */ y", "W:y", "newer version skipped");
	tok_is(&ma, "/*!1011069*/", "N:9", "six digits, then code");
	tok_is(&ma, "/*!1234 x */", "N:1234 ~W:x", "four digits: no version");
	tok_is(&ma, "/*M! x */", "W:x", "M! without version");
	tok_is(&ma, "/*!99999 /* a */ b */ c", "W:c",
	    "one nested comment in a skipped one");
	tok_is(&ma, "/*!99999 /* /* a */ b */ c */ d", "W:c ~O:* O:/ ~W:d",
	    "only one level nests");
	tok_is(&ma, "/*!99999 ' */ x '", "error: unterminated string "
	    "starting at byte 16", "quotes mean nothing in a skipped comment");
	tok_is(&ma, "/*! a /* b */ c */ d", "W:a ~W:c ~W:d",
	    "plain comment inside executable code");
	tok_is(&ma, "/*! a # b */\n c */", "W:a ~W:c",
	    "# comment runs through */ in executable code");
	tok_is(&ma, "/*! a /*! b */ c */", "W:a ~W:b ~W:c ~O:* O:/",
	    "the first */ closes nested executable comments");
	tok_is(&ma, "/*! a", "error: unterminated executable comment",
	    "unterminated executable comment");
	rd = ma;
	rd.wsrep = 1;
	tok_is(&rd, "/*!99997 x */", "W:x", "Galera runs 99997");
	tok_is(&my80, "/*M! x */ y", "W:y", "MySQL: M! is a comment");
	tok_is(&my80, "/*!50701 x */", "W:x", "MySQL runs 50701");
	tok_is(&my80, "/*!100000 x */", "N:0 ~W:x",
	    "MySQL 8.0 reads five digits");
	tok_is(&my84, "/*!100000 x */ y", "W:y",
	    "MySQL 8.4 reads six digits before a space");
	tok_is(&my84, "/*!100000x */", "W:0x",
	    "MySQL 8.4 reads five digits otherwise");
	rd = ma;
	rd.mode = SQL_MYREAD_ALLCODE;
	tok_is(&rd, "/*!110000 x */ /*!50701 y */", "W:x ~W:y", "all code");
	rd.mode = SQL_MYREAD_ALLCOMMENT;
	tok_is(&rd, "/*!40000 x */ /*! y */ /*M! z */", "W:y ~W:z",
	    "all comment");
	tok_is(&ma, "a -- b\n--c #d\n e", "W:a ~O:- O:- W:c ~W:e",
	    "-- needs a space, # does not");
	tok_is(&ma, "a --\tb\nc", "W:a ~W:c", "-- and a tab");
	tok_is(&ma, "'a\\'b' \"c\\\"d\"", "S:'a\\'b' ~S:\"c\\\"d\"",
	    "backslash escapes");
	rd = ma;
	rd.no_backslash_escapes = 1;
	tok_is(&rd, "'a\\' 'b'", "S:'a\\' ~S:'b'",
	    "NO_BACKSLASH_ESCAPES");
	rd = ma;
	rd.ansi_quotes = 1;
	tok_is(&rd, "\"a\"\"b\" 'c'", "Q:\"a\"\"b\" ~S:'c'", "ANSI_QUOTES");
	tok_is(&ma, "@x @'y' @`z` @@global.w", "U:@x ~U:@'y' ~U:@`z` "
	    "~V:@@ W:global O:. W:w", "variables");
	tok_is(&ma, "@@ x", "error: \"@@\" at byte 0 is not followed by a "
	    "variable name", "@@ then a space");
	tok_is(&ma, "x'4a' b'01' 0x1f 0b1 N'n' 1e5 .5 1.5 2x",
	    "H:x'4a' ~H:b'01' ~H:0x1f ~H:0b1 ~S:N'n' ~N:1e5 ~N:.5 ~N:1.5 "
	    "~W:2x", "literals");
	tok_is(&ma, "x'4g'", "error: bad hex literal at byte 0",
	    "bad hex literal");
	tok_is(&ma, "\\N \\G ? ;", "0:\\N ~B:\\G ~P:? ~;:;",
	    "\\N, a client command, placeholder, semicolon");
	tok_is(&ma, "count (x) <=> y->>'$' := 1", "W:count ~O:( W:x O:) "
	    "~O:<=> ~W:y O:->> S:'$' ~O::= ~N:1", "operators and gaps");
	rd = my80;
	rd.dollar = 1;
	tok_is(&rd, "SELECT $a$", "error: \"$\" at byte 7 starts a "
	    "dollar-quoted string for MySQL 9", "MySQL 9 dollar quotes");
	tok_is(&ma, "SELECT $a$", "W:SELECT ~W:$a$", "MariaDB: $ in a name");

	tok_is(&ma, "SELECT /*+ BKA(t) */ 1", "W:SELECT ~N:1",
	    "an optimizer hint is a comment");
	hint_is(&ma, "SELECT /*+ BKA(t) */ 1", 0, "a harmless hint");
	hint_is(&ma, "SELECT /*+ set_var(sql_mode='') */ 1", 1,
	    "SET_VAR hint");
	hint_is(&ma, "SELECT /*+ MAX_EXECUTION_TIME(0) */ 1", 1,
	    "MAX_EXECUTION_TIME hint");
	hint_is(&ma, "SELECT /* SET_VAR */ 1", 0, "not a hint");

	unquote_is(&ma, "'a\\nb''c\\%\\Z'", "a\nb'c\\%\032",
	    "escapes and doubled quotes");
	unquote_is(&ma, "`a``b`", "a`b", "doubled backtick");
	rd = ma;
	rd.no_backslash_escapes = 1;
	unquote_is(&rd, "'a\\n'", "a\\n", "no escapes");
}

int
main(void)
{
	struct sql_script	 sc = { NULL, 0 };
	char			*err = NULL;

	test_pg();
	test_mysql();
	test_bind();
	test_tokens();

	tap_ok(sql_split(SQL_MYSQL, "SELECT 1;x", 8, &sc, &err) == 0 &&
	    sc.n == 1 && strcmp(sc.stmts[0].text, "SELECT 1") == 0,
	    "split honours len");
	sql_script_free(&sc);
	sql_script_free(NULL);
	tap_ok(sc.n == 0 && sc.stmts == NULL, "script_free empties");
	return (tap_done());
}
