/*
 * test-guard.c: the data-driven classification tables. Every line of
 * tests/data/guard-pg.tsv and guard-mysql.tsv is an input run through the
 * byte check, the splitter, the classifier and the built-in policy, and
 * the verdict and facts are checked. See the top of either file for the
 * format.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbgate.h"
#include "guard.h"
#include "policy.h"
#include "tap.h"

struct tctx {
	unsigned long	 version;
	int		 mariadb;
	int		 readonly;
	int		 ansi_quotes;
	int		 no_backslash;
	char		 database[64];
	char		 masked[512];	/* "[schema.]table:col,col;..." */
	char		 known[512];	/* every column, same form */
};

/*
 * The columns of a relation named by spec: entries "[schema.]table:col,col"
 * split by ';'; an entry without a schema answers for every schema.
 */
static const char *const *
test_spec_cols(const char *specstr, const char *schema, const char *name)
{
	static char		 spec[512];
	static const char	*cols[32];
	char			*e, *c, *rel, *dot, *save = NULL, *save2;
	size_t			 n;

	snprintf(spec, sizeof spec, "%s", specstr);
	for (e = strtok_r(spec, ";", &save); e != NULL;
	    e = strtok_r(NULL, ";", &save)) {
		rel = e;
		if ((c = strchr(e, ':')) == NULL)
			continue;
		*c++ = '\0';
		if ((dot = strchr(rel, '.')) != NULL) {
			*dot = '\0';
			if (strcmp(dot + 1, name) != 0 || (schema != NULL &&
			    strcmp(rel, schema) != 0))
				continue;
		} else if (strcmp(rel, name) != 0)
			continue;
		n = 0;
		for (save2 = NULL, c = strtok_r(c, ",", &save2);
		    c != NULL && n + 1 < nitems(cols);
		    c = strtok_r(NULL, ",", &save2))
			cols[n++] = c;
		cols[n] = NULL;
		return (cols);
	}
	return (NULL);
}

/* The masked columns of a relation under the "masked=" directive. */
static const char *const *
test_masked(void *arg, const char *schema, const char *name)
{
	return (test_spec_cols(((const struct tctx *)arg)->masked, schema,
	    name));
}

/* Every column of a relation under the "known=" directive. */
static const char *const *
test_known(void *arg, const char *schema, const char *name)
{
	const struct tctx	*t = arg;

	return (t->known[0] != '\0' ? test_spec_cols(t->known, schema,
	    name) : NULL);
}

/* Decode the SQL column's escapes into b. -1 on a bad escape. */
static int
unescape(const char *s, struct buf *b)
{
	unsigned int	 v;

	for (; *s != '\0'; s++) {
		if (*s != '\\') {
			buf_addc(b, *s);
			continue;
		}
		switch (*++s) {
		case 'n':
			buf_addc(b, '\n');
			break;
		case 't':
			buf_addc(b, '\t');
			break;
		case 'r':
			buf_addc(b, '\r');
			break;
		case '\\':
			buf_addc(b, '\\');
			break;
		case 'x':
			if (!isxdigit((unsigned char)s[1]) ||
			    !isxdigit((unsigned char)s[2]) ||
			    sscanf(s + 1, "%2x", &v) != 1)
				return (-1);
			buf_addc(b, (char)v);
			s += 2;
			break;
		default:
			/* Any other backslash is kept as is. */
			buf_addc(b, '\\');
			if (*s == '\0')
				return (0);
			buf_addc(b, *s);
			break;
		}
	}
	return (0);
}

/* A directive's number: all digits, at most max. -1 if not. */
static long
number(const char *v, unsigned long max)
{
	unsigned long	 n;
	char		*end;

	if (*v < '0' || *v > '9')
		return (-1);
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno != 0 || *end != '\0' || n > max)
		return (-1);
	return ((long)n);
}

