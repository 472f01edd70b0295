/*
 * session.h: a session process: one client connection, forked by the
 * monitor. It identifies the caller, runs one client command, and for exec
 * opens the one backend connection the caller may use, wipes every secret,
 * drops privileges and only then reads the caller's input.
 */
#ifndef SESSION_H
#define SESSION_H

#include <signal.h>
#include <sys/types.h>

#include <jansson.h>

#include "backend.h"
#include "config.h"
#include "guard.h"
#include "render.h"

struct ssh_key_struct;
struct transcript;
struct vault_key;

/* The way a connection came in. */
#define SESSION_VIA_UNIX	0
#define SESSION_VIA_SSH		1

/* How a session talks to its client: the unix socket or SSH. */
struct transport {
	/* Send bytes on stream 1 (stdout) or 2 (stderr). 0 or -1. */
	int	(*send)(struct transport *, int stream, const void *, size_t);
	/* Read the client's whole input (until its EOF) into b, at most
	 * max bytes. 0, or -1 and *err. Returns early (-1, EINTR) when
	 * *stop becomes set. */
	int	(*read_input)(struct transport *, struct buf *b, size_t max,
		    volatile sig_atomic_t *stop, char **err);
	/* Send the exit status; the session ends after this. */
	int	(*finish)(struct transport *, int status);
	/*
	 * Interactive sessions (the REPL): wait until the client sends
	 * something, wake_fd (if not -1) becomes readable or a signal
	 * arrives, and take one message: typed bytes are appended to b, a
	 * window size sets cols and rows, the end of input sets *eof.
	 * Returns 1 after a message, 0 when woken, -1 and *err (caller
	 * frees) when the client is gone or broke the protocol. May run on
	 * a thread of its own while the main thread sends output.
	 */
	int	(*read_some)(struct transport *, struct buf *b, int wake_fd,
		    int *eof, char **err);
	int	 fd;
	int	 tty;		/* the client asked for a terminal */
	char	*term;		/* its terminal type, or NULL */
	unsigned int cols, rows;	/* its size, 0 if not known */
};

/* Secrets the monitor holds, inherited across fork and wiped by
 * session_wipe_secrets before the session reads input. */
struct session_secrets {
	struct vault_key	*vault_key;
	unsigned char		*sign_key;	/* sodium_malloc'd */
	size_t			 sign_key_len;
	struct ssh_key_struct	*ssh_host_key;	/* NULL without SSH */
};

struct session {
	char			 id[33];
	struct config		*cfg;
	const struct config_user *user;		/* NULL: not a dbgate user */
	const struct config_target *target;	/* set by session_open */
	int			 admin_peer;	/* root or the daemon's uid */
	int			 via;		/* SESSION_VIA_* */
	uid_t			 peer_uid;	/* unix socket */
	pid_t			 peer_pid;
	char			*peer_name;	/* OS user, or SSH login name */
	char			*peer_addr;	/* SSH: "ADDRESS port N" */
	struct transport	*tr;
	int			 monitor_fd;
	struct session_secrets	 secrets;
	struct transcript	*transcript;
	const struct backend_ops *bops;
	struct backend		*backend;
	char			*correlation_id;
	struct out		 out;		/* client stdout */
	int			 record_failed;
	int			 out_pending;	/* output or events queued,
						   not yet written or sent */
	char			*revoked;	/* reason access was revoked */
	unsigned long		 config_gen;	/* the monitor's, at fork */
	unsigned int		 config_changes; /* configs applied */
	int			 reload_pending; /* the monitor said so */
	int			 in_errorf;
	int			 told_record_failed;
	volatile sig_atomic_t	 terminate;	/* SIGTERM or revocation */
	struct guard_ctx	 guard;		/* classification state */
	/* Relations resolved so far (the backend's resolver, cached). */
	int			(*resolve)(void *, const char *, char *const *,
				    size_t, char **);
	void			*resolve_arg;
	struct session_resolved	*resolved;
	size_t			 nresolved;
	struct maskcat		*maskcat;	/* where masked values live */
	unsigned char		*mask_key;	/* MASK_KEY_BYTES, sodium */
	int			 diag_masked;	/* the last statement run used
						 * masked values: its warnings
						 * must not be read back */
	int			 read_only;	/* the backend session is */
	int			 want_history;	/* connect: open the history */
	int			 history_fd;	/* REPL history, or -1 */
};

