/*
 * vault.h: database credentials encrypted at rest (libsodium secretbox)
 * under StateDir. The key lives in a 0600 key file; keys and passwords are
 * held only in sodium_malloc memory and wiped after use.
 */
#ifndef VAULT_H
#define VAULT_H

#include <stddef.h>

struct vault_key;	/* opaque, sodium_malloc'd */

/*
 * Load the key file at path, or create it (0600, 32 random bytes) when
 * create is set and it does not exist. Refuses a key file that is not a
 * regular file, not 0600 (no group/other bits), not owned by the current
 * user, or of the wrong size. Returns the key (caller frees with
 * vault_key_free) or NULL and *err.
 */
struct vault_key *vault_key_load(const char *path, int create, char **err);
void	 vault_key_free(struct vault_key *);	/* wipes; NULL is a no-op */

/*
 * Check the vault file's permissions as for the key file; a missing vault
 * is fine (no credentials yet). 0 or -1 and *err.
 */
int	 vault_check_file(const char *path, char **err);

/*
 * Store password for target in the vault file at path (atomically: a
 * temporary file in the same directory, fsync, rename; mode 0600),
 * replacing any earlier one. 0 or -1 and *err.
 */
int	 vault_set(const char *path, const struct vault_key *,
	    const char *target, const char *password, size_t len, char **err);

/*
 * Remove target's entry. 0 (also if there was none) or -1 and *err.
 */
int	 vault_delete(const char *path, const struct vault_key *,
	    const char *target, char **err);

/*
 * Look up target's password. Returns 1 and *password (sodium_malloc'd,
 * NUL-terminated; free with vault_secret_free), 0 if there is none, or -1
 * and *err (a damaged or tampered entry, a wrong key).
 */
int	 vault_get(const char *path, const struct vault_key *,
	    const char *target, char **password, char **err);
void	 vault_secret_free(char *);		/* wipes; NULL is a no-op */

/* Target names that have an entry, sorted. Caller frees each and the
 * array. 0 or -1 and *err. */
int	 vault_list(const char *path, char ***names, size_t *n, char **err);

#endif
