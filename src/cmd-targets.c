/*
 * cmd-targets.c: dbgate targets: the targets this identity may use.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "dbgate.h"
#ifndef DBGATE_THIN
#include "session.h"
#endif

/* Local side: ask the gateway. */
static int
cmd_targets_local(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc != 1) {
		cmd_usage(&cmd_targets_entry);
		return (EXIT_USAGE);
	}
	return (client_run(ctx, argc, argv, NULL, 0, 0));
}

#ifndef DBGATE_THIN
/* Gateway side: list the caller's targets. */
static int
cmd_targets_session(struct session *s, int argc, char **argv)
{
	const struct config_target	*t;
	struct buf			 b;
	size_t				 i, w = 6;
	int				 rc;

	if (argc != 1) {
		session_errorf(s, "usage: targets");
		return (EXIT_USAGE);
	}
	for (i = 0; i < s->cfg->ntargets; i++) {
		t = &s->cfg->targets[i];
		if (config_user_allowed(s->user, t) && strlen(t->name) > w)
			w = strlen(t->name);
	}
	buf_init(&b);
	buf_printf(&b, "%-*s  %s\n", (int)w, "TARGET", "DRIVER");
	for (i = 0; i < s->cfg->ntargets; i++) {
		t = &s->cfg->targets[i];
		if (!config_user_allowed(s->user, t))
			continue;
		render_escape(&b, t->name, strlen(t->name));
		buf_printf(&b, "%*s  %s\n", (int)(w - strlen(t->name)), "",
		    config_driver_name(t->driver));
	}
	rc = session_send_out(s, b.data, b.len);
	buf_free(&b);
	return (rc == 0 ? EXIT_OK : EXIT_UNREACH);
}

#endif /* !DBGATE_THIN */

const struct cmd_entry cmd_targets_entry = {
	"targets", "", "list the targets you may use", CMD_CLIENT,
	cmd_targets_local, CMD_FN(cmd_targets_session)
};
