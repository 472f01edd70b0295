/*
 * config.h: the parsed configuration (dbgate.conf(5)) and the keyword table
 * that drives parsing, `config dump` and the documentation test.
 * config.c is a pure module: it never prints or exits.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdint.h>

#include "dbgate.h"

enum config_driver {
	DRIVER_NONE = 0,
	DRIVER_POSTGRESQL,
	DRIVER_MARIADB,
};

/* Per-target limits; a global keyword of the same name sets the default. */
struct config_limits {
	long long	 statement_timeout_ms;	/* 0 = none */
	long long	 lock_timeout_ms;
	long long	 idle_in_transaction_timeout_ms;
	long long	 max_rows;		/* exec: 0 = unlimited */
	long long	 max_cell_bytes;
};

struct config_user {
	char		 *name;
	char		**groups;
	size_t		  ngroups;
	char		 *os_user;		/* NULL: cannot use the socket */
	char		 *authorized_keys;	/* path, or NULL */
	int		  agent;		/* Agent yes */
	int		  max_sessions;		/* 0 = global MaxSessionsPerUser */
	char		 *file;			/* where the block starts */
	int		  line;
};

struct config_target {
	char		 *name;
	enum config_driver driver;
	char		 *connect;		/* the Connect string, verbatim */
	char		**allow_users;
	size_t		  nallow_users;
	char		**allow_groups;
	size_t		  nallow_groups;
	char		 *policy;		/* NULL: "builtin" */
	char		**read_only;		/* ReadOnly: yes, no, group:G,
						 * user:U */
	size_t		  nread_only;
	struct config_limits limits;
	char		 *file;
	int		  line;
};

/*
 * One rule of a Policy block (policy.c parses and matches it). It matches a
 * statement when each part it has matches: any of its facts (kinds and
 * flags), its relation patterns, its function patterns.
 */
#define RULE_REL_ANY	0		/* relation:GLOB */
struct config_rule {
	int		  action;	/* enum verdict_action */
	uint64_t	  kinds;	/* 1 << enum stmt_kind */
	unsigned int	  flags;	/* GF_* */
	char		**rels;		/* globs: "name" or "schema.name" */
	unsigned int	 *rel_access;	/* RULE_REL_ANY, GUARD_READ, _WRITE */
	size_t		  nrels;
	char		**funcs;	/* globs */
	size_t		  nfuncs;
	char		 *message;	/* or NULL */
	char		 *file;		/* where it is */
	int		  line;
};

/*
 * A Mask or Unmask line of a Policy block: [SCHEMA.]TABLE.COLUMN, each
 * part a glob matched without regard to case.
 */
struct config_mask {
	char		*schema;	/* or NULL: any schema or database */
	char		*table;
	char		*column;
	int		 unmask;	/* Unmask: detectors off, no strategy */
	int		 strategy;	/* enum mask_strategy */
	unsigned int	 keep;		/* partial N */
	char		*file;
	int		 line;
};

/* A Policy block. */
struct config_policy {
	char		*name;
	struct config_rule *rules;
	size_t		 nrules;
	struct config_mask *masks;
	size_t		 nmasks;
	unsigned int	 detect;	/* DETECT_* bits */
	int		 detect_set;	/* Detect was given */
	char		*file;
	int		 line;
};

struct config {
	char			*path;		/* the main file */
	char			*state_dir;
	char		       **listen;	/* "unix:/path", "ssh:ADDR:PORT" */
	size_t			 nlisten;
	char			*host_key;	/* HostKey path, or NULL */
	int			 max_startups;	/* SSH, unauthenticated */
	int			 per_source_max_startups;
	long long		 login_grace_ms;
	char			*session_user;	/* unprivileged user for sessions */
	char			*vault_key;	/* key file path */
	int			 max_sessions;
	int			 max_sessions_per_user;
	enum log_level		 log_level;
	struct config_limits	 defaults;
	struct config_user	*users;
	size_t			 nusers;
	struct config_target	*targets;
	size_t			 ntargets;
	struct config_policy	*policies;
	size_t			 npolicies;
};

/* Messages from loading: "FILE:LINE: message" or "FILE:LINE: warning: ...". */
struct config_diags {
	char	**msgs;
	size_t	  n;
	int	  nerrors;
	int	  nwarnings;
};

