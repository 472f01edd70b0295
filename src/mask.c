/*
 * mask.c: the masking stage between a backend and the renderers. Each
 * result column is decided by where its values come from (maskcat.c):
 * a column with a Mask line gets its strategy, one computed from masked
 * values is masked whole, one whose origin cannot be trusted is masked
 * whole when the statement may carry masked values (the classifier's
 * masked-out). The value detectors run over every other text cell and over
 * error and notice text. A column or value that cannot be masked is
 * refused, never passed raw.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbgate.h"
#include "detect.h"
#include "mask.h"
#include "maskcat.h"

#define MASK_WHOLE	"****"		/* a value masked whole */

enum mask_act {
	ACT_NONE,	/* shown; detectors may still run */
	ACT_RULE,	/* the Mask line's strategy */
	ACT_WHOLE,	/* computed from masked values: MASK_WHOLE */
};

struct mask_colstate {
	enum mask_act			 act;
	const struct config_mask	*rule;
	unsigned int			 detect;	/* DETECT_* over cells */
};

struct mask {
	const struct config_policy	*pol;
	struct maskcat			*mc;
	unsigned char			 key[MASK_KEY_BYTES];
	int				 have_key;	/* else hash is **** */
	unsigned int			 detect;	/* the policy's */
	int				 masked_out;	/* statement's fact */
	const unsigned char		*out_masked;	/* per column, or */
	size_t				 nout;		/* 0: not known */
	int				 trust_base;
	int				 mariadb;	/* origins can be named */
	int				 scrub;		/* errors: cut values */
	struct mask_colstate		*cs;
	struct buf			*bufs;		/* one per column */
	size_t				 n;
};

/* Start masking results for target. */
struct mask *
mask_new(const struct config *cfg, const struct config_target *target,
    struct maskcat *mc, const unsigned char *key)
{
	struct mask	*m;

	m = xcalloc(1, sizeof *m);
	m->pol = config_find_policy(cfg, target->policy);
	m->mc = mc;
	m->detect = config_policy_detect(m->pol);
	if (key != NULL) {
		memcpy(m->key, key, sizeof m->key);
		m->have_key = 1;
	}
	m->trust_base = 1;
	m->mariadb = target->driver == DRIVER_MARIADB;
	return (m);
}

/* Release a mask. */
void
mask_free(struct mask *m)
{
	size_t	 i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		buf_free(&m->bufs[i]);
	free(m->bufs);
	free(m->cs);
	explicit_bzero(m->key, sizeof m->key);
	free(m);
}

/* How many times the word w (lower case) appears in s, any case. */
static size_t
mask_count_word(const char *s, size_t len, const char *w)
{
	size_t	 i, n = 0, wl = strlen(w);

	for (i = 0; i + wl <= len; i++) {
		if (strncasecmp(s + i, w, wl) != 0)
			continue;
		if ((i > 0 && (isalnum((unsigned char)s[i - 1]) ||
		    s[i - 1] == '_')) || (i + wl < len &&
		    (isalnum((unsigned char)s[i + wl]) || s[i + wl] == '_')))
			continue;
		n++;
	}
	return (n);
}

/* Get ready for one statement's results. */
int
mask_statement(struct mask *m, const struct guard_facts *f,
    const char *sql, size_t len, char **err)
{
	size_t	 i;

	m->masked_out = (f->flags & GF_MASKED_OUT) != 0;
	m->out_masked = f->out_masked;
	m->nout = f->out_masked != NULL ? f->nout : 0;
	m->scrub = m->masked_out;
	m->trust_base = 1;
	if (m->mc == NULL || !maskcat_active(m->mc))
		return (0);
	if (maskcat_load(m->mc, err) != 0)
		return (-1);
	for (i = 0; i < f->nrels && !m->scrub; i++)
		if (maskcat_masked(m->mc, f->rels[i].schema,
		    f->rels[i].name) != NULL)
			m->scrub = 1;
	/*
	 * MariaDB names a derived table's or CTE's columns as if they were a
	 * table's: when the statement may carry masked values and has one, a
	 * base table's name in an origin proves nothing. When the classifier
	 * says which outputs may carry masked values, those are masked
	 * whatever their origin claims (mask_columns); otherwise no origin
	 * is believed in a statement that may have such a table.
	 */
	if (m->masked_out && m->nout == 0 &&
	    (mask_count_word(sql, len, "select") > 1 ||
	    mask_count_word(sql, len, "with") > 0 ||
	    mask_count_word(sql, len, "json_table") > 0 ||
	    mask_count_word(sql, len, "values") > 0))
		m->trust_base = 0;
	return (0);
}

/*
 * Whether the statement that just ran used masked values (its errors and
 * notices are cut), and whether sql reads the diagnostics a statement
 * leaves behind (MariaDB: SHOW WARNINGS / ERRORS, GET DIAGNOSTICS), where
 * such a statement's warnings would come back uncut. By words, so a
 * comment or string can only make it say yes.
 */
int
mask_used_masked(const struct mask *m)
{
	return (m->scrub);
}

int
mask_reads_diagnostics(const char *sql, size_t len)
{
	return ((mask_count_word(sql, len, "show") > 0 &&
	    (mask_count_word(sql, len, "warnings") > 0 ||
	    mask_count_word(sql, len, "errors") > 0)) ||
	    mask_count_word(sql, len, "diagnostics") > 0);
}

/* Whether a column's cells are text the detectors read. */
static int
mask_texty(const struct result_column *c)
{
	return (c->kind == VALUE_TEXT || c->kind == VALUE_JSON);
}

