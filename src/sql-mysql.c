/*
 * sql-mysql.c: the MariaDB/MySQL lexer, statement splitting and ?
 * placeholder binding. Handles untrusted input (SQL from any caller); pure:
 * never prints or exits except through xmalloc on exhaustion.
 *
 * One state machine (sql_mysql_next) reads the input as the server does
 * with an sql_mode free of NO_BACKSLASH_ESCAPES and ANSI_QUOTES (which the
 * backend pins): single- and double-quoted strings with backslash escapes
 * and doubled quotes, backtick identifiers with doubled backticks, "#" and
 * "-- " comments to the end of the line, C-style comments (not nested),
 * and executable comments (slash-star followed by "!", "!NNNNN" or "M!"),
 * whose contents are read as code. A ";" inside an executable comment does
 * not end the statement: the piece stays whole, and the server, which runs
 * one statement per query, refuses it if it holds two.
 *
 * A second reader, sql_mysql_tokenize (sql-mysql.h), turns one statement
 * into tokens exactly as a given server version and sql_mode read it, for
 * the classifier; see the comment above it.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbgate.h"
#include "sql.h"
#include "sql-mysql.h"

enum sql_mysql_kind {
	MYTOK_END,
	MYTOK_SPACE,
	MYTOK_COMMENT,		/* a comment, ignored by the server */
	MYTOK_EXEC_OPEN,	/* the marker opening an executable comment */
	MYTOK_EXEC_CLOSE,	/* and the one closing it */
	MYTOK_STRING,
	MYTOK_IDENT,		/* a `quoted` identifier */
	MYTOK_PARAM,		/* ? */
	MYTOK_SEMI,
	MYTOK_CODE,		/* any other run of bytes */
};

struct sql_mysql_lexer {
	const char	*s;
	size_t		 len;
	size_t		 pos;
	int		 line;
	int		 exec;		/* in an executable comment */
	int		 exec_line;	/* where it started */
};

struct sql_mysql_token {
	enum sql_mysql_kind	 kind;
	size_t			 start;
	size_t			 end;
	int			 line;		/* of the first byte */
	int			 in_exec;	/* in an executable one */
};

/* Start reading s. */
static void
sql_mysql_init(struct sql_mysql_lexer *lx, const char *s, size_t len)
{
	memset(lx, 0, sizeof *lx);
	lx->s = s;
	lx->len = len;
	lx->line = 1;
}

/* Whitespace as the server's lexer sees it. */
static int
sql_mysql_space(unsigned char c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v');
}

/* A byte that may follow "--" to make it a comment. */
static int
sql_mysql_dashend(unsigned char c)
{
	return (c <= ' ' || c == 0x7f);
}

/* A byte that ends a run of plain code. */
static int
sql_mysql_special(unsigned char c)
{
	return (sql_mysql_space(c) || strchr("'\"`#-/*?;", c) != NULL);
}

/* Move the lexer to end, counting the lines crossed. */
static void
sql_mysql_advance(struct sql_mysql_lexer *lx, size_t end)
{
	const char	*p = lx->s + lx->pos, *e = lx->s + end;

	while ((p = memchr(p, '\n', e - p)) != NULL) {
		lx->line++;
		p++;
	}
	lx->pos = end;
}

/*
 * Read the next token into t. Returns 0, or -1 with *err (caller frees)
 * for an unterminated string, identifier or comment, or a nested
 * executable comment.
 */
