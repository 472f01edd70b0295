/*
 * cmd-version.c: dbgate version.
 */
#include "cmd.h"
#include "dbgate.h"

/* Print the version. */
static int
cmd_version_local(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	printf("dbgate %s\n", PACKAGE_VERSION);
	return (EXIT_OK);
}

const struct cmd_entry cmd_version_entry = {
	"version", "", "print the version", CMD_LOCAL, cmd_version_local,
	NULL
};