/* Decide which columns are masked. */
int
mask_columns(struct mask *m, struct result_column *cols, size_t n,
    char **err)
{
	struct mask_colstate	*cs;
	enum maskcat_origin	 o;
	size_t			 i;

	(void)err;
	if (n > m->n) {
		m->cs = xreallocarray(m->cs, n, sizeof *m->cs);
		m->bufs = xreallocarray(m->bufs, n, sizeof *m->bufs);
		for (i = m->n; i < n; i++)
			buf_init(&m->bufs[i]);
		m->n = n;
	}
	for (i = 0; i < n; i++) {
		cs = &m->cs[i];
		memset(cs, 0, sizeof *cs);
		/* Without a catalog no origin can be trusted. */
		o = m->mc != NULL && maskcat_active(m->mc) ?
		    maskcat_origin(m->mc, &cols[i], m->trust_base, &cs->rule) :
		    m->masked_out ? MCO_UNKNOWN : MCO_CLEAN;
		switch (o) {
		case MCO_RULE:
			if (cs->rule->unmask)
				break;		/* known clean */
			cs->act = ACT_RULE;
			break;
		case MCO_DERIVED:
			cs->act = ACT_WHOLE;
			break;
		case MCO_UNKNOWN:
			/*
			 * The classifier may say which output columns can
			 * carry a masked value; when the result's shape is
			 * not the one it saw, every column may.
			 */
			if (m->masked_out && (m->nout != n ||
			    m->out_masked[i]))
				cs->act = ACT_WHOLE;
			/* FALLTHROUGH */
		case MCO_CLEAN:
			/* A MariaDB origin can be a derived table's alias. */
			if (o == MCO_CLEAN && m->mariadb && m->masked_out &&
			    m->nout == n && m->out_masked[i])
				cs->act = ACT_WHOLE;
			if (mask_texty(&cols[i]))
				cs->detect = m->detect;
			break;
		}
		if (o == MCO_RULE && cs->rule->unmask)
			cs->detect = 0;
		cols[i].masked = cs->act != ACT_NONE;
		if (cs->act != ACT_NONE) {
			cs->detect = 0;
			/* A masked value is text whatever the column was. */
			if (cs->act == ACT_WHOLE ||
			    cs->rule->strategy != MASK_NULL)
				cols[i].kind = VALUE_TEXT;
		}
	}
	return (0);
}

/* Mask one row in place. */
int
mask_row(struct mask *m, struct result_cell *cells, size_t n, char **err)
{
	struct mask_colstate	*cs;
	struct buf		*b;
	size_t			 i;
	int			 masked = 0, isnull;

	if (n > m->n) {
		*err = xstrdup("the row has more columns than its header");
		return (-1);
	}
	for (i = 0; i < n; i++) {
		cs = &m->cs[i];
		b = &m->bufs[i];
		if (cells[i].isnull)
			continue;
		switch (cs->act) {
		case ACT_NONE:
			if (cs->detect == 0 || cells[i].len == 0)
				break;
			if (detect_mask(cs->detect, cells[i].data,
			    cells[i].len, b, NULL) > 0) {
				cells[i].data = b->data;
				cells[i].len = b->len;
				masked++;
			}
			break;
		case ACT_RULE:
			isnull = 0;
			/* Never a known (all-zero) key: anyone could invert
			 * a hash of a small value space with it. */
			mask_value(cs->rule->strategy, cs->rule->keep,
			    m->have_key ? m->key : NULL,
			    cells[i].data, cells[i].len, b, &isnull);
			cells[i].isnull = isnull;
			cells[i].data = isnull ? "" : b->data;
			cells[i].len = isnull ? 0 : b->len;
			masked++;
			break;
		case ACT_WHOLE:
			cells[i].data = MASK_WHOLE;
			cells[i].len = sizeof MASK_WHOLE - 1;
			masked++;
			break;
		}
	}
	return (masked);
}

/*
 * Text that may hold values (an error, a notice), as it may be shown: with
 * cut, every quoted span and every run of two or more digits is replaced
 * (a failed cast's value sits in quotes; RAISE NOTICE '%', ssn needs
 * none); the detectors in detect run over all of it. A new string.
 */
char *
mask_text(const char *msg, int cut, unsigned int detect)
{
	struct buf	 b, d;
	const char	*p, *q;

	buf_init(&b);
	if (cut) {
		for (p = msg; *p != '\0'; p++) {
			if ((*p == '"' || *p == '\'') &&
			    (q = strchr(p + 1, *p)) != NULL) {
				buf_addc(&b, *p);
				buf_adds(&b, MASK_WHOLE);
				buf_addc(&b, *p);
				p = q;
				continue;
			}
			if (isdigit((unsigned char)p[0]) &&
			    isdigit((unsigned char)p[1])) {
				while (isdigit((unsigned char)p[1]))
					p++;
				buf_adds(&b, MASK_WHOLE);
				continue;
			}
			buf_addc(&b, *p);
		}
	} else
		buf_adds(&b, msg);
	buf_init(&d);
	if (detect_mask(detect, b.data != NULL ? b.data : "", b.len, &d,
	    NULL) > 0) {
		buf_free(&b);
		return (buf_cstr(&d));
	}
	buf_free(&d);
	return (buf_cstr(&b));
}

/*
 * An error or notice for the current statement, as it may be shown: cut
 * when the statement uses masked values. Returns a new string.
 */
char *
mask_message(struct mask *m, const char *msg)
{
	return (mask_text(msg, m != NULL && m->scrub,
	    m != NULL ? m->detect : DETECT_ALL));
}