static int
sql_mysql_next(struct sql_mysql_lexer *lx, struct sql_mysql_token *t,
    char **err)
{
	const char	*s = lx->s, *q;
	size_t		 len = lx->len, p = lx->pos, n;
	unsigned char	 c, quote;

	t->start = p;
	t->line = lx->line;
	t->in_exec = lx->exec;
	if (p >= len) {
		if (lx->exec) {
			xasprintf(err, "unterminated executable comment "
			    "starting at line %d", lx->exec_line);
			return (-1);
		}
		t->kind = MYTOK_END;
		t->end = p;
		return (0);
	}
	c = s[p];
	if (sql_mysql_space(c)) {
		while (p < len && sql_mysql_space(s[p]))
			p++;
		t->kind = MYTOK_SPACE;
	} else if (c == '\'' || c == '"' || c == '`') {
		quote = c;
		for (p++;; p++) {
			if (p >= len) {
				xasprintf(err, "unterminated %s starting at "
				    "line %d", quote == '`' ?
				    "quoted identifier" : "string", t->line);
				return (-1);
			}
			if (s[p] == '\\' && quote != '`') {
				p++;
				continue;
			}
			if ((unsigned char)s[p] != quote)
				continue;
			if (p + 1 < len && (unsigned char)s[p + 1] == quote) {
				p++;
				continue;
			}
			p++;
			break;
		}
		t->kind = quote == '`' ? MYTOK_IDENT : MYTOK_STRING;
	} else if (c == '#' || (c == '-' && p + 1 < len && s[p + 1] == '-' &&
	    (p + 2 >= len || sql_mysql_dashend(s[p + 2])))) {
		if ((q = memchr(s + p, '\n', len - p)) != NULL)
			p = q - s;
		else
			p = len;
		t->kind = MYTOK_COMMENT;
	} else if (c == '/' && p + 1 < len && s[p + 1] == '*') {
		if (p + 2 < len && (s[p + 2] == '!' ||
		    (s[p + 2] == 'M' && p + 3 < len && s[p + 3] == '!'))) {
			if (lx->exec) {
				xasprintf(err, "nested executable comment at "
				    "line %d", t->line);
				return (-1);
			}
			p += s[p + 2] == '!' ? 3 : 4;
			/* A version is five digits, or six. */
			for (n = 0; p + n < len && n < 6 &&
			    isdigit((unsigned char)s[p + n]); n++)
				;
			if (n >= 5)
				p += n;
			lx->exec = 1;
			lx->exec_line = t->line;
			t->kind = MYTOK_EXEC_OPEN;
		} else {
			for (q = NULL, p += 2; p + 1 < len; p++) {
				if (s[p] == '*' && s[p + 1] == '/') {
					q = s + p;
					break;
				}
			}
			if (q == NULL) {
				xasprintf(err, "unterminated comment starting "
				    "at line %d", t->line);
				return (-1);
			}
			p += 2;
			t->kind = MYTOK_COMMENT;
		}
	} else if (c == '*' && lx->exec && p + 1 < len && s[p + 1] == '/') {
		p += 2;
		lx->exec = 0;
		t->kind = MYTOK_EXEC_CLOSE;
	} else if (c == '?') {
		p++;
		t->kind = MYTOK_PARAM;
	} else if (c == ';') {
		p++;
		t->kind = MYTOK_SEMI;
	} else {
		for (p++; p < len && !sql_mysql_special(s[p]); p++)
			;
		t->kind = MYTOK_CODE;
	}
	t->end = p;
	sql_mysql_advance(lx, p);
	return (0);
}

/* Append one statement (a copy of s) to a script. */
static void
sql_mysql_add(struct sql_script *sc, size_t *cap, const char *s, size_t len,
    int nparams, int line)
{
	struct sql_stmt	*st;

	if (sc->n == *cap) {
		*cap = *cap == 0 ? 8 : *cap * 2;
		sc->stmts = xreallocarray(sc->stmts, *cap, sizeof *sc->stmts);
	}
	st = &sc->stmts[sc->n++];
	st->text = xstrndup(s, len);
	st->len = len;
	st->nparams = nparams;
	st->line = line;
}

