/*
 * fuzz-policy.c: libFuzzer target for the configuration parser with Policy
 * blocks and their rules: the input is appended to a valid config as the
 * body of a Policy block, loaded, dumped, and the dump loaded again. Any
 * crash, leak or sanitizer report is a bug; so is a dump that does not load.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dbgate.h"
#include "config.h"
#include "policy.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char head[] =
    "StateDir /tmp/fuzz\n"
    "User alice\n"
    "    Groups eng\n"
    "Target prod\n"
    "    Driver postgresql\n"
    "    Connect \"host=/tmp dbname=app\"\n"
    "    AllowUsers alice\n"
    "    Policy p\n"
    "Policy p\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config		*cfg = NULL, *again = NULL;
	struct config_diags	 d;
	struct guard_facts	 f;
	struct verdict		 v;
	struct buf		 b;

	if (size > 65536 || memmem(data, size, "nclude", 6) != NULL)
		return (0);	/* Include would read files */
	buf_init(&b);
	buf_adds(&b, head);
	buf_add(&b, data, size);
	memset(&d, 0, sizeof d);
	if (config_load_buffer("fuzz", buf_cstr(&b), b.len, CONFIG_NOFILES,
	    &cfg, &d) == 0) {
		/* Evaluate something against whatever rules it holds. */
		memset(&f, 0, sizeof f);
		guard_add_kind(&f, KIND_DELETE);
		f.flags = GF_WRITE | GF_WRITE_NO_WHERE | GF_OPAQUE;
		guard_add_rel(&f, "public", "tmp_x", GUARD_WRITE);
		guard_add_rel(&f, NULL, "y", GUARD_READ);
		guard_add_func(&f, NULL, "f", 1);
		policy_evaluate(config_find_policy(cfg, "p"), 0, &f, &v);
		verdict_clear(&v);
		guard_facts_clear(&f);

		buf_reset(&b);
		config_dump(cfg, &b);
		config_diags_free(&d);
		if (config_load_buffer("dump", buf_cstr(&b), b.len,
		    CONFIG_NOFILES, &again, &d) != 0)
			abort();	/* a dump must read back */
		config_free(again);
		config_free(cfg);
	}
	config_diags_free(&d);
	buf_free(&b);
	return (0);
}
