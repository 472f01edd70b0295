/*
 * sql-pg.c: splitting PostgreSQL input into statements with libpg_query
 * (PostgreSQL's own parser), and the dialect-neutral entry points of
 * sql.h. Handles untrusted input; pure: never prints or exits except
 * through xmalloc on exhaustion.
 *
 * libpg_query's lexer assumes standard_conforming_strings on, which the
 * backend pins, so the split here is the one the server will see.
 */
#include <pg_query.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dbgate.h"
#include "sql.h"

/* PgQuery__Token PARAM in libpg_query's pg_query.proto: a $N token. */
#define SQL_PG_TOKEN_PARAM	267

/* The protocol allows at most this many parameters. */
#define SQL_PG_MAX_PARAM	65535

/* Split text in the given dialect; see sql.h. */
int
sql_split(enum sql_dialect dialect, const char *text, size_t len,
    struct sql_script *out, char **err)
{
	switch (dialect) {
	case SQL_POSTGRESQL:
		return (sql_split_pg(text, len, out, err));
	case SQL_MYSQL:
		return (sql_split_mysql(text, len, out, err));
	}
	xasprintf(err, "unknown SQL dialect %d", (int)dialect);
	return (-1);
}

/* Free a script's statements; the script itself is the caller's. */
void
sql_script_free(struct sql_script *sc)
{
	size_t	 i;

	if (sc == NULL)
		return;
	for (i = 0; i < sc->n; i++)
		free(sc->stmts[i].text);
	free(sc->stmts);
	sc->stmts = NULL;
	sc->n = 0;
}

/* PostgreSQL's whitespace. */
static int
sql_pg_space(unsigned char c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v');
}

/* The 1-based line holding the character at 1-based position pos. */
static int
sql_pg_char_line(const char *s, size_t len, int pos)
{
	size_t	 i;
	int	 line = 1, chars = 0;

	for (i = 0; i < len; i++) {
		/* Count characters, not UTF-8 continuation bytes. */
		if (((unsigned char)s[i] & 0xc0) != 0x80 && ++chars >= pos)
			break;
		if (s[i] == '\n')
			line++;
	}
	return (line);
}

/* Format a libpg_query error, with the line it points at if it does. */
static void
sql_pg_error(const char *s, size_t len, const PgQueryError *e, char **err)
{
	if (e->cursorpos > 0) {
		xasprintf(err, "%s (line %d)", e->message,
		    sql_pg_char_line(s, len, e->cursorpos));
	} else
		xasprintf(err, "%s", e->message);
}

/* Read a protobuf varint at *p (below end). 0, or -1 if malformed. */
static int
sql_pg_varint(const unsigned char **p, const unsigned char *end,
    uint64_t *v)
{
	int	 shift;

	*v = 0;
	for (shift = 0; shift < 64 && *p < end; shift += 7) {
		*v |= (uint64_t)(**p & 0x7f) << shift;
		if ((*(*p)++ & 0x80) == 0)
			return (0);
	}
	return (-1);
}

/*
 * Skip a protobuf field of the given wire type at *p, or read its length
 * (wire type 2) into *sub and *sublen. 0, or -1 if malformed.
 */
static int
sql_pg_field(const unsigned char **p, const unsigned char *end, int wire,
    uint64_t *v, const unsigned char **sub, size_t *sublen)
{
	uint64_t	 n;

	switch (wire) {
	case 0:
		return (sql_pg_varint(p, end, v));
	case 1:
	case 5:
		n = wire == 1 ? 8 : 4;
		if ((uint64_t)(end - *p) < n)
			return (-1);
		*p += n;
		return (0);
	case 2:
		if (sql_pg_varint(p, end, &n) != 0 ||
		    n > (uint64_t)(end - *p))
			return (-1);
		*sub = *p;
		*sublen = n;
		*p += n;
		return (0);
	}
	return (-1);
}

/*
 * Decode one ScanToken message (pg_query.proto: start = 1, end = 2,
 * token = 4). 0, or -1 if malformed.
 */
static int
sql_pg_token(const unsigned char *p, size_t len, uint64_t *start,
    uint64_t *end, uint64_t *token)
{
	const unsigned char	*e = p + len, *sub;
	uint64_t		 key, v = 0;
	size_t			 sublen;

	*start = *end = *token = 0;
	while (p < e) {
		if (sql_pg_varint(&p, e, &key) != 0 ||
		    sql_pg_field(&p, e, key & 7, &v, &sub, &sublen) != 0)
			return (-1);
		if ((key & 7) != 0)
			continue;
		switch (key >> 3) {
		case 1:
			*start = v;
			break;
		case 2:
			*end = v;
			break;
		case 4:
			*token = v;
			break;
		}
	}
	return (0);
}

