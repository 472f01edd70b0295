/*
 * cmd-serve.c: dbgate serve, the daemon in the foreground.
 */
#include "cmd.h"
#include "dbgate.h"
#include "monitor.h"

#ifndef DBGATE_THIN
/* Run the daemon. */
static int
cmd_serve_local(struct cmd_ctx *ctx, int argc, char **argv)
{
	int	 rc;

	if (argc != 1) {
		cmd_usage(&cmd_serve_entry);
		return (EXIT_USAGE);
	}
	if ((rc = cmd_require_admin(ctx, "serve")) != 0)
		return (rc);
	return (monitor_run(ctx->config_path));
}

#endif /* !DBGATE_THIN */

const struct cmd_entry cmd_serve_entry = {
	"serve", "", "run the gateway daemon in the foreground", CMD_ADMIN,
	CMD_FN(cmd_serve_local), NULL
};
