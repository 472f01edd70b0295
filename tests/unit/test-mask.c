/*
 * test-mask.c: the masking stage without a database: column decisions
 * when no catalog is involved (detectors over text columns only, numbers
 * untouched), the masked-out fallback, and the cutting of error and notice
 * text for statements that use masked values. Masking by origin, with the
 * catalog, is tested on the real servers (tests/bats/80-mask.bats).
 */
#include <stdlib.h>
#include <string.h>

#include "dbgate.h"
#include "detect.h"
#include "mask.h"
#include "tap.h"

/* A config with one target and the given policy lines. */
static struct config *
load(const char *policy_lines)
{
	struct config		*cfg = NULL;
	struct config_diags	 d;
	char			*text;

	xasprintf(&text, "StateDir /tmp\nUser u\n    OSUser root\n"
	    "Target t\n    Driver postgresql\n    Connect \"host=/tmp\"\n"
	    "    AllowUsers u\n    Policy p\nPolicy p\n%s", policy_lines);
	if (config_load_buffer("test", text, strlen(text), CONFIG_NOFILES,
	    &cfg, &d) != 0)
		cfg = NULL;
	config_diags_free(&d);
	free(text);
	return (cfg);
}

/* A cell from a string (NULL: SQL NULL). */
static struct result_cell
cell(const char *s)
{
	struct result_cell	 c;

	c.data = s != NULL ? s : "";
	c.len = s != NULL ? strlen(s) : 0;
	c.isnull = s == NULL;
	return (c);
}

/* A cell's text as a new string ("<NULL>" for NULL). */
static char *
text(const struct result_cell *c)
{
	return (c->isnull ? xstrdup("<NULL>") : xstrndup(c->data, c->len));
}

static void
test_detectors_only(void)
{
	struct config		*cfg;
	struct mask		*m;
	struct guard_facts	 f;
	struct result_column	 cols[3];
	struct result_cell	 row[3];
	char			*err = NULL, *s;
	int			 n;

	if (!tap_ok((cfg = load("    Allow select\n")) != NULL, "config"))
		return;
	memset(&f, 0, sizeof f);
	memset(cols, 0, sizeof cols);
	cols[0].name = "id";
	cols[0].kind = VALUE_INT;
	cols[1].name = "note";
	cols[1].kind = VALUE_TEXT;
	cols[2].name = "n";
	cols[2].kind = VALUE_BIGNUM;
	m = mask_new(cfg, &cfg->targets[0], NULL, NULL);
	tap_ok(mask_statement(m, &f, "SELECT 1", 8, &err) == 0,
	    "statement without a catalog");
	tap_ok(mask_columns(m, cols, 3, &err) == 0 && !cols[0].masked &&
	    !cols[1].masked && !cols[2].masked, "no column masked whole");
	row[0] = cell("4242424242424242");
	row[1] = cell("write to alice.example@example.com please");
	row[2] = cell("4242424242424242");
	n = mask_row(m, row, 3, &err);
	tap_ok(n == 1, "one value masked (%d)", n);
	s = text(&row[0]);
	tap_is(s, "4242424242424242", "an integer column is never scanned");
	free(s);
	s = text(&row[2]);
	tap_is(s, "4242424242424242", "nor a numeric one");
	free(s);
	s = text(&row[1]);
	tap_ok(strstr(s, "alice.example") == NULL && strstr(s,
	    "please") != NULL, "the email in text is masked: %s", s);
	free(s);
	row[1] = cell(NULL);
	tap_ok(mask_row(m, row, 3, &err) == 0 && row[1].isnull,
	    "NULL stays NULL, not counted");
	row[1] = cell("order 123456789 shipped 2024-01-15, v1.2.3");
	tap_ok(mask_row(m, row, 3, &err) == 0, "near misses are left alone");
	mask_free(m);
	config_free(cfg);
}

static void
test_masked_out(void)
{
	struct config		*cfg;
	struct mask		*m;
	struct guard_facts	 f;
	struct result_column	 cols[2];
	struct result_cell	 row[2];
	char			*err = NULL, *s;

	if (!tap_ok((cfg = load("    Mask customers.ssn partial 4\n")) !=
	    NULL, "config"))
		return;
	memset(&f, 0, sizeof f);
	f.flags = GF_MASKED_OUT;
	memset(cols, 0, sizeof cols);
	cols[0].name = "upper";
	cols[0].kind = VALUE_TEXT;
	cols[1].name = "n";
	cols[1].kind = VALUE_INT;
	m = mask_new(cfg, &cfg->targets[0], NULL, NULL);
	tap_ok(mask_statement(m, &f, "SELECT upper(ssn), 1 FROM customers",
	    35, &err) == 0, "masked-out statement");
	/* No catalog: every origin is untrusted, so all is masked whole. */
	tap_ok(mask_columns(m, cols, 2, &err) == 0 && cols[0].masked &&
	    cols[1].masked && cols[1].kind == VALUE_TEXT,
	    "untrusted columns are masked whole, and become text");
	row[0] = cell("914-14-1377");
	row[1] = cell("7");
	tap_ok(mask_row(m, row, 2, &err) == 2, "two values masked");
	s = text(&row[0]);
	tap_is(s, "****", "masked whole");
	free(s);
	s = mask_message(m, "invalid input syntax for type integer: "
	    "\"914-14-1377\" at 'x'");
	tap_is(s, "invalid input syntax for type integer: \"****\" at "
	    "'****'", "quoted values are cut from errors");
	free(s);
	s = mask_message(m, "it's 914-14-1377");
	tap_ok(strstr(s, "914-14-1377") == NULL, "an unbalanced quote "
	    "still meets the detectors: %s", s);
	free(s);
	mask_free(m);
	/* A statement with no masked value keeps quoted text. */
	m = mask_new(cfg, &cfg->targets[0], NULL, NULL);
	f.flags = 0;
	tap_ok(mask_statement(m, &f, "SELECT 'a'::int", 15, &err) == 0,
	    "plain statement");
	s = mask_message(m, "invalid input syntax for type integer: \"a\"");
	tap_is(s, "invalid input syntax for type integer: \"a\"",
	    "errors of other statements are kept");
	free(s);
	s = mask_message(NULL, "duplicate key: (email)=(bob@example.org)");
	tap_ok(strstr(s, "bob@") == NULL, "detectors run over every "
	    "message: %s", s);
	free(s);
	mask_free(m);
	config_free(cfg);
}

int
main(void)
{
	test_detectors_only();
	test_masked_out();
	return (tap_done());
}