/* Keyword table: one row per keyword. */
enum config_ktype {
	CKT_STRING,	/* one word */
	CKT_PATH,	/* a file path */
	CKT_DURATION,	/* 30s, 5m, 1h, 500ms, 0 */
	CKT_COUNT,	/* non-negative integer */
	CKT_SIZE,	/* 64k, 16M, 1G, bytes */
	CKT_BOOL,	/* yes | no */
	CKT_LIST,	/* one or more words */
	CKT_ENUM,	/* one of a fixed set */
	CKT_BLOCK,	/* starts a User, Target or Policy block */
	CKT_INCLUDE,	/* Include FILE|GLOB */
	CKT_RULE,	/* a Policy rule: Allow, Warn, Approve, Deny */
	CKT_MASK,	/* Mask, Unmask, Detect in a Policy block */
};
#define CK_GLOBAL	0x01
#define CK_USER		0x02
#define CK_TARGET	0x04
#define CK_POLICY	0x08
#define CK_REPEAT	0x10	/* may appear more than once */

struct config_keyword {
	const char		*name;
	enum config_ktype	 type;
	int			 where;		/* CK_* */
	const char		*def;		/* default as written, or NULL */
	const char		*help;		/* one line */
};

/* Load flags. */
#define CONFIG_NOFILES	0x01	/* do not open or check referenced files */

/*
 * Load and check the configuration at path. On success returns 0 and sets
 * *out (caller frees with config_free); warnings may still be in diags.
 * On any error returns -1, leaves *out untouched, and diags holds every
 * error found (all of them, not only the first). diags is always filled
 * and owned by the caller (config_diags_free).
 */
int	 config_load(const char *path, int flags, struct config **out,
	    struct config_diags *diags);
/* The same, from a buffer; name is used in messages. */
int	 config_load_buffer(const char *name, const char *text, size_t len,
	    int flags, struct config **out, struct config_diags *diags);
void	 config_free(struct config *);
void	 config_diags_free(struct config_diags *);

/*
 * Append the effective configuration to b in config file syntax, every
 * keyword with its value (defaults included), in an order that
 * config_load_buffer reads back to an equal configuration. Never contains a
 * secret.
 */
void	 config_dump(const struct config *, struct buf *b);
/* Append one word in configuration syntax, double-quoted when it must be
 * to read back the same. */
void	 config_dump_word(struct buf *b, const char *);

const struct config_keyword *config_keywords(size_t *n);

/* The Policy block called name, or NULL (also for NULL, "builtin"). */
const struct config_policy *config_find_policy(const struct config *,
	    const char *);
/*
 * The detectors of a policy (NULL: builtin, every detector), and the
 * first Mask or Unmask line of pol matching schema (NULL: any), table and
 * column, or NULL.
 */
unsigned int	 config_policy_detect(const struct config_policy *);
const struct config_mask *config_mask_match(const struct config_policy *,
	    const char *schema, const char *table, const char *column);
const struct config_target *config_find_target(const struct config *,
	    const char *name);
const struct config_user *config_find_user(const struct config *,
	    const char *name);
/* The user whose OSUser is os_user, or NULL. */
const struct config_user *config_find_os_user(const struct config *,
	    const char *os_user);
/* 1 if user may use target (AllowUsers or AllowGroups names it). */
int	 config_user_allowed(const struct config_user *,
	    const struct config_target *);
const char *config_driver_name(enum config_driver);

/*
 * Split a Connect string ("key=value key='quoted value' ...", libpq
 * conninfo syntax: single quotes, backslash escapes) into keys and values.
 * Returns 0 and sets the arrays (caller frees each string and the arrays), or
 * -1 and *err (caller frees).
 */
int	 connect_parse(const char *s, char ***keys, char ***vals, size_t *n,
	    char **err);
void	 connect_free(char **keys, char **vals, size_t n);

/*
 * Split a Listen value "ssh:ADDRESS:PORT" (a numeric address, IPv6 in
 * brackets). 0 and *addr (caller frees) and *port, or -1.
 */
int	 config_listen_ssh(const char *, char **addr, int *port);

/* Parse helpers shared with the command line: 0 on success, -1 if bad. */
int	 config_parse_duration(const char *s, long long *ms);
int	 config_parse_size(const char *s, long long *bytes);
int	 config_parse_count(const char *s, long long *n);

#endif
