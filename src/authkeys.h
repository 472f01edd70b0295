/*
 * authkeys.h: read a user's AuthorizedKeys file (the format of OpenSSH's
 * authorized_keys) and decide whether a public key may log in from an
 * address at a time. Pure: never prints or exits. Handles files the
 * administrator writes, and keys and addresses from the network.
 */
#ifndef AUTHKEYS_H
#define AUTHKEYS_H

#include <stddef.h>
#include <time.h>

struct ssh_key_struct;

/* Key types accepted, and the smallest RSA key. */
#define AUTHKEYS_RSA_MIN_BITS	2048

#define AUTHKEY_NO_PTY		0x01	/* restrict or no-pty (and no pty) */

/* One usable line of the file. */
struct authkey {
	struct ssh_key_struct	*key;		/* the public key */
	char			*type;		/* "ssh-ed25519", ... */
	char		       **from;		/* from= patterns, or NULL */
	size_t			 nfrom;
	time_t			 expiry;	/* expiry-time=, or 0 */
	int			 flags;		/* AUTHKEY_* */
	int			 line;
};

/* A line that cannot be used, and why. */
struct authkeys_error {
	int			 line;
	char			*msg;
};

/*
 * A parsed file. A file with any error is refused as a whole when a user
 * logs in (fail closed); `dbgate config check` reports every error.
 */
struct authkeys {
	struct authkey		*keys;
	size_t			 nkeys;
	struct authkeys_error	*errors;
	size_t			 nerrors;
};

/*
 * Parse the text of an AuthorizedKeys file. Never fails as a whole: each
 * line is a key or an error. The caller frees the result with
 * authkeys_free.
 */
struct authkeys	*authkeys_parse(const char *text, size_t len);

/*
 * Read and parse the file at path (at most 1 MiB). Returns 0 and *out
 * (caller frees), or -1 and *err (caller frees) if it cannot be read.
 */
int		 authkeys_load(const char *path, struct authkeys **out,
		    char **err);
void		 authkeys_free(struct authkeys *);

/*
 * The entry for key that lets it in from address addr (numeric IPv4 or
 * IPv6) at time now, or NULL and *why (static text) when there is none:
 * no such key, an address outside from=, or a key past its expiry-time.
 * The returned entry belongs to ak.
 */
const struct authkey *authkeys_find(const struct authkeys *ak,
		    const struct ssh_key_struct *key, const char *addr,
		    time_t now, const char **why);

/*
 * Match a numeric address against from= patterns (OpenSSH semantics:
 * "*" and "?" wildcards, address/prefix-length, "!" negates and wins).
 * Returns 1 for a match, 0 for none, -1 for a negated match.
 */
int		 authkeys_match_from(char *const *patterns, size_t n,
		    const char *addr);

/*
 * Parse an expiry-time value: YYYYMMDD or YYYYMMDDHHMM[SS], in the local
 * time zone, or in UTC with a trailing Z. 0 and *t, or -1.
 */
int		 authkeys_parse_time(const char *s, time_t *t);

#endif