/* A cached resolution: key is the name, then each path entry, NUL-ended. */
struct session_resolved {
	char	*key;
	size_t	 keylen;
	char	*schema;	/* NULL: no such relation */
};

/*
 * Forget cached relation resolutions: after a statement that may create,
 * drop or rename relations, change the search path or roll back.
 */
void	 session_forget_resolved(struct session *);

/* Run one client connection (via: SESSION_VIA_*); never returns. */
__dead void session_main(struct config *, unsigned long config_gen,
	    int client_fd, int via, int monitor_fd, struct session_secrets *,
	    uid_t daemon_uid, const sigset_t *sigmask);

/*
 * Open the session on target for the exec family of commands: check
 * access, register with the monitor (limits), start the record, connect
 * the backend, wipe secrets and drop privileges. Returns an exit status
 * (EXIT_OK on success); on failure the reason has been sent to the client.
 */
int	 session_open(struct session *, const char *target);
/*
 * Drop to the OS user user (SessionUser) when running as root, and become
 * non-dumpable. 0, or -1 and *err.
 */
int	 session_drop_to(const char *user, char **err);
/* Write the end of the record (status and reason), close the backend. */
void	 session_close(struct session *, int status, const char *reason);

/* A message on the client's stderr, recorded; "dbgate: " is prefixed and
 * a newline added; control characters are made visible. */
void	 session_errorf(struct session *, const char *, ...)
	    printflike(2, 3);
/* The same, escaping nothing: every argument from the client or the
 * database must already be escaped (render_escape). */
void	 session_messagef(struct session *, int escape, const char *, ...)
	    printflike(3, 4);
/* Wait until queued output and events are recorded and the output
 * sent. 0 or -1. */
int	 session_drain_out(struct session *);
/* Record an event (after draining output); failure sets record_failed. */
void	 session_record(struct session *, const char *type, json_t *);
/* The same, queued behind the output in flight: written later, in order;
 * a failure sets record_failed when it is seen (type: a constant). */
void	 session_record_queue(struct session *, const char *type, json_t *);
/* Send on stdout, recorded first: -1 if recording or sending failed. */
int	 session_send_out(struct session *, const char *, size_t);

/* Apply pending messages from the monitor (config reloads, revocation).
 * Returns 0, or -1 if the session must end (access revoked). */
int	 session_poll_monitor(struct session *);
/* Ask the monitor for its status (JSON text, caller frees) or NULL. */
char	*session_monitor_status(struct session *);

/*
 * repl.c: the interactive session of dbgate connect, on an open session
 * whose client has a terminal. Returns the exit status.
 */
int	 repl_run(struct session *);

/* Build the transport for a unix socket client. */
struct transport *transport_unix_new(int fd);

/*
 * transport-ssh.c. Run the SSH server side of a connection up to its
 * command: key exchange (the host key in s->secrets is freed after it),
 * public-key login, which sets s->user and tells the monitor, and one exec
 * or shell request. Sets s->tr; *argv (caller frees with argsplit_free) is
 * the split exec command line, or NULL for a shell. Returns EXIT_OK, or
 * the exit status to end with (the reason is logged, and sent to the
 * client when there is a channel to send it on).
 */
int	 transport_ssh_accept(struct session *s, int fd, char ***argv,
	    int *argc);
/* Answer a shell request without a terminal: targets, how to use them. */
int	 transport_ssh_shell(struct session *s);
/*
 * A shell request with a terminal: list the targets the user may use and
 * let them choose one. Returns EXIT_OK with *argv ("connect TARGET",
 * caller frees with argsplit_free) set, or with *argv untouched when the
 * user left without choosing; else the exit status to end with. It runs
 * before the secrets are wiped and handles only one short typed line.
 */
int	 transport_ssh_shell_choose(struct session *s, char ***argv,
	    int *argc);
/*
 * Load the host key at path, or create an Ed25519 one there (0600, and
 * path.pub) if there is none: *created says which. Returns the key (free
 * with transport_ssh_hostkey_free) and *fingerprint ("SHA256:...", caller
 * frees), or NULL and *err (caller frees).
 */
struct ssh_key_struct *transport_ssh_hostkey_load(const char *path,
	    int *created, char **fingerprint, char **err);
void	 transport_ssh_hostkey_free(struct ssh_key_struct *);
/* The key's type name ("ssh-ed25519"), static. */
const char *transport_ssh_key_type(struct ssh_key_struct *);

#endif
