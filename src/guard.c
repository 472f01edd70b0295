/*
 * guard.c: the dialect-neutral part of classification: checking the
 * input's bytes, fact names, building and merging facts, and the session
 * context the classifiers track (search_path, current database, prepared
 * statements). The dialects are in guard-pg.c and guard-mysql.c. Handles
 * untrusted input; pure.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "dbgate.h"
#include "guard.h"

static const char *guard_kind_names[] = {
	"unknown", "select", "insert", "update", "delete", "merge", "ddl",
	"drop", "truncate", "grant", "role", "set", "show", "copy", "call",
	"do", "prepare", "execute", "explain", "explain-analyze",
	"transaction", "lock", "admin", "listen", "notify", "use", "handler",
	"client",
};

static const char *guard_flag_names[] = {
	"write-without-where", "write", "file-access", "program", "privilege",
	"dynamic-sql", "opaque", "pinned-setting", "server-config",
	"extension", "lock", "row-lock", "maintenance", "kill",
	"client-command", "copy-stdio", "read-write", "context",
	"into-variable", "shutdown", "masked-ref", "masked-out",
	"raw-values",
};

struct guard_prepared {
	char			*name;
	struct guard_facts	 facts;
	struct guard_prepared	*next;
};

/* The fact name of a kind. */
const char *
guard_kind_name(enum stmt_kind k)
{
	if ((size_t)k >= nitems(guard_kind_names))
		return ("unknown");
	return (guard_kind_names[k]);
}

/* The fact name of flag bit index i (GF_WRITE is 1). */
const char *
guard_flag_name(unsigned int i)
{
	if (i >= nitems(guard_flag_names))
		return ("?");
	return (guard_flag_names[i]);
}