/*
 * Set each statement's nparams to the highest $N among the PARAM tokens
 * that lie within it. offs[i] is statement i's start in s; the tokens and
 * statements are both in input order. 0, or -1 and *err.
 */
static int
sql_pg_params(const char *s, size_t len, struct sql_script *sc,
    const size_t *offs, char **err)
{
	PgQueryScanResult	 r;
	const unsigned char	*p, *e, *sub;
	uint64_t		 key, v, start, end, token;
	size_t			 sublen, i = 0, k;
	unsigned long		 n;
	int			 ret = -1;

	r = pg_query_scan(s);
	if (r.error != NULL) {
		sql_pg_error(s, len, r.error, err);
		goto out;
	}
	p = (const unsigned char *)r.pbuf.data;
	e = p + r.pbuf.len;
	while (p < e) {
		if (sql_pg_varint(&p, e, &key) != 0 ||
		    sql_pg_field(&p, e, key & 7, &v, &sub, &sublen) != 0)
			goto bad;
		if ((key >> 3) != 2 || (key & 7) != 2)
			continue;
		if (sql_pg_token(sub, sublen, &start, &end, &token) != 0)
			goto bad;
		if (token != SQL_PG_TOKEN_PARAM)
			continue;
		if (start >= len || s[start] != '$')
			goto bad;
		while (i + 1 < sc->n && offs[i + 1] <= start)
			i++;
		if (sc->n == 0 || start < offs[i] ||
		    start >= offs[i] + sc->stmts[i].len)
			continue;
		for (n = 0, k = start + 1; k < len && s[k] >= '0' &&
		    s[k] <= '9'; k++) {
			n = n * 10 + (unsigned long)(s[k] - '0');
			if (n > SQL_PG_MAX_PARAM) {
				xasprintf(err, "parameter $%.*s out of range "
				    "(line %d)", (int)(k - start), s + start +
				    1, sc->stmts[i].line);
				goto out;
			}
		}
		if ((int)n > sc->stmts[i].nparams)
			sc->stmts[i].nparams = (int)n;
	}
	ret = 0;
	goto out;

bad:
	xasprintf(err, "cannot read libpg_query's scan output");
out:
	pg_query_free_scan_result(r);
	return (ret);
}

/* Split PostgreSQL text into statements; see sql.h. */
int
sql_split_pg(const char *text, size_t len, struct sql_script *out,
    char **err)
{
	PgQuerySplitResult	 r;
	struct sql_script	 sc = { NULL, 0 };
	struct sql_stmt		*st;
	size_t			*offs = NULL, loc, slen, seen = 0, i;
	char			*s;
	int			 line = 1, ret = -1;

	s = xmalloc(len + 1);
	memcpy(s, text, len);
	s[len] = '\0';

	r = pg_query_split_with_parser(s);
	if (r.error != NULL) {
		sql_pg_error(s, len, r.error, err);
		goto out;
	}
	sc.stmts = xcalloc(r.n_stmts, sizeof *sc.stmts);
	offs = xcalloc(r.n_stmts, sizeof *offs);
	for (i = 0; i < (size_t)r.n_stmts; i++) {
		if (r.stmts[i]->stmt_location < 0 ||
		    r.stmts[i]->stmt_len < 0 ||
		    (size_t)r.stmts[i]->stmt_location > len ||
		    (size_t)r.stmts[i]->stmt_len >
		    len - r.stmts[i]->stmt_location) {
			xasprintf(err, "libpg_query returned a statement "
			    "outside the input");
			goto out;
		}
		loc = r.stmts[i]->stmt_location;
		slen = r.stmts[i]->stmt_len;
		if (slen == 0)
			slen = len - loc;
		while (slen > 0 && sql_pg_space(s[loc]))
			loc++, slen--;
		while (slen > 0 && sql_pg_space(s[loc + slen - 1]))
			slen--;
		if (slen == 0)
			continue;
		for (; seen < loc; seen++) {
			if (s[seen] == '\n')
				line++;
		}
		offs[sc.n] = loc;
		st = &sc.stmts[sc.n++];
		st->text = xstrndup(s + loc, slen);
		st->len = slen;
		st->line = line;
	}
	/* A parameter ($N) needs a '$': without one there is none to find,
	 * and no need for a second pass over the whole text. */
	if (sc.n > 0 && memchr(s, '$', len) != NULL &&
	    sql_pg_params(s, len, &sc, offs, err) != 0)
		goto out;
	*out = sc;
	sc.stmts = NULL;
	sc.n = 0;
	ret = 0;

out:
	sql_script_free(&sc);
	pg_query_free_split_result(r);
	free(offs);
	free(s);
	return (ret);
}
