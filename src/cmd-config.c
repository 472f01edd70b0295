/*
 * cmd-config.c: dbgate config check | dump.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"

#ifndef DBGATE_THIN
/* Check or dump the configuration. */
static int
cmd_config_local(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct config		*cfg;
	struct config_diags	 d;
	struct buf		 b;
	size_t			 i;
	int			 rc, dump;

	if (argc != 2 || (strcmp(argv[1], "check") != 0 &&
	    strcmp(argv[1], "dump") != 0)) {
		cmd_usage(&cmd_config_entry);
		return (EXIT_USAGE);
	}
	if ((rc = cmd_require_admin(ctx, "config")) != 0)
		return (rc);
	dump = strcmp(argv[1], "dump") == 0;
	memset(&d, 0, sizeof d);
	rc = config_load(ctx->config_path, 0, &cfg, &d);
	for (i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	if (rc != 0) {
		fprintf(stderr, "%s: %d error%s, %d warning%s\n",
		    ctx->config_path, d.nerrors, d.nerrors == 1 ? "" : "s",
		    d.nwarnings, d.nwarnings == 1 ? "" : "s");
		config_diags_free(&d);
		return (EXIT_USAGE);
	}
	if (dump) {
		buf_init(&b);
		config_dump(cfg, &b);
		fwrite(b.data, 1, b.len, stdout);
		buf_free(&b);
	} else
		fprintf(stderr, "%s: OK%s\n", ctx->config_path,
		    d.nwarnings ? " (with warnings)" : "");
	config_diags_free(&d);
	config_free(cfg);
	return (EXIT_OK);
}

#endif /* !DBGATE_THIN */

const struct cmd_entry cmd_config_entry = {
	"config", "check | dump",
	"check the configuration, or print it with every default", CMD_ADMIN,
	CMD_FN(cmd_config_local), NULL
};