/* Apply a "#! key=value ..." line. */
static void
directive(struct tctx *t, char *line, const char *where)
{
	static const struct {
		const char	*key;
		size_t		 off;
		unsigned long	 max;
	} flags[] = {
		{ "mariadb", offsetof(struct tctx, mariadb), 1 },
		{ "readonly", offsetof(struct tctx, readonly), 1 },
		{ "ansi_quotes", offsetof(struct tctx, ansi_quotes), 1 },
		{ "no_backslash_escapes", offsetof(struct tctx, no_backslash),
		  1 },
	};
	char	*w, *v, *save = NULL;
	long	 n;
	size_t	 i;

	for (w = strtok_r(line, " \t", &save); w != NULL;
	    w = strtok_r(NULL, " \t", &save)) {
		if ((v = strchr(w, '=')) == NULL)
			goto bad;
		*v++ = '\0';
		if (strcmp(w, "database") == 0) {
			snprintf(t->database, sizeof t->database, "%s", v);
			continue;
		}
		if (strcmp(w, "masked") == 0) {
			snprintf(t->masked, sizeof t->masked, "%s", v);
			continue;
		}
		if (strcmp(w, "known") == 0) {
			snprintf(t->known, sizeof t->known, "%s", v);
			continue;
		}
		if (strcmp(w, "version") == 0) {
			if ((n = number(v, 999999)) < 0)
				goto bad;
			t->version = (unsigned long)n;
			continue;
		}
		for (i = 0; i < nitems(flags); i++) {
			if (strcmp(w, flags[i].key) == 0)
				break;
		}
		if (i == nitems(flags) || (n = number(v, flags[i].max)) < 0)
			goto bad;
		*(int *)((char *)t + flags[i].off) = (int)n;
	}
	return;
bad:
	tap_ok(0, "%s: bad directive", where);
}

/* Whether name is among the kinds or flags of f. */
static int
has_fact(const struct guard_facts *f, const char *name)
{
	int	 kind, flag;

	if (guard_fact_lookup(name, &kind, &flag) != 0)
		return (-1);
	return ((kind >= 0 && (f->kinds & ((uint64_t)1 << kind))) ||
	    (flag >= 0 && (f->flags & (1u << flag))));
}

/*
 * The output columns that may carry a masked value, of the last
 * statement of a case, as "0101", or "?" when not known.
 */
static void
out_string(const struct guard_facts *f, char *s, size_t size)
{
	size_t	 i;

	if (f->out_masked == NULL) {
		snprintf(s, size, "?");
		return;
	}
	for (i = 0; i < f->nout && i + 1 < size; i++)
		s[i] = f->out_masked[i] ? '1' : '0';
	s[i] = '\0';
}

/*
 * Run one case; returns the verdict and fills all (union of facts) and
 * out (out_string of the last statement).
 */
static enum verdict_action
run_case(enum sql_dialect d, const struct tctx *t, const char *sql,
    size_t len, struct guard_facts *all, char **why, char *out,
    size_t outsize)
{
	struct guard_ctx	 ctx;
	struct sql_script	 sc;
	struct guard_facts	 f;
	struct verdict		 v;
	enum verdict_action	 worst = VERDICT_ALLOW;
	char			*err = NULL;
	size_t			 i;

	memset(all, 0, sizeof *all);
	*why = NULL;
	snprintf(out, outsize, "?");
	if (guard_check_bytes(sql, len, &err) != 0 ||
	    sql_split(d, sql, len, &sc, &err) != 0) {
		*why = err;
		return (VERDICT_DENY);
	}
	guard_ctx_init(&ctx, d);
	ctx.read_only = t->readonly;
	if (t->masked[0] != '\0') {
		ctx.masked = test_masked;
		ctx.columns = test_known;
		ctx.masked_arg = (void *)t;
	}
	if (d == SQL_MYSQL) {
		ctx.server_version = t->version;
		ctx.mariadb = t->mariadb;
		ctx.ansi_quotes = t->ansi_quotes;
		ctx.no_backslash_escapes = t->no_backslash;
		guard_ctx_set_database(&ctx, t->database[0] != '\0' ?
		    t->database : NULL);
	}
	for (i = 0; i < sc.n; i++) {
		guard_classify(&ctx, &sc.stmts[i], &f);
		policy_evaluate(NULL, t->readonly, &f, &v);
		if (v.action > worst) {
			worst = v.action;
			free(*why);
			xasprintf(why, "%s (%s)", v.rule,
			    v.message != NULL ? v.message : "");
		}
		guard_merge(all, &f);
		out_string(&f, out, outsize);
		verdict_clear(&v);
		guard_facts_clear(&f);
	}
	if (sc.n == 0)
		xasprintf(why, "no statements");
	guard_ctx_free(&ctx);
	sql_script_free(&sc);
	return (worst);
}

