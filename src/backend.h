/*
 * backend.h: one interface to every database driver (backend-pg.c,
 * backend-mariadb.c). A backend holds one connection, runs one statement at
 * a time over a path that cannot run two, and streams rows to a sink.
 */
#ifndef BACKEND_H
#define BACKEND_H

#include "config.h"
#include "guard.h"
#include "result.h"
#include "sql.h"

struct backend;

struct backend_params {
	const char			*connect;	/* Connect string */
	const char			*password;	/* vault, or NULL */
	const char			*application_name; /* dbgate:USER:SESSION */
	const struct config_limits	*limits;	/* timeouts to pin */
	int				 read_only;	/* read-only session */
	int				 interactive;	/* connect: Ctrl-C */
};

struct backend_sink {
	/* Column metadata, before the first row. Non-zero stops. */
	int	(*columns)(void *, const struct result_column *, size_t);
	/* One row. 0 goes on; non-zero stops fetching (the backend cancels
	 * the rest and returns BACKEND_STOPPED). */
	int	(*row)(void *, const struct result_cell *, size_t);
	/* A notice or warning from the server. */
	void	(*notice)(void *, const char *sqlstate, const char *message);
	void	*arg;
};

enum backend_status {
	BACKEND_OK,
	BACKEND_ERROR,		/* the database reported an error */
	BACKEND_LOST,		/* the connection broke */
	BACKEND_STOPPED,	/* the sink stopped the result */
	BACKEND_CANCELLED,	/* cancelled (signal) */
};

struct backend_result {
	enum backend_status	 status;
	char			 command[64];	/* command tag */
	long long		 rows;		/* returned or affected; -1 */
	char			 sqlstate[6];
	char			*message;	/* owned; backend_result_clear */
};
void	 backend_result_clear(struct backend_result *);

struct backend_ops {
	const char		*name;		/* "postgresql", "mariadb" */
	enum config_driver	 driver;
	enum sql_dialect	 dialect;
	/* Connect and pin the session settings. 0, or -1 and *err. */
	int	(*connect)(struct backend **, const struct backend_params *,
		    char **err);
	/* Run one statement; nparams values bind $1.. or ?. Returns 0 with
	 * res filled (any status), -1 only on internal failure (*err). */
	int	(*exec)(struct backend *, const char *sql, size_t len,
		    const char *const *params, size_t nparams,
		    const struct backend_sink *, struct backend_result *res);
	/* Ask the server to cancel the running statement. Must be
	 * async-signal-safe (called from a signal handler). */
	void	(*cancel)(struct backend *);
	/*
	 * Ctrl-C in an interactive session: cancel the running statement
	 * and keep the session. Called from another thread than exec's,
	 * never from a signal handler; returns within about 2 seconds.
	 * 0 when asked, -1 when this session cannot.
	 */
	int	(*cancel_query)(struct backend *);
	/*
	 * Fill the classification context with the session's state (search
	 * path and a relation resolver, or current database and version).
	 * 0, or -1 and *err.
	 */
	int	(*guard_init)(struct backend *, struct guard_ctx *, char **err);
	/* Server version string, e.g. "15.8" or "10.11.6-MariaDB". */
	const char *(*server_version)(struct backend *);
	void	(*close)(struct backend *);
	const char		*begin_sql;
	const char		*commit_sql;
	const char		*rollback_sql;
};

extern const struct backend_ops backend_pg_ops;
extern const struct backend_ops backend_mariadb_ops;
const struct backend_ops *backend_ops_for(enum config_driver);

struct vault_key;

/*
 * Connect to a target with its password from the vault at vault_path
 * (key may be NULL when there is no vault file): bp holds everything but
 * the password, which is read, used and wiped here. Returns 0 and *be;
 * -1 and *err when the vault cannot be read; -2 and *err when the
 * connection failed. *had_password (if not NULL) is set to whether the
 * vault held a password for the target, whatever the outcome.
 */
int	 backend_connect_vault(const struct backend_ops *,
	    const char *vault_path, const struct vault_key *,
	    const char *target, struct backend_params *bp,
	    struct backend **be, int *had_password, char **err);

/* Clear PG* and MYSQL* variables from the environment. */
void	 backend_clear_env(void);

#endif