/* Split MariaDB/MySQL text into statements; see sql.h. */
int
sql_split_mysql(const char *text, size_t len, struct sql_script *out,
    char **err)
{
	struct sql_mysql_lexer	 lx;
	struct sql_mysql_token	 t;
	struct sql_script	 sc = { NULL, 0 };
	size_t			 cap = 0, start = 0, end = 0;
	int			 started = 0, code = 0, nparams = 0;
	int			 line = 0;

	sql_mysql_init(&lx, text, len);
	for (;;) {
		if (sql_mysql_next(&lx, &t, err) != 0) {
			sql_script_free(&sc);
			return (-1);
		}
		if (t.kind == MYTOK_END ||
		    (t.kind == MYTOK_SEMI && !t.in_exec)) {
			if (started && code) {
				sql_mysql_add(&sc, &cap, text + start,
				    end - start, nparams, line);
			}
			if (t.kind == MYTOK_END)
				break;
			started = code = nparams = 0;
			continue;
		}
		if (t.kind == MYTOK_SPACE)
			continue;
		if (!started) {
			started = 1;
			start = t.start;
			line = t.line;
		}
		end = t.end;
		switch (t.kind) {
		case MYTOK_COMMENT:
		case MYTOK_EXEC_OPEN:
		case MYTOK_EXEC_CLOSE:
			break;
		case MYTOK_PARAM:
			nparams++;
			/* FALLTHROUGH */
		default:
			code = 1;
			break;
		}
	}
	*out = sc;
	return (0);
}

/* Replace ? placeholders by quoted values; see sql.h. */
char *
sql_mysql_bind(const char *sql, size_t len, const char *const *vals,
    size_t nvals, char *(*quote)(void *, const char *), void *arg,
    char **err)
{
	struct sql_mysql_lexer	 lx;
	struct sql_mysql_token	 t;
	struct buf		 b;
	size_t			 used = 0;
	char			*q;

	buf_init(&b);
	buf_reserve(&b, len + 1);
	sql_mysql_init(&lx, sql, len);
	for (;;) {
		if (sql_mysql_next(&lx, &t, err) != 0)
			goto fail;
		if (t.kind == MYTOK_END)
			break;
		if (t.kind != MYTOK_PARAM) {
			buf_add(&b, sql + t.start, t.end - t.start);
			continue;
		}
		if (used >= nvals) {
			xasprintf(err, "more ? placeholders than the %zu "
			    "value%s given (line %d)", nvals,
			    nvals == 1 ? "" : "s", t.line);
			goto fail;
		}
		if ((q = quote(arg, vals[used])) == NULL) {
			xasprintf(err, "cannot quote value %zu", used + 1);
			goto fail;
		}
		used++;
		buf_adds(&b, q);
		free(q);
	}
	return (buf_cstr(&b));

fail:
	buf_free(&b);
	return (NULL);
}

/*
 * The tokenizer for the classifier (sql-mysql.h). Unlike the splitter
 * above, it reads a statement exactly as one server reads it, following
 * the lexer of MariaDB and MySQL (sql/sql_lex.cc, lex_one_token):
 *
 *  - slash-star-bang opens an executable comment; MariaDB also reads
 *    slash-star-M-bang, MySQL takes that for a plain comment. Five digits
 *    after the marker are a version (MariaDB takes a sixth digit if there
 *    is one; MySQL 8.1 on only if a space follows it; older MySQL never).
 *    Fewer than five digits: no version, the content is code. With a
 *    version, the content is code if the version is at most the server's;
 *    MariaDB also skips the MySQL-only range 50700..99999 unless the
 *    comment is slash-star-M-bang, and with Galera runs 99997. A skipped
 *    comment ends at the first star-slash after one nested plain comment
 *    (consume_comment(1)); quotes mean nothing inside it.
 *  - Inside executable code, a plain comment ends at its first star-slash
 *    and code goes on; star-slash at a token start ends the executable
 *    comment (a nested executable marker opens nothing new).
 *  - "#" and "-- " (dashes then a space or control byte, or the end) run
 *    to the end of the line, through star-slash too.
 */

/* A byte that may continue an unquoted identifier. */
static int
sql_mysql_identc(unsigned char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '$' || c >= 0x80);
}

/* An ASCII digit. */
static int
sql_mysql_digit(unsigned char c)
{
	return (c >= '0' && c <= '9');
}