/* Run every case of one table. */
static void
run_table(const char *path, enum sql_dialect d, size_t *ncases)
{
	struct tctx		 t;
	struct guard_facts	 all;
	struct buf		 sql;
	enum verdict_action	 want, got;
	FILE			*fp;
	char			*line = NULL, *tab, *facts, *fact, *save, *why;
	char			 where[512], out[256];
	size_t			 cap = 0;
	ssize_t			 n;
	int			 lineno = 0, ok, h, neg;

	memset(&t, 0, sizeof t);
	t.version = 101106;
	t.mariadb = 1;
	snprintf(t.database, sizeof t.database, "app");
	if ((fp = fopen(path, "r")) == NULL) {
		tap_ok(0, "cannot open %s", path);
		return;
	}
	while ((n = getline(&line, &cap, fp)) != -1) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		snprintf(where, sizeof where, "%s:%d", path, lineno);
		if (strncmp(line, "#!", 2) == 0) {
			directive(&t, line + 2, where);
			continue;
		}
		if (n == 0 || line[0] == '#')
			continue;
		if ((tab = strchr(line, '\t')) == NULL) {
			tap_ok(0, "%s: no tab", where);
			continue;
		}
		*tab++ = '\0';
		if ((facts = strchr(line, ':')) != NULL)
			*facts++ = '\0';
		if (verdict_parse(line, &want) != 0) {
			tap_ok(0, "%s: bad verdict \"%s\"", where, line);
			continue;
		}
		buf_init(&sql);
		if (unescape(tab, &sql) != 0) {
			tap_ok(0, "%s: bad escape", where);
			buf_free(&sql);
			continue;
		}
		(*ncases)++;
		got = run_case(d, &t, sql.len ? sql.data : "", sql.len, &all,
		    &why, out, sizeof out);
		ok = tap_ok(got == want, "%s: %s %s", where, line, tab);
		if (!ok)
			printf("#   got %s: %s\n", verdict_name(got),
			    why != NULL ? why : "");
		for (save = NULL, fact = facts != NULL ?
		    strtok_r(facts, ",", &save) : NULL; fact != NULL;
		    fact = strtok_r(NULL, ",", &save)) {
			if (strncmp(fact, "out=", 4) == 0) {
				if (!tap_ok(strcmp(out, fact + 4) == 0,
				    "%s: out=%s", where, fact + 4))
					printf("#   got out=%s\n", out);
				continue;
			}
			neg = fact[0] == '!';
			h = has_fact(&all, fact + neg);
			if (h >= 0 && neg) {
				tap_ok(!h, "%s: lacks %s", where, fact + 1);
				continue;
			}
			if (h < 0)
				tap_ok(0, "%s: unknown fact \"%s\"", where,
				    fact);
			else if (!tap_ok(h, "%s: has %s", where, fact))
				printf("#   kind %s\n",
				    guard_kind_name(all.kind));
		}
		free(why);
		guard_facts_clear(&all);
		buf_free(&sql);
	}
	free(line);
	fclose(fp);
}

int
main(void)
{
	const char	*dir = getenv("TESTDATA");
	char		*path;
	size_t		 npg = 0, nmy = 0;

	if (dir == NULL)
		dir = "tests/data";
	xasprintf(&path, "%s/guard-pg.tsv", dir);
	run_table(path, SQL_POSTGRESQL, &npg);
	free(path);
	xasprintf(&path, "%s/guard-mysql.tsv", dir);
	run_table(path, SQL_MYSQL, &nmy);
	free(path);
	/* The issue asks for at least this many cases per dialect. */
	tap_ok(npg >= 200, "%zu PostgreSQL cases (at least 200)", npg);
	tap_ok(nmy >= 150, "%zu MariaDB/MySQL cases (at least 150)", nmy);
	return (tap_done());
}
