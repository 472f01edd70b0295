/*
 * cmd.h: the command table. Each command lives in its own cmd-*.c file and
 * exports one struct cmd_entry; cmd.c collects them.
 */
#ifndef CMD_H
#define CMD_H

#include <stddef.h>

struct session;

/* Global options, from the command line and environment. */
struct cmd_ctx {
	const char	*config_path;	/* -F, DBGATE_CONFIG */
	const char	*socket_path;	/* --socket, DBGATE_SOCKET */
	const char	*gateway;	/* --gateway, DBGATE_GATEWAY, or NULL:
					   ~/.config/dbgate/config decides */
};

#define CMD_CLIENT	0x01	/* runs in a gateway session; callable
				   over the socket (and SSH) */
#define CMD_ADMIN	0x02	/* local only: root or the gateway's user */
#define CMD_LOCAL	0x04	/* local, anyone */
#define CMD_TARGET	0x08	/* opens a target (session_open drops
				   privileges itself) */

struct cmd_entry {
	const char	*name;
	const char	*usage;		/* arguments, for messages */
	const char	*summary;	/* one line, for help */
	int		 flags;
	/* Where the user typed it: argv[0] is the command name. */
	int		(*local)(struct cmd_ctx *, int, char **);
	/* Gateway side of a CMD_CLIENT command; returns the exit status. */
	int		(*session)(struct session *, int, char **);
};

/*
 * The thin client (src/dbgate, built with DBGATE_THIN) holds only the
 * local side of client commands, so it loads no database or crypto
 * library; for everything else it runs the full program, dbgate-gateway.
 */
#ifdef DBGATE_THIN
#define CMD_FN(f)	NULL
#else
#define CMD_FN(f)	(f)
#endif

extern const struct cmd_entry cmd_exec_entry;
extern const struct cmd_entry cmd_connect_entry;
extern const struct cmd_entry cmd_targets_entry;
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_policy_entry;
extern const struct cmd_entry cmd_version_entry;
extern const struct cmd_entry cmd_serve_entry;
extern const struct cmd_entry cmd_config_entry;
extern const struct cmd_entry cmd_vault_entry;
extern const struct cmd_entry cmd_discover_entry;
extern const struct cmd_entry cmd_help_entry;

extern const struct cmd_entry *cmd_table[];

/*
 * Find a command by exact name. NULL and *err (caller frees, listing the
 * commands, with a did-you-mean) if there is none. With client_only set,
 * only CMD_CLIENT commands count (what a socket or SSH caller may run).
 */
const struct cmd_entry *cmd_find(const char *, int client_only, char **err);

/* Run a client command on the gateway: send argv (and input: NULL for
 * none, or len bytes; read_stdin streams this process's stdin instead),
 * relay output, return the exit status. */
int	 client_run(const struct cmd_ctx *, int argc, char *const *argv,
	    const char *input, size_t len, int read_stdin);

/* dbgate connect TARGET: raw terminal, bytes both ways; the exit status. */
int	 client_interactive(const struct cmd_ctx *, const char *target);

/*
 * client-ssh.c. Where client commands go: 0 for the local socket, 1 for
 * the gateway *host (caller frees) reached through ssh, -1 after a message
 * (a bad client configuration).
 */
struct buf;
int	 client_gateway(const struct cmd_ctx *, char **host);
/* client_run's work through the user's ssh; returns the exit status. */
int	 client_ssh_run(const char *host, int argc, char *const *argv,
	    const char *input, size_t len, int read_stdin);
/* The same through the user's ssh -t (an interactive command). */
int	 client_ssh_interactive(const char *host, int argc, char *const *argv);
/* Append a word quoted for the gateway's command line grammar. */
void	 client_ssh_quote(struct buf *, const char *);

/* Exit with EXIT_USAGE unless this process may run admin commands. */
int	 cmd_require_admin(const struct cmd_ctx *, const char *cmd);

/* The usage line of a command, for messages. */
void	 cmd_usage(const struct cmd_entry *);

#endif
