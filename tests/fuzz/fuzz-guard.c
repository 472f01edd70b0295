/*
 * fuzz-guard.c: libFuzzer target for one dialect's byte check, splitter,
 * classifier and the built-in policy (FUZZ_DIALECT). The first input byte
 * picks the context (version known or not, ReadOnly, sql_mode, masked
 * columns), the rest is the SQL. Any crash, leak or sanitizer report is a
 * bug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dbgate.h"
#include "guard.h"
#include "policy.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Masked columns for mode bit 64: some of a relation's, or all of them;
 * with bit 128 never all (the walk that follows names, not the one that
 * takes every column as masked).
 */
static const char *const *
fuzz_masked(void *arg, const char *schema, const char *name)
{
	static const char *const some[] = { "a", "email", "ssn", NULL };
	static const char *const all[] = { "*", NULL };
	const unsigned char	*mode = arg;

	(void)schema;
	if ((name[0] >= 'a' && name[0] <= 'm') || (*mode & 128))
		return (some);
	return (name[0] >= 'n' && name[0] <= 'v' ? all : NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct guard_ctx	 ctx;
	struct sql_script	 sc;
	struct guard_facts	 f;
	struct verdict		 v;
	char			*err = NULL, *text;
	unsigned char		 mode;
	size_t			 i, k;

	if (size < 1)
		return (0);
	mode = data[0];
	/* NUL-terminated copy: the classifiers see what sql_split gives. */
	text = xmalloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (guard_check_bytes(text, size - 1, &err) != 0 ||
	    sql_split(FUZZ_DIALECT, text, size - 1, &sc, &err) != 0) {
		free(err);
		free(text);
		return (0);
	}
	guard_ctx_init(&ctx, FUZZ_DIALECT);
	ctx.read_only = mode & 1;
	ctx.server_version = (mode & 2) ? 0 : (mode & 4) ? 80030 : 101106;
	ctx.mariadb = !(mode & 4);
	ctx.ansi_quotes = (mode & 8) != 0;
	ctx.no_backslash_escapes = (mode & 16) != 0;
	guard_ctx_set_database(&ctx, (mode & 32) ? NULL : "app");
	if (mode & 64) {
		ctx.masked = fuzz_masked;
		ctx.masked_arg = &mode;
	}
	for (i = 0; i < sc.n; i++) {
		guard_classify(&ctx, &sc.stmts[i], &f);
		/* Per-output facts: nout readable flags (ASan checks). */
		for (k = 0; f.out_masked != NULL && k < f.nout; k++) {
			if (f.out_masked[k] > 1)
				abort();
		}
		policy_evaluate(NULL, ctx.read_only, &f, &v);
		verdict_clear(&v);
		guard_facts_clear(&f);
	}
	guard_ctx_free(&ctx);
	sql_script_free(&sc);
	free(text);
	return (0);
}
