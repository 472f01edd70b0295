/*
 * cmd-status.c: dbgate status: is the daemon up, how many sessions.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "dbgate.h"
#ifndef DBGATE_THIN
#include <jansson.h>

#include "session.h"
#endif

/* Local side: ask the gateway. */
static int
cmd_status_local(struct cmd_ctx *ctx, int argc, char **argv)
{
	int	 rc;

	if (argc != 1) {
		cmd_usage(&cmd_status_entry);
		return (EXIT_USAGE);
	}
	rc = client_run(ctx, argc, argv, NULL, 0, 0);
	if (rc == EXIT_UNREACH)
		fprintf(stderr, "dbgate: the gateway is not running\n");
	return (rc);
}

#ifndef DBGATE_THIN
/* Gateway side: the monitor's numbers. */
static int
cmd_status_session(struct session *s, int argc, char **argv)
{
	json_t		*st;
	json_error_t	 jerr;
	struct buf	 b;
	char		*text;
	int		 rc;

	if ((text = session_monitor_status(s)) == NULL ||
	    (st = json_loads(text, 0, &jerr)) == NULL) {
		free(text);
		session_errorf(s, "the gateway did not answer");
		return (EXIT_UNREACH);
	}
	buf_init(&b);
	buf_printf(&b, "dbgate %s is running (pid %lld, up %llds)\n"
	    "sessions: %lld\nconnections: %lld\n",
	    json_string_value(json_object_get(st, "version")),
	    json_integer_value(json_object_get(st, "pid")),
	    json_integer_value(json_object_get(st, "uptime_s")),
	    json_integer_value(json_object_get(st, "sessions")),
	    json_integer_value(json_object_get(st, "connections")));
	rc = session_send_out(s, b.data, b.len);
	buf_free(&b);
	json_decref(st);
	free(text);
	return (rc == 0 ? EXIT_OK : EXIT_UNREACH);
}

#endif /* !DBGATE_THIN */

const struct cmd_entry cmd_status_entry = {
	"status", "", "tell whether the gateway runs and how many sessions it "
	"holds", CMD_CLIENT, cmd_status_local, CMD_FN(cmd_status_session)
};
