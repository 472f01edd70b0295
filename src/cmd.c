/*
 * cmd.c: the command table, command lookup with a did-you-mean, the admin
 * check, and the help command.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "dbgate.h"

static int	cmd_help_local(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_help_entry = {
	"help", "[COMMAND]", "show the commands or one command's usage",
	CMD_LOCAL, cmd_help_local, NULL
};

const struct cmd_entry *cmd_table[] = {
	&cmd_exec_entry,
	&cmd_connect_entry,
	&cmd_targets_entry,
	&cmd_status_entry,
	&cmd_policy_entry,
	&cmd_serve_entry,
	&cmd_config_entry,
	&cmd_vault_entry,
	&cmd_discover_entry,
	&cmd_version_entry,
	&cmd_help_entry,
	NULL
};

/* Find a command by name. */
const struct cmd_entry *
cmd_find(const char *name, int client_only, char **err)
{
	const struct cmd_entry	**ce, *best = NULL;
	struct buf		  list;
	size_t			  d, bestd = 3;

	for (ce = cmd_table; *ce != NULL; ce++) {
		if (client_only && !((*ce)->flags & CMD_CLIENT))
			continue;
		if (strcmp((*ce)->name, name) == 0)
			return (*ce);
	}
	buf_init(&list);
	for (ce = cmd_table; *ce != NULL; ce++) {
		if (client_only && !((*ce)->flags & CMD_CLIENT))
			continue;
		buf_printf(&list, "%s%s", list.len ? ", " : "", (*ce)->name);
		if ((d = str_distance(name, (*ce)->name)) < bestd) {
			bestd = d;
			best = *ce;
		}
	}
	if (best != NULL)
		xasprintf(err, "unknown command \"%s\" (did you mean \"%s\"?); "
		    "commands: %s", name, best->name, buf_cstr(&list));
	else
		xasprintf(err, "unknown command \"%s\"; commands: %s", name,
		    buf_cstr(&list));
	if (client_only) {
		for (ce = cmd_table; *ce != NULL; ce++)
			if (strcmp((*ce)->name, name) == 0) {
				free(*err);
				xasprintf(err, "\"%s\" runs only on the "
				    "gateway host, as an administrator", name);
			}
	}
	buf_free(&list);
	return (NULL);
}

/* Print a command's usage to stderr. */
void
cmd_usage(const struct cmd_entry *ce)
{
	fprintf(stderr, "usage: dbgate %s %s\n", ce->name, ce->usage);
}

/* Admin commands run as root or as the owner of the configuration. */
int
cmd_require_admin(const struct cmd_ctx *ctx, const char *cmd)
{
	struct stat	 st;

	if (geteuid() == 0)
		return (0);
	if (stat(ctx->config_path, &st) != 0) {
		fprintf(stderr, "dbgate: %s: %s\n", ctx->config_path,
		    strerror(errno));
		return (EXIT_USAGE);
	}
	if (st.st_uid == geteuid())
		return (0);
	fprintf(stderr, "dbgate: \"%s\" is an administrator's command: run "
	    "it as root or as the gateway's user (the owner of %s)\n", cmd,
	    ctx->config_path);
	return (EXIT_AUTH);
}

/* help [COMMAND] */
static int
cmd_help_local(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	**ce, *one;
	char			 *err;

	(void)ctx;
	if (argc > 1) {
		if ((one = cmd_find(argv[1], 0, &err)) == NULL) {
			fprintf(stderr, "dbgate: %s\n", err);
			free(err);
			return (EXIT_USAGE);
		}
		printf("usage: dbgate %s %s\n  %s\n", one->name, one->usage,
		    one->summary);
		return (EXIT_OK);
	}
	printf("usage: dbgate [-F config] [--socket path] [--gateway host] "
	    "command [arguments]\n\ncommands:\n");
	for (ce = cmd_table; *ce != NULL; ce++)
		printf("  %-9s %s\n", (*ce)->name, (*ce)->summary);
	printf("\nSee dbgate(1) and dbgate.conf(5).\n");
	return (EXIT_OK);
}
