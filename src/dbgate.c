/*
 * dbgate.c: main: global options, then the command.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "dbgate.h"

#ifdef DBGATE_THIN
/*
 * Run the full program with our own arguments: the one beside this binary
 * (a build tree, or both installed together), else the installed one.
 */
static int
run_gateway(char **argv)
{
	char	 self[PATH_MAX], *slash, *path = NULL;
	ssize_t	 n;

	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			xasprintf(&path, "%s/dbgate-gateway", self);
			if (access(path, X_OK) != 0) {
				free(path);
				path = NULL;
			}
		}
	}
	if (path == NULL)
		path = xstrdup(DBGATE_LIBEXECDIR "/dbgate-gateway");
	execv(path, argv);
	fprintf(stderr, "dbgate: cannot run %s: %s\n", path, strerror(errno));
	free(path);
	return (EXIT_INTERNAL);
}
#endif

/* Usage to stderr. */
static void
usage(void)
{
	fprintf(stderr, "usage: dbgate [-F config] [--socket path] "
	    "[--gateway host] command [arguments]\n       dbgate help\n");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket",	required_argument,	NULL, 'S' },
		{ "gateway",	required_argument,	NULL, 'G' },
		{ "config",	required_argument,	NULL, 'F' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	const struct cmd_entry	*ce;
	struct cmd_ctx		 ctx;
	char			*err, **orig_argv = argv;
	int			 ch;

	log_init("dbgate", LOG_LEVEL_INFO);
	memset(&ctx, 0, sizeof ctx);
	if ((ctx.config_path = getenv("DBGATE_CONFIG")) == NULL ||
	    *ctx.config_path == '\0')
		ctx.config_path = DBGATE_CONFIG_PATH;
	if ((ctx.socket_path = getenv("DBGATE_SOCKET")) == NULL ||
	    *ctx.socket_path == '\0')
		ctx.socket_path = DBGATE_SOCKET_PATH;
	ctx.gateway = getenv("DBGATE_GATEWAY");

	while ((ch = getopt_long(argc, argv, "+F:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'F':
			ctx.config_path = optarg;
			break;
		case 'S':
			ctx.socket_path = optarg;
			break;
		case 'G':
			ctx.gateway = optarg;
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
#ifdef DBGATE_THIN
	if (ce->local == NULL)
		return (run_gateway(orig_argv));
#else
	(void)orig_argv;
#endif
	return (ce->local(&ctx, argc, argv));
}
