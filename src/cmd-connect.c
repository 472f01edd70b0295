/*
 * cmd-connect.c: dbgate connect TARGET: the interactive session. The local
 * side puts the terminal in raw mode and relays bytes (client.c,
 * client_interactive); the gateway side opens the target and runs the REPL
 * (repl.c). Arguments on the gateway side come from an untrusted caller.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "dbgate.h"
#ifndef DBGATE_THIN
#include "session.h"
#endif

#define CONNECT_MAX_TERM	64

/* Local side: a terminal, then the gateway. */
static int
cmd_connect_local(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		cmd_usage(&cmd_connect_entry);
		return (EXIT_USAGE);
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "dbgate: connect needs a terminal; for scripts "
		    "and pipes use \"dbgate exec %s -f FILE\" (or -c SQL)\n",
		    argv[1]);
		return (EXIT_USAGE);
	}
	return (client_interactive(ctx, argv[1]));
}

#ifndef DBGATE_THIN
/* A terminal type is short, of letters, digits and "+-._". */
static int
cmd_connect_valid_term(const char *t)
{
	size_t	 i, n = strlen(t);

	if (n == 0 || n > CONNECT_MAX_TERM)
		return (0);
	for (i = 0; i < n; i++) {
		if (!(t[i] >= 'a' && t[i] <= 'z') &&
		    !(t[i] >= 'A' && t[i] <= 'Z') &&
		    !(t[i] >= '0' && t[i] <= '9') && strchr("+-._", t[i]) == NULL)
			return (0);
	}
	return (1);
}

/* Gateway side: open the target, then the REPL. */
static int
cmd_connect_session(struct session *s, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "term",	required_argument,	NULL, 't' },
		{ "size",	required_argument,	NULL, 's' },
		{ NULL,		0,			NULL, 0 }
	};
	unsigned int			 cols, rows;
	char				 x;
	int				 ch, rc;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 't':
			if (!cmd_connect_valid_term(optarg)) {
				session_errorf(s, "bad terminal type");
				return (EXIT_USAGE);
			}
			if (s->tr->term == NULL)
				s->tr->term = xstrdup(optarg);
			break;
		case 's':
			if (sscanf(optarg, "%ux%u%c", &cols, &rows, &x) != 2 ||
			    cols == 0 || rows == 0 || cols > 1000 ||
			    rows > 1000) {
				session_errorf(s, "bad terminal size");
				return (EXIT_USAGE);
			}
			if (s->tr->cols == 0) {
				s->tr->cols = cols;
				s->tr->rows = rows;
			}
			break;
		default:
			session_errorf(s, "usage: connect %s",
			    cmd_connect_entry.usage);
			return (EXIT_USAGE);
		}
	}
	if (optind != argc - 1) {
		session_errorf(s, "usage: connect %s", cmd_connect_entry.usage);
		return (EXIT_USAGE);
	}
	/* The unix socket client checked that it has a terminal. */
	if (s->via == SESSION_VIA_UNIX)
		s->tr->tty = 1;
	if (!s->tr->tty || s->tr->read_some == NULL) {
		session_errorf(s, "connect needs a terminal (ssh -t); without "
		    "one, use exec");
		return (EXIT_USAGE);
	}
	s->want_history = 1;
	if ((rc = session_open(s, argv[optind])) != EXIT_OK)
		return (rc);
	return (repl_run(s));
}
#endif /* !DBGATE_THIN */

const struct cmd_entry cmd_connect_entry = {
	"connect",
	"TARGET",
	"open an interactive SQL session on a target",
	CMD_CLIENT|CMD_TARGET, cmd_connect_local, CMD_FN(cmd_connect_session)
};
