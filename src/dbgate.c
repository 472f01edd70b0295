/*
 * dbgate.c: main: global options, then the command.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "dbgate.h"

/* Usage to stderr. */
static void
usage(void)
{
	fprintf(stderr, "usage: dbgate [-F config] [--socket path] command "
	    "[arguments]\n       dbgate help\n");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket",	required_argument,	NULL, 'S' },
		{ "config",	required_argument,	NULL, 'F' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	const struct cmd_entry	*ce;
	struct cmd_ctx		 ctx;
	char			*err;
	int			 ch;

	log_init("dbgate", LOG_LEVEL_INFO);
	memset(&ctx, 0, sizeof ctx);
	if ((ctx.config_path = getenv("DBGATE_CONFIG")) == NULL ||
	    *ctx.config_path == '\0')
		ctx.config_path = DBGATE_CONFIG_PATH;
	if ((ctx.socket_path = getenv("DBGATE_SOCKET")) == NULL ||
	    *ctx.socket_path == '\0')
		ctx.socket_path = DBGATE_SOCKET_PATH;

	while ((ch = getopt_long(argc, argv, "+F:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'F':
			ctx.config_path = optarg;
			break;
		case 'S':
			ctx.socket_path = optarg;
			break;
		case 'h':
			argv[optind - 1] = (char *)"help";
			return (cmd_help_entry.local(&ctx, 1,
			    &argv[optind - 1]));
		case 'V':
			return (cmd_version_entry.local(&ctx, 1, argv));
		default:
			usage();
			return (EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage();
		return (EXIT_USAGE);
	}
	if ((ce = cmd_find(argv[0], 0, &err)) == NULL) {
		fprintf(stderr, "dbgate: %s\n", err);
		free(err);
		return (EXIT_USAGE);
	}
	return (ce->local(&ctx, argc, argv));
}
