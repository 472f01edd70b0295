/*
 * guard.c: the first two stages of the statement pipeline: checking the
 * input's bytes and classifying each statement. This is the seam the
 * guardrails work fills in; for now the kind comes from the leading
 * keyword, and what is not recognised is unknown. Handles untrusted input.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbgate.h"
#include "guard.h"

static const char *guard_kind_names[] = {
	"unknown", "select", "insert", "update", "delete", "ddl", "drop",
	"truncate", "grant", "role", "set", "show", "copy", "call", "do",
	"prepare", "execute", "explain", "transaction", "lock", "admin",
};

/* The fact name of a kind. */
const char *
guard_kind_name(enum stmt_kind k)
{
	if ((size_t)k >= nitems(guard_kind_names))
		return ("unknown");
	return (guard_kind_names[k]);
}

/* Check that the input is valid UTF-8 without NUL bytes. */
int
guard_check_bytes(const char *s, size_t len, char **err)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n, k;
	unsigned int		 cp;

	while (i < len) {
		if (p[i] == 0) {
			xasprintf(err, "input holds a NUL byte at offset %zu",
			    i);
			return (-1);
		}
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xc2 && p[i] <= 0xdf) {
			n = 1;
			cp = p[i] & 0x1f;
		} else if (p[i] >= 0xe0 && p[i] <= 0xef) {
			n = 2;
			cp = p[i] & 0x0f;
		} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
			n = 3;
			cp = p[i] & 0x07;
		} else
			goto bad;
		for (k = 1; k <= n; k++) {
			if (i + k >= len || (p[i + k] & 0xc0) != 0x80)
				goto bad;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		/* Overlong forms, surrogates and values past U+10FFFF. */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			goto bad;
		i += n + 1;
	}
	return (0);
bad:
	xasprintf(err, "input is not valid UTF-8 (byte 0x%02x at offset %zu)",
	    p[i], i);
	return (-1);
}

/* Leading keywords and the kinds they give. */
static const struct {
	const char	*word;
	enum stmt_kind	 kind;
} guard_words[] = {
	{ "select", KIND_SELECT }, { "values", KIND_SELECT },
	{ "table", KIND_SELECT }, { "with", KIND_SELECT },
	{ "insert", KIND_INSERT }, { "replace", KIND_INSERT },
	{ "update", KIND_UPDATE }, { "delete", KIND_DELETE },
	{ "create", KIND_DDL }, { "alter", KIND_DDL }, { "rename", KIND_DDL },
	{ "comment", KIND_DDL }, { "drop", KIND_DROP },
	{ "truncate", KIND_TRUNCATE }, { "grant", KIND_GRANT },
	{ "revoke", KIND_GRANT }, { "set", KIND_SET }, { "reset", KIND_SET },
	{ "show", KIND_SHOW }, { "describe", KIND_SHOW },
	{ "desc", KIND_SHOW }, { "copy", KIND_COPY }, { "call", KIND_CALL },
	{ "do", KIND_DO }, { "prepare", KIND_PREPARE },
	{ "execute", KIND_EXECUTE }, { "explain", KIND_EXPLAIN },
	{ "begin", KIND_TRANSACTION }, { "start", KIND_TRANSACTION },
	{ "commit", KIND_TRANSACTION }, { "rollback", KIND_TRANSACTION },
	{ "savepoint", KIND_TRANSACTION }, { "release", KIND_TRANSACTION },
	{ "end", KIND_TRANSACTION }, { "abort", KIND_TRANSACTION },
	{ "lock", KIND_LOCK }, { "vacuum", KIND_ADMIN },
	{ "analyze", KIND_ADMIN }, { "cluster", KIND_ADMIN },
	{ "reindex", KIND_ADMIN }, { "checkpoint", KIND_ADMIN },
	{ "kill", KIND_ADMIN }, { "flush", KIND_ADMIN },
	{ "use", KIND_SET },
};

/* Skip blanks and comments (both dialects' forms). */
static const char *
guard_skip(const char *p, const char *end)
{
	for (;;) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
			while (p < end && *p != '\n')
				p++;
		} else if (p < end && *p == '#') {
			while (p < end && *p != '\n')
				p++;
		} else if (end - p >= 2 && p[0] == '/' && p[1] == '*' &&
		    !(end - p >= 3 && (p[2] == '!' || p[2] == 'M'))) {
			p += 2;
			while (end - p >= 2 && !(p[0] == '*' && p[1] == '/'))
				p++;
			p = end - p >= 2 ? p + 2 : end;
		} else
			return (p);
	}
}

/* Classify one statement by its leading keyword. */
void
guard_classify(enum sql_dialect dialect, const struct sql_stmt *st,
    struct guard_facts *f)
{
	const char	*p, *end = st->text + st->len, *w;
	size_t		 i, n;

	memset(f, 0, sizeof *f);
	p = guard_skip(st->text, end);
	for (w = p; p < end && isalpha((unsigned char)*p); p++)
		/* nothing */;
	n = (size_t)(p - w);
	for (i = 0; i < nitems(guard_words); i++) {
		if (strlen(guard_words[i].word) == n &&
		    strncasecmp(guard_words[i].word, w, n) == 0) {
			f->kind = guard_words[i].kind;
			return;
		}
	}
	f->kind = KIND_UNKNOWN;
	xasprintf(&f->why, "dbgate does not recognise this %s statement",
	    dialect == SQL_POSTGRESQL ? "PostgreSQL" : "MariaDB/MySQL");
}

/* Release what classification allocated. */
void
guard_facts_clear(struct guard_facts *f)
{
	free(f->why);
	f->why = NULL;
}