/* Look a fact name up (kinds first; "lock" is both). */
int
guard_fact_lookup(const char *name, int *kind, int *flagbit)
{
	size_t	 i;
	int	 found = -1;

	*kind = *flagbit = -1;
	for (i = 0; i < nitems(guard_kind_names); i++) {
		if (strcasecmp(name, guard_kind_names[i]) == 0) {
			*kind = (int)i;
			found = 0;
		}
	}
	for (i = 0; i < nitems(guard_flag_names); i++) {
		if (strcasecmp(name, guard_flag_names[i]) == 0) {
			*flagbit = (int)i;
			found = 0;
		}
	}
	return (found);
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

/* Start a context with the dialect's defaults. */
void
guard_ctx_init(struct guard_ctx *ctx, enum sql_dialect dialect)
{
	static char *const	 path[] = { "$user", "public" };

	memset(ctx, 0, sizeof *ctx);
	ctx->dialect = dialect;
	if (dialect == SQL_POSTGRESQL)
		guard_ctx_set_search_path(ctx, path, nitems(path));
}

/* Release a context. */
void
guard_ctx_free(struct guard_ctx *ctx)
{
	guard_ctx_set_search_path(ctx, NULL, 0);
	free(ctx->database);
	ctx->database = NULL;
	guard_ctx_deallocate(ctx, NULL);
}

/*
 * Copy src into dst (dst is overwritten, not freed first): the REPL takes
 * a snapshot before a request and puts it back if nothing of it ran. The
 * caller owns dst and frees it with guard_ctx_free.
 */
void
guard_ctx_copy(struct guard_ctx *dst, const struct guard_ctx *src)
{
	const struct guard_prepared	*p;

	*dst = *src;
	dst->search_path = NULL;
	dst->nsearch_path = 0;
	dst->database = NULL;
	dst->prepared = NULL;
	guard_ctx_set_search_path(dst, src->search_path, src->nsearch_path);
	guard_ctx_set_database(dst, src->database);
	for (p = src->prepared; p != NULL; p = p->next)
		guard_ctx_prepare(dst, p->name, &p->facts);
}

/* Replace the tracked search_path. */
void
guard_ctx_set_search_path(struct guard_ctx *ctx, char *const *path, size_t n)
{
	size_t	 i;

	for (i = 0; i < ctx->nsearch_path; i++)
		free(ctx->search_path[i]);
	free(ctx->search_path);
	ctx->search_path = NULL;
	ctx->nsearch_path = 0;
	if (n == 0)
		return;
	ctx->search_path = xcalloc(n, sizeof *ctx->search_path);
	for (i = 0; i < n; i++)
		ctx->search_path[i] = xstrdup(path[i]);
	ctx->nsearch_path = n;
}

/* Replace the tracked current database (NULL: none). */
void
guard_ctx_set_database(struct guard_ctx *ctx, const char *db)
{
	free(ctx->database);
	ctx->database = db != NULL ? xstrdup(db) : NULL;
}

/* Remember a prepared statement's facts, replacing any of that name. */
void
guard_ctx_prepare(struct guard_ctx *ctx, const char *name,
    const struct guard_facts *f)
{
	struct guard_prepared	*p;

	guard_ctx_deallocate(ctx, name);
	p = xcalloc(1, sizeof *p);
	p->name = xstrdup(name);
	guard_copy(&p->facts, f);
	p->next = ctx->prepared;
	ctx->prepared = p;
}

/* Forget a prepared statement, or all of them (name NULL). */
void
guard_ctx_deallocate(struct guard_ctx *ctx, const char *name)
{
	struct guard_prepared	**pp = &ctx->prepared, *p;

	while ((p = *pp) != NULL) {
		if (name != NULL && strcmp(p->name, name) != 0) {
			pp = &p->next;
			continue;
		}
		*pp = p->next;
		free(p->name);
		guard_facts_clear(&p->facts);
		free(p);
	}
}

/* The facts prepared under name, or NULL. */
const struct guard_facts *
guard_ctx_prepared(const struct guard_ctx *ctx, const char *name)
{
	const struct guard_prepared	*p;

	for (p = ctx->prepared; p != NULL; p = p->next) {
		if (strcmp(p->name, name) == 0)
			return (&p->facts);
	}
	return (NULL);
}

/* Classify one statement in ctx's dialect. */
void
guard_classify(struct guard_ctx *ctx, const struct sql_stmt *st,
    struct guard_facts *f)
{
	if (ctx->dialect == SQL_POSTGRESQL)
		guard_classify_pg(ctx, st->text, st->len, f);
	else
		guard_classify_mysql(ctx, st->text, st->len, f);
}

/* Add a kind to the set (the first one added is the statement's own). */
void
guard_add_kind(struct guard_facts *f, enum stmt_kind k)
{
	if (f->kinds == 0)
		f->kind = k;
	f->kinds |= (uint64_t)1 << k;
}

/* Add a relation, or the access to one already there. */
void
guard_add_rel(struct guard_facts *f, const char *schema, const char *name,
    unsigned int access)
{
	size_t	 i;

	for (i = 0; i < f->nrels; i++) {
		if (strcmp(f->rels[i].name, name) == 0 &&
		    (f->rels[i].schema == NULL) == (schema == NULL) &&
		    (schema == NULL || strcmp(f->rels[i].schema, schema) == 0)) {
			f->rels[i].access |= access;
			return;
		}
	}
	f->rels = xreallocarray(f->rels, f->nrels + 1, sizeof *f->rels);
	f->rels[f->nrels].schema = schema != NULL ? xstrdup(schema) : NULL;
	f->rels[f->nrels].name = xstrdup(name);
	f->rels[f->nrels].access = access;
	f->nrels++;
}

/* Add a function called. */
void
guard_add_func(struct guard_facts *f, const char *schema, const char *name,
    int opaque)
{
	size_t	 i;

	for (i = 0; i < f->nfuncs; i++) {
		if (strcmp(f->funcs[i].name, name) == 0 &&
		    (f->funcs[i].schema == NULL) == (schema == NULL) &&
		    (schema == NULL ||
		    strcmp(f->funcs[i].schema, schema) == 0)) {
			f->funcs[i].opaque |= opaque;
			return;
		}
	}
	f->funcs = xreallocarray(f->funcs, f->nfuncs + 1, sizeof *f->funcs);
	f->funcs[f->nfuncs].schema = schema != NULL ? xstrdup(schema) : NULL;
	f->funcs[f->nfuncs].name = xstrdup(name);
	f->funcs[f->nfuncs].opaque = opaque;
	f->nfuncs++;
}

/* Merge src into dst (the kind of dst stays its own). */
void
guard_merge(struct guard_facts *dst, const struct guard_facts *src)
{
	size_t	 i;

	if (dst->kinds == 0)
		dst->kind = src->kind;
	dst->kinds |= src->kinds;
	dst->flags |= src->flags;
	for (i = 0; i < src->nrels; i++)
		guard_add_rel(dst, src->rels[i].schema, src->rels[i].name,
		    src->rels[i].access);
	for (i = 0; i < src->nfuncs; i++)
		guard_add_func(dst, src->funcs[i].schema, src->funcs[i].name,
		    src->funcs[i].opaque);
	if (dst->why == NULL && src->why != NULL)
		dst->why = xstrdup(src->why);
	if (dst->setting == NULL && src->setting != NULL)
		dst->setting = xstrdup(src->setting);
}

/* Copy facts into an empty dst. */
void
guard_copy(struct guard_facts *dst, const struct guard_facts *src)
{
	memset(dst, 0, sizeof *dst);
	guard_merge(dst, src);
	dst->kind = src->kind;
}

/* Make the statement unknown, with the first reason given. */
void
guard_unknown(struct guard_facts *f, const char *fmt, ...)
{
	va_list	 ap;

	f->kind = KIND_UNKNOWN;
	f->kinds |= (uint64_t)1 << KIND_UNKNOWN;
	if (f->why != NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&f->why, fmt, ap);
	va_end(ap);
}

/* Release what classification allocated. */
void
guard_facts_clear(struct guard_facts *f)
{
	size_t	 i;

	for (i = 0; i < f->nrels; i++) {
		free(f->rels[i].schema);
		free(f->rels[i].name);
	}
	for (i = 0; i < f->nfuncs; i++) {
		free(f->funcs[i].schema);
		free(f->funcs[i].name);
	}
	free(f->rels);
	free(f->funcs);
	free(f->why);
	free(f->setting);
	free(f->out_masked);
	memset(f, 0, sizeof *f);
}

/* The facts as a JSON object (for the record and policy explain). */
json_t *
guard_facts_json(const struct guard_facts *f)
{
	json_t		*o, *a, *r;
	const char	*acc;
	unsigned int	 i;
	size_t		 k;

	o = json_object();
	json_object_set_new(o, "kind", json_string(guard_kind_name(f->kind)));
	a = json_array();
	for (i = 0; i < KIND_MAX; i++) {
		if (f->kinds & ((uint64_t)1 << i))
			json_array_append_new(a,
			    json_string(guard_kind_name((enum stmt_kind)i)));
	}
	json_object_set_new(o, "kinds", a);
	a = json_array();
	for (i = 0; i < GF_NFLAGS; i++) {
		if (f->flags & (1u << i))
			json_array_append_new(a,
			    json_string(guard_flag_name(i)));
	}
	json_object_set_new(o, "flags", a);
	a = json_array();
	for (k = 0; k < f->nrels; k++) {
		acc = f->rels[k].access == (GUARD_READ | GUARD_WRITE) ?
		    "read-write" : f->rels[k].access == GUARD_WRITE ?
		    "write" : "read";
		r = json_pack("{s:s?, s:s, s:s}", "schema", f->rels[k].schema,
		    "name", f->rels[k].name, "access", acc);
		json_array_append_new(a, r);
	}
	json_object_set_new(o, "relations", a);
	a = json_array();
	for (k = 0; k < f->nfuncs; k++) {
		r = json_pack("{s:s?, s:s, s:b}", "schema", f->funcs[k].schema,
		    "name", f->funcs[k].name, "opaque", f->funcs[k].opaque);
		json_array_append_new(a, r);
	}
	json_object_set_new(o, "functions", a);
	if (f->setting != NULL)
		json_object_set_new(o, "setting", json_string(f->setting));
	if (f->why != NULL)
		json_object_set_new(o, "why", json_string(f->why));
	return (o);
}
