/*
 * backend.c: what every database driver shares: the table of drivers,
 * results, and clearing the environment variables that client libraries
 * would read. Handles no untrusted input.
 */
#include <stdlib.h>
#include <string.h>

#include "dbgate.h"
#include "backend.h"
#include "vault.h"

extern char **environ;

/* The drivers, by config_driver. */
static const struct backend_ops *const backend_table[] = {
	&backend_pg_ops,
	&backend_mariadb_ops,
};

/* The driver for d, or NULL. */
const struct backend_ops *
backend_ops_for(enum config_driver d)
{
	size_t	 i;

	for (i = 0; i < nitems(backend_table); i++) {
		if (backend_table[i]->driver == d)
			return (backend_table[i]);
	}
	return (NULL);
}

/* Connect with the target's password from the vault; see backend.h. */
int
backend_connect_vault(const struct backend_ops *ops, const char *vault_path,
    const struct vault_key *key, const char *target,
    struct backend_params *bp, struct backend **be, int *had_password,
    char **err)
{
	char	*password = NULL;
	int	 r;

	if (had_password != NULL)
		*had_password = 0;
	r = key == NULL ? 0 : vault_get(vault_path, key, target, &password,
	    err);
	if (r < 0)
		return (-1);
	if (had_password != NULL)
		*had_password = r == 1;
	bp->password = r == 1 ? password : NULL;
	r = ops->connect(be, bp, err);
	bp->password = NULL;
	vault_secret_free(password);
	return (r == 0 ? 0 : -2);
}

/* Free a result's message and reset it to an empty OK result. */
void
backend_result_clear(struct backend_result *res)
{
	if (res == NULL)
		return;
	free(res->message);
	memset(res, 0, sizeof *res);
	res->status = BACKEND_OK;
	res->rows = -1;
}

/* Whether an environment entry, "NAME=value", is for a client library. */
static int
backend_env_ours(const char *entry)
{
	static const char *const prefixes[] = {
		"PG", "MYSQL", "LIBMYSQL_", "MARIADB_",
	};
	size_t	 i;

	for (i = 0; i < nitems(prefixes); i++) {
		if (strncmp(entry, prefixes[i], strlen(prefixes[i])) == 0)
			return (1);
	}
	return (0);
}

/*
 * Unset every variable whose name starts with PG, MYSQL, LIBMYSQL_ or
 * MARIADB_, so that only Connect decides where a connection goes.
 */
void
backend_clear_env(void)
{
	char	**ep, *name, *eq;
	int	  again;

	/* unsetenv changes environ, so start over after each one. */
	do {
		again = 0;
		for (ep = environ; ep != NULL && *ep != NULL; ep++) {
			if (!backend_env_ours(*ep))
				continue;
			/* Without '=' it is no variable getenv could find. */
			if ((eq = strchr(*ep, '=')) == NULL)
				continue;
			name = xstrndup(*ep, eq - *ep);
			if (unsetenv(name) != 0) {
				free(name);
				continue;
			}
			free(name);
			again = 1;
			break;
		}
	} while (again);
}
