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
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "dbgate.h"
#include "sql.h"

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