/* A hex digit. */
static int
sql_mysql_xdigit(unsigned char c)
{
	return (sql_mysql_digit(c) || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F'));
}

/*
 * Skip a comment body from *pp as the server's consume_comment does: up to
 * and past the first star-slash, allowing nest levels of slash-star inside.
 * Returns 0, or -1 at the end of the input.
 */
static int
sql_mysql_consume(const char *s, size_t len, size_t *pp, int nest)
{
	size_t	 p = *pp;
	char	 c;

	while (p < len) {
		c = s[p++];
		if (nest > 0 && c == '/' && p < len && s[p] == '*') {
			p++;
			(void)sql_mysql_consume(s, len, &p, nest - 1);
			continue;
		}
		if (c == '*' && p < len && s[p] == '/') {
			*pp = p + 1;
			return (0);
		}
	}
	*pp = p;
	return (-1);
}

/*
 * Skip a quoted run starting at the quote s[p]; returns the offset past
 * the closing quote, or 0 if it does not close. *esc is set if it holds
 * escapes or doubled quotes.
 */
static size_t
sql_mysql_quoted(const char *s, size_t len, size_t p, int backslash,
    int *esc)
{
	char	 q = s[p];

	for (p++; p < len; p++) {
		if (s[p] == '\\' && backslash) {
			if (p + 1 >= len)
				return (0);
			p++;
			*esc = 1;
			continue;
		}
		if (s[p] != q)
			continue;
		if (p + 1 < len && s[p + 1] == q) {
			p++;
			*esc = 1;
			continue;
		}
		return (p + 1);
	}
	return (0);
}

/* Append a token, growing past the local array if needed. */
static void
sql_mysql_push(struct sql_mytoks *tk, size_t start, size_t end, int kind,
    int flags)
{
	struct sql_mytok	*t;

	if (tk->n == tk->cap) {
		if (tk->tok == tk->local) {
			tk->tok = xreallocarray(NULL, tk->cap * 2,
			    sizeof *tk->tok);
			memcpy(tk->tok, tk->local, sizeof tk->local);
		} else
			tk->tok = xreallocarray(tk->tok, tk->cap * 2,
			    sizeof *tk->tok);
		tk->cap *= 2;
	}
	t = &tk->tok[tk->n++];
	t->start = (uint32_t)start;
	t->len = (uint32_t)(end - start);
	t->kw = 0;
	t->kind = (uint8_t)kind;
	t->flags = (uint8_t)flags;
}

/*
 * Read a number or a word starting at s[p] (a digit or an identifier
 * byte); returns its end and sets *kind.
 */
static size_t
sql_mysql_word(const char *s, size_t len, size_t p, int *kind)
{
	size_t	 q, r;

	/* 0x1F and 0b101, unless more identifier bytes follow. */
	if (s[p] == '0' && p + 2 < len && (s[p + 1] == 'x' ||
	    s[p + 1] == 'b')) {
		for (q = p + 2; q < len && (s[p + 1] == 'x' ?
		    sql_mysql_xdigit(s[q]) : (s[q] == '0' || s[q] == '1'));
		    q++)
			;
		if (q > p + 2 && (q >= len || !sql_mysql_identc(s[q]))) {
			*kind = SQL_MYTOK_HEX;
			return (q);
		}
	}
	for (q = p; q < len && sql_mysql_digit(s[q]); q++)
		;
	if (q > p && (q >= len || !sql_mysql_identc(s[q]))) {
		/* Digits: an integer, a decimal, maybe an exponent. */
		if (q < len && s[q] == '.' && !(q + 1 < len &&
		    s[q + 1] == '.')) {
			for (q++; q < len && sql_mysql_digit(s[q]); q++)
				;
		}
		if (q < len && (s[q] == 'e' || s[q] == 'E')) {
			r = q + 1;
			if (r < len && (s[r] == '+' || s[r] == '-'))
				r++;
			if (r < len && sql_mysql_digit(s[r])) {
				for (q = r; q < len &&
				    sql_mysql_digit(s[q]); q++)
					;
			}
		}
		*kind = SQL_MYTOK_NUMBER;
		return (q);
	}
	if (q > p && q < len && (s[q] == 'e' || s[q] == 'E')) {
		/* 1e5 and 1e+5 are numbers; 1ea is a word. */
		r = q + 1;
		if (r < len && (s[r] == '+' || s[r] == '-'))
			r++;
		if (r < len && sql_mysql_digit(s[r])) {
			for (q = r; q < len && sql_mysql_digit(s[q]); q++)
				;
			*kind = SQL_MYTOK_NUMBER;
			return (q);
		}
	}
	for (q = p; q < len && sql_mysql_identc(s[q]); q++)
		;
	*kind = SQL_MYTOK_WORD;
	return (q);
}

/*
 * Whether an optimizer hint comment (slash-star-plus, which MySQL 5.7 on
 * reads as hints) sets a variable or a time limit: SET_VAR(...) and
 * MAX_EXECUTION_TIME(...) override session settings for the statement.
 */
static int
sql_mysql_sethint(const char *s, size_t len)
{
	static const char *const	 words[] = {
		"set_var", "max_execution_time",
	};
	size_t				 i, k, n;

	for (k = 0; k < nitems(words); k++) {
		n = strlen(words[k]);
		for (i = 0; i + n <= len; i++) {
			if (strncasecmp(s + i, words[k], n) == 0)
				return (1);
		}
	}
	return (0);
}

/* The length of the operator at s: 3, 2 or 1 bytes. */
static size_t
sql_mysql_oplen(const char *s, size_t len)
{
	static const char *const	 ops[] = {
		"<=>", "->>", "<=", ">=", "<>", "!=", "<<", ">>", "&&", "||",
		":=", "->", "..",
	};
	size_t				 i, n;

	for (i = 0; i < nitems(ops); i++) {
		n = strlen(ops[i]);
		if (n <= len && memcmp(s, ops[i], n) == 0)
			return (n);
	}
	return (1);
}

/* Tokenize a statement as one server reads it; see sql-mysql.h. */
int
sql_mysql_tokenize(const char *s, size_t len,
    const struct sql_mysql_reading *rd, struct sql_mytoks *tk, char **err)
{
	size_t		 p = 0, q, start, prev = SIZE_MAX, n;
	unsigned long	 ver;
	unsigned char	 c;
	int		 exec = 0, kind, flags, esc, run, marker, bs;
	int		 prevkind = 0;

	tk->tok = tk->local;
	tk->n = 0;
	tk->cap = nitems(tk->local);
	tk->gated = 0;
	tk->hint = 0;
	bs = !rd->no_backslash_escapes;
	if (len > UINT32_MAX) {
		xasprintf(err, "statement too long");
		return (-1);
	}
	while (p < len) {
		c = (unsigned char)s[p];
		if (sql_mysql_space(c)) {
			p++;
			continue;
		}
		if (c == '#' || (c == '-' && p + 1 < len && s[p + 1] == '-' &&
		    (p + 2 >= len || sql_mysql_dashend(s[p + 2])))) {
			q = p;
			while (q < len && s[q] != '\n')
				q++;
			p = q;
			continue;
		}
		if (c == '/' && p + 1 < len && s[p + 1] == '*') {
			marker = 0;
			if (p + 2 < len && s[p + 2] == '!')
				marker = 3;
			else if (p + 3 < len && s[p + 2] == 'M' &&
			    s[p + 3] == '!') {
				tk->gated = 1;
				if (rd->mariadb)
					marker = 4;
			}
			if (marker == 0) {
				q = p + 2;
				if (sql_mysql_consume(s, len, &q, 0) != 0)
					goto unterminated;
				if (p + 2 < len && s[p + 2] == '+' &&
				    sql_mysql_sethint(s + p, q - p))
					tk->hint = 1;
				p = q;
				continue;
			}
			q = p + marker;
			for (n = 0; n < 5 && q + n < len &&
			    sql_mysql_digit(s[q + n]); n++)
				;
			if (n < 5) {
				/* No version: the content is code. */
				p = q;
				exec = 1;
				continue;
			}
			tk->gated = 1;
			if (q + 5 < len && sql_mysql_digit(s[q + 5]) &&
			    (rd->digits == SQL_MYDIGITS_6 ||
			    (rd->digits == SQL_MYDIGITS_6SPACE &&
			    q + 6 < len && sql_mysql_space(s[q + 6]))))
				n = 6;
			for (ver = 0, start = q; start < q + n; start++)
				ver = ver * 10 +
				    (unsigned long)(s[start] - '0');
			if (rd->mode == SQL_MYREAD_ALLCODE)
				run = 1;
			else if (rd->mode == SQL_MYREAD_ALLCOMMENT)
				run = 0;
			else {
				run = ver <= rd->version && (!rd->mariadb ||
				    ver < 50700 || ver > 99999 ||
				    marker == 4);
				if (!run && rd->mariadb && rd->wsrep &&
				    ver == 99997)
					run = 1;
			}
			if (run) {
				p = q + n;
				exec = 1;
				continue;
			}
			if (sql_mysql_consume(s, len, &q, 1) != 0)
				goto unterminated;
			p = q;
			continue;
		}
		if (c == '*' && exec && p + 1 < len && s[p + 1] == '/') {
			exec = 0;
			p += 2;
			continue;
		}

		start = p;
		flags = start != prev ? SQL_MYTOKF_GAP : 0;
		esc = 0;
		if (c == '\'' || c == '"' || c == '`') {
			q = sql_mysql_quoted(s, len, p, bs && c != '`' &&
			    !(c == '"' && rd->ansi_quotes), &esc);
			if (q == 0) {
				xasprintf(err, "unterminated %s starting at "
				    "byte %zu", c == '`' || (c == '"' &&
				    rd->ansi_quotes) ? "quoted identifier" :
				    "string", p);
				goto fail;
			}
			kind = c == '`' || (c == '"' && rd->ansi_quotes) ?
			    SQL_MYTOK_QIDENT : SQL_MYTOK_STRING;
			p = q;
		} else if ((c == 'x' || c == 'X' || c == 'b' || c == 'B') &&
		    p + 1 < len && s[p + 1] == '\'') {
			/* X'hex' and B'bits': no escapes; bad digits fail. */
			for (q = p + 2; q < len && s[q] != '\''; q++) {
				if ((c == 'x' || c == 'X') ?
				    !sql_mysql_xdigit(s[q]) :
				    (s[q] != '0' && s[q] != '1'))
					break;
			}
			if (q >= len || s[q] != '\'' || ((c == 'x' ||
			    c == 'X') && (q - p - 2) % 2 != 0)) {
				xasprintf(err, "bad %s literal at byte %zu",
				    c == 'x' || c == 'X' ? "hex" : "bit", p);
				goto fail;
			}
			kind = SQL_MYTOK_HEX;
			p = q + 1;
		} else if ((c == 'n' || c == 'N') && p + 1 < len &&
		    s[p + 1] == '\'') {
			q = sql_mysql_quoted(s, len, p + 1, bs, &esc);
			if (q == 0) {
				xasprintf(err, "unterminated string starting "
				    "at byte %zu", p);
				goto fail;
			}
			kind = SQL_MYTOK_STRING;
			p = q;
		} else if (c == '$' && rd->dollar) {
			xasprintf(err, "\"$\" at byte %zu starts a "
			    "dollar-quoted string for MySQL 9", p);
			goto fail;
		} else if (sql_mysql_identc(c)) {
			p = sql_mysql_word(s, len, p, &kind);
		} else if (c == '.' && p + 1 < len &&
		    sql_mysql_digit(s[p + 1]) && !(p == prev &&
		    (prevkind == SQL_MYTOK_WORD ||
		    prevkind == SQL_MYTOK_QIDENT))) {
			for (q = p + 1; q < len && sql_mysql_digit(s[q]); q++)
				;
			if (q < len && (s[q] == 'e' || s[q] == 'E')) {
				n = q + 1;
				if (n < len && (s[n] == '+' || s[n] == '-'))
					n++;
				if (n < len && sql_mysql_digit(s[n])) {
					for (q = n; q < len &&
					    sql_mysql_digit(s[q]); q++)
						;
				}
			}
			kind = SQL_MYTOK_NUMBER;
			p = q;
		} else if (c == '@') {
			kind = SQL_MYTOK_USERVAR;
			if (p + 1 < len && s[p + 1] == '@') {
				/* @@: the name must follow at once. */
				if (p + 2 >= len || !(sql_mysql_identc(
				    s[p + 2]) || s[p + 2] == '`')) {
					xasprintf(err, "\"@@\" at byte %zu is "
					    "not followed by a variable name",
					    p);
					goto fail;
				}
				kind = SQL_MYTOK_SYSVAR;
				p += 2;
			} else if (p + 1 < len && (s[p + 1] == '\'' ||
			    s[p + 1] == '"' || s[p + 1] == '`')) {
				c = (unsigned char)s[p + 1];
				q = sql_mysql_quoted(s, len, p + 1, bs &&
				    c != '`' && !(c == '"' && rd->ansi_quotes),
				    &esc);
				if (q == 0) {
					xasprintf(err, "unterminated variable "
					    "name starting at byte %zu", p);
					goto fail;
				}
				p = q;
			} else {
				for (p++; p < len && (sql_mysql_identc(s[p]) ||
				    s[p] == '.'); p++)
					;
			}
		} else if (c == '\\') {
			kind = p + 1 < len && s[p + 1] == 'N' ?
			    SQL_MYTOK_NULL : SQL_MYTOK_BACKSLASH;
			p += p + 1 < len ? 2 : 1;
		} else if (c == '?') {
			kind = SQL_MYTOK_PARAM;
			p++;
		} else if (c == ';') {
			kind = SQL_MYTOK_SEMI;
			p++;
		} else {
			kind = SQL_MYTOK_OP;
			p += sql_mysql_oplen(s + p, len - p);
		}
		if (esc)
			flags |= SQL_MYTOKF_ESCAPE;
		sql_mysql_push(tk, start, p, kind, flags);
		prev = p;
		prevkind = kind;
	}
	if (exec) {
		xasprintf(err, "unterminated executable comment");
		goto fail;
	}
	return (0);

unterminated:
	xasprintf(err, "unterminated comment starting at byte %zu", p);
fail:
	return (-1);
}

/* Release what tokenizing allocated. */
void
sql_mysql_toks_free(struct sql_mytoks *tk)
{
	if (tk->tok != tk->local)
		free(tk->tok);
	tk->tok = tk->local;
	tk->n = 0;
}

/* Append a quoted token's value to b; see sql-mysql.h. */
void
sql_mysql_unquote(const char *s, const struct sql_mytok *t,
    const struct sql_mysql_reading *rd, struct buf *b)
{
	const char	*p = s + t->start, *e = p + t->len;
	char		 q;
	int		 bs;

	if (*p == '@' || *p == 'n' || *p == 'N')
		p++;
	if (p >= e)
		return;
	q = *p++;
	e--;			/* the closing quote */
	bs = !rd->no_backslash_escapes && q != '`' &&
	    !(q == '"' && rd->ansi_quotes);
	for (; p < e; p++) {
		if (*p == '\\' && bs && p + 1 < e) {
			switch (*++p) {
			case 'n':
				buf_addc(b, '\n');
				break;
			case 't':
				buf_addc(b, '\t');
				break;
			case 'r':
				buf_addc(b, '\r');
				break;
			case 'b':
				buf_addc(b, '\b');
				break;
			case '0':
				buf_addc(b, '\0');
				break;
			case 'Z':
				buf_addc(b, '\032');
				break;
			case '_':
			case '%':
				buf_addc(b, '\\');
				buf_addc(b, *p);
				break;
			default:
				buf_addc(b, *p);
				break;
			}
			continue;
		}
		if (*p == q && p + 1 < e && p[1] == q)
			p++;
		buf_addc(b, *p);
	}
}
