/*
 * test-vault.c: the credential vault and its key file, in a temporary
 * directory: key checks, round trips, tampering and limits.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dbgate.h"
#include "vault.h"
#include "tap.h"

static char	 dir[] = "/tmp/test-vault.XXXXXX";
static char	*keypath, *vaultpath;

/* A path in the test directory (a new string). */
static char *
path_in(const char *name)
{
	char	*p;

	xasprintf(&p, "%s/%s", dir, name);
	return (p);
}

/* Read a whole file into a new buffer (NUL-terminated), or NULL. */
static char *
read_file(const char *path, size_t *len)
{
	struct buf	 b;
	char		 chunk[4096];
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return (NULL);
	buf_init(&b);
	while ((r = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(&b, chunk, (size_t)r);
	close(fd);
	buf_cstr(&b);
	*len = b.len;
	return (b.data);
}

/* Create or replace a file with the given contents and mode. */
static int
write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int	 fd, ok;

	unlink(path);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)) == -1)
		return (-1);
	ok = write(fd, data, len) == (ssize_t)len;
	ok = fchmod(fd, mode) == 0 && ok;
	close(fd);
	return (ok ? 0 : -1);
}

/* Say whether s contains sub. */
static int
has(const char *s, const char *sub)
{
	return (s != NULL && strstr(s, sub) != NULL);
}

/* Count the files named prefix* in the test directory, but the key. */
static int
count_files(const char *prefix)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	if ((d = opendir(dir)) == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0 &&
		    strcmp(de->d_name, "vault.key") != 0)
			n++;
	}
	closedir(d);
	return (n);
}

/* vault_get, returning the password as a plain string for comparison. */
static int
get(const struct vault_key *key, const char *target, char *out, size_t size,
    char **err)
{
	char	*pw = NULL;
	int	 r;

	*err = NULL;
	r = vault_get(vaultpath, key, target, &pw, err);
	if (r == 1) {
		strlcpy_(out, pw, size);
		vault_secret_free(pw);
	} else
		out[0] = '\0';
	return (r);
}

/* Store a NUL-terminated password, expecting success. */
static int
set(const struct vault_key *key, const char *target, const char *pw)
{
	char	*err = NULL;
	int	 r;

	r = vault_set(vaultpath, key, target, pw, strlen(pw), &err);
	if (r != 0)
		printf("# vault_set %s: %s\n", target, err);
	free(err);
	return (r);
}

/* Load a key expecting failure; returns the error (caller frees). */
static char *
key_error(const char *path, int create)
{
	struct vault_key	*k;
	char			*err = NULL;

	if ((k = vault_key_load(path, create, &err)) != NULL) {
		vault_key_free(k);
		return (NULL);
	}
	return (err);
}

/* Key file creation and the checks on loading it. */
static void
test_key(struct vault_key **key)
{
	struct stat	 st;
	char		*err = NULL, *p, *e, *data;
	unsigned char	 bytes[64];
	size_t		 len;

	e = key_error(keypath, 0);
	tap_ok(e != NULL && has(e, keypath) && has(e, "does not exist"),
	    "a missing key file is refused without create: %s", e);
	free(e);

	*key = vault_key_load(keypath, 1, &err);
	tap_ok(*key != NULL, "key file created");
	tap_ok(stat(keypath, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & 07777) == 0600 && st.st_size == 32,
	    "key file is a 0600 regular file of 32 bytes");
	data = read_file(keypath, &len);
	memset(bytes, 0, sizeof bytes);
	tap_ok(data != NULL && len == 32 && memcmp(data, bytes, 32) != 0,
	    "key file is not all zeros");
	free(data);

	err = NULL;
	vault_key_free(*key);
	*key = vault_key_load(keypath, 0, &err);
	tap_ok(*key != NULL, "key file loads again");
	free(err);

	err = NULL;
	tap_ok((e = key_error(keypath, 1)) == NULL,
	    "create on an existing key loads it");
	free(e);

	/* Group or other permission bits. */
	chmod(keypath, 0640);
	e = key_error(keypath, 0);
	tap_ok(has(e, keypath) && has(e, "0640") && has(e, "chmod 600"),
	    "mode 0640 refused: %s", e);
	free(e);
	chmod(keypath, 0604);
	e = key_error(keypath, 1);
	tap_ok(has(e, keypath) && has(e, "0604") && has(e, "chmod 600"),
	    "mode 0604 refused, also with create: %s", e);
	free(e);
	chmod(keypath, 0400);
	tap_ok((e = key_error(keypath, 0)) == NULL, "mode 0400 is accepted");
	free(e);
	chmod(keypath, 0600);

	/* A symbolic link, even to a good key file. */
	p = path_in("link.key");
	tap_ok(symlink(keypath, p) == 0, "symlink made");
	e = key_error(p, 1);
	tap_ok(has(e, p) && has(e, "symbolic link"),
	    "symlinked key file refused: %s", e);
	free(e);
	unlink(p);
	free(p);

	/* Wrong sizes. */
	p = path_in("short.key");
	for (len = 0; len < sizeof bytes; len++)
		bytes[len] = (unsigned char)(len * 7 + 1);
	write_file(p, bytes, 31, 0600);
	e = key_error(p, 0);
	tap_ok(has(e, p) && has(e, "31 bytes"), "31-byte key refused: %s", e);
	free(e);
	write_file(p, bytes, 33, 0600);
	e = key_error(p, 1);
	tap_ok(has(e, p) && has(e, "33 bytes"), "33-byte key refused: %s", e);
	free(e);
	write_file(p, bytes, 0, 0600);
	e = key_error(p, 1);
	tap_ok(has(e, "0 bytes"), "empty key refused: %s", e);
	free(e);
	unlink(p);
	free(p);

	/* Not a regular file. */
	p = path_in("dir.key");
	mkdir(p, 0700);
	e = key_error(p, 1);
	tap_ok(has(e, p) && has(e, "not a regular file"),
	    "directory as key refused: %s", e);
	free(e);
	rmdir(p);
	free(p);

	/* Another owner (only root can arrange that). */
	if (geteuid() == 0) {
		chown(keypath, 12345, 12345);
		e = key_error(keypath, 0);
		tap_ok(has(e, keypath) && has(e, "uid 12345") &&
		    has(e, "chown"), "key owned by another user refused: %s",
		    e);
		free(e);
		chown(keypath, 0, 0);
	} else
		tap_ok(1, "# SKIP owner check needs root");

	/* A key file in a directory that does not exist. */
	p = path_in("nodir/vault.key");
	e = key_error(p, 1);
	tap_ok(has(e, p), "key in a missing directory: %s", e);
	free(e);
	free(p);
}

/* Set, get, list, replace, delete. */
static void
test_roundtrip(const struct vault_key *key)
{
	struct stat	 st;
	char		 pw[8192], *err = NULL, **names = NULL;
	size_t		 n = 99, i;
	int		 r;

	r = vault_list(vaultpath, &names, &n, &err);
	tap_ok(r == 0 && n == 0 && names != NULL,
	    "a missing vault lists no names");
	free(names);
	tap_ok(vault_check_file(vaultpath, &err) == 0,
	    "a missing vault passes vault_check_file");
	tap_ok(get(key, "prod", pw, sizeof pw, &err) == 0 && err == NULL,
	    "get from a missing vault returns 0");

	umask(0);
	tap_ok(set(key, "prod", "s3cret-prod") == 0, "set prod");
	umask(022);
	tap_ok(stat(vaultpath, &st) == 0 && (st.st_mode & 07777) == 0600,
	    "vault file is 0600 after set, even with umask 0");
	tap_ok(vault_check_file(vaultpath, &err) == 0,
	    "vault_check_file accepts it");
	tap_ok(set(key, "staging", "pw-staging") == 0, "set staging");
	tap_ok(set(key, "analytics.eu-1", "pw-analytics") == 0,
	    "set analytics.eu-1");

	r = get(key, "prod", pw, sizeof pw, &err);
	tap_ok(r == 1, "get prod returns 1");
	tap_is(pw, "s3cret-prod", "prod password round-trips");
	get(key, "staging", pw, sizeof pw, &err);
	tap_is(pw, "pw-staging", "staging password round-trips");
	get(key, "analytics.eu-1", pw, sizeof pw, &err);
	tap_is(pw, "pw-analytics", "analytics.eu-1 password round-trips");

	r = get(key, "nosuch", pw, sizeof pw, &err);
	tap_ok(r == 0 && err == NULL, "get of an absent target returns 0");

	r = vault_list(vaultpath, &names, &n, &err);
	tap_ok(r == 0 && n == 3, "list has three names");
	if (r == 0 && n == 3) {
		tap_is(names[0], "analytics.eu-1", "list sorted (1)");
		tap_is(names[1], "prod", "list sorted (2)");
		tap_is(names[2], "staging", "list sorted (3)");
	}
	for (i = 0; r == 0 && i < n; i++)
		free(names[i]);
	free(names);

	tap_ok(set(key, "prod", "new-prod-password") == 0, "replace prod");
	get(key, "prod", pw, sizeof pw, &err);
	tap_is(pw, "new-prod-password", "prod has the new password");
	r = vault_list(vaultpath, &names, &n, &err);
	tap_ok(r == 0 && n == 3, "replace does not add a name");
	for (i = 0; r == 0 && i < n; i++)
		free(names[i]);
	free(names);

	tap_ok(vault_delete(vaultpath, key, "staging", &err) == 0,
	    "delete staging");
	tap_ok(get(key, "staging", pw, sizeof pw, &err) == 0,
	    "staging is gone");
	get(key, "prod", pw, sizeof pw, &err);
	tap_is(pw, "new-prod-password", "prod survives the delete");
	tap_ok(vault_delete(vaultpath, key, "staging", &err) == 0,
	    "delete of an absent target returns 0");
	tap_ok(count_files("vault.") == 0, "no temporary files left behind");
}

/* Passwords with awkward bytes, and that none shows in the file. */
static void
test_passwords(const struct vault_key *key)
{
	static const char	*pws[] = {
		"with spaces  and\ttabs ",
		"quo'tes\" and `back` $(id) \\ slashes",
		"\xc3\xa9t\xc3\xa9 \xe2\x82\xac\xf0\x9f\x94\x91 p\xc3\xa4ss",
		"trailing-cr\r",
		"x",
	};
	char		 pw[8192], name[32], *data, *err = NULL;
	size_t		 len, i;
	int		 ok;

	for (i = 0; i < nitems(pws); i++) {
		snprintf(name, sizeof name, "odd%zu", i);
		tap_ok(set(key, name, pws[i]) == 0, "set %s", name);
	}
	for (i = 0; i < nitems(pws); i++) {
		snprintf(name, sizeof name, "odd%zu", i);
		get(key, name, pw, sizeof pw, &err);
		tap_is(pw, pws[i], "%s round-trips", name);
	}
	data = read_file(vaultpath, &len);
	ok = data != NULL;
	for (i = 0; ok && i + 1 < nitems(pws); i++) {
		if (memmem(data, len, pws[i], strlen(pws[i])) != NULL)
			ok = 0;
	}
	if (ok && (memmem(data, len, "new-prod-password", 17) != NULL ||
	    memmem(data, len, "prod-password", 13) != NULL ||
	    memmem(data, len, "pw-analytics", 12) != NULL))
		ok = 0;
	tap_ok(ok, "no password appears in the vault file");
	tap_ok(data != NULL && strncmp(data, "dbgate-vault-v1\n", 16) == 0 &&
	    has(data, "\nprod\t") && has(data, "\nodd2\t"),
	    "vault file has the header and greppable names");
	free(data);
}

/* Many targets. */
static void
test_many(const struct vault_key *key)
{
	char	 name[32], want[64], pw[256], *err = NULL, **names = NULL;
	size_t	 n = 0, i;
	int	 ok = 1, r;

	for (i = 0; ok && i < 150; i++) {
		snprintf(name, sizeof name, "t%03zu", (i * 37) % 150);
		snprintf(want, sizeof want, "password %zu", (i * 37) % 150);
		ok = set(key, name, want) == 0;
	}
	tap_ok(ok, "150 targets set");
	for (i = 0; ok && i < 150; i++) {
		snprintf(name, sizeof name, "t%03zu", i);
		snprintf(want, sizeof want, "password %zu", i);
		ok = get(key, name, pw, sizeof pw, &err) == 1 &&
		    strcmp(pw, want) == 0;
	}
	tap_ok(ok, "150 targets read back");
	r = vault_list(vaultpath, &names, &n, &err);
	ok = r == 0 && n >= 150;
	for (i = 1; ok && i < n; i++)
		ok = strcmp(names[i - 1], names[i]) < 0;
	tap_ok(ok, "list of %zu names is strictly sorted", n);
	for (i = 0; r == 0 && i < n; i++)
		free(names[i]);
	free(names);
	for (i = 0; ok && i < 150; i++) {
		snprintf(name, sizeof name, "t%03zu", i);
		ok = vault_delete(vaultpath, key, name, &err) == 0;
	}
	tap_ok(ok, "150 targets deleted");
}

/* Replace the first occurrence of from with to in the vault file. */
static int
edit_vault(const char *from, const char *to)
{
	struct buf	 b;
	char		*data, *at;
	size_t		 len;
	int		 r;

	if ((data = read_file(vaultpath, &len)) == NULL)
		return (-1);
	if ((at = strstr(data, from)) == NULL) {
		free(data);
		return (-1);
	}
	buf_init(&b);
	buf_add(&b, data, (size_t)(at - data));
	buf_adds(&b, to);
	buf_adds(&b, at + strlen(from));
	r = write_file(vaultpath, b.data, b.len, 0600);
	buf_free(&b);
	free(data);
	return (r);
}

/* The data part of name's line in a vault file's contents (a new string). */
static char *
entry_data(const char *contents, const char *name)
{
	char	*needle, *at;

	xasprintf(&needle, "\n%s\t", name);
	at = strstr(contents, needle);
	if (at == NULL)
		at = needle;	/* an empty answer; the test will fail */
	else
		at += strlen(needle);
	at = xstrndup(at, strcspn(at, "\n"));
	free(needle);
	return (at);
}

/* Copy the vault file aside. */
static void
save_vault(char **saved, size_t *len)
{
	*saved = read_file(vaultpath, len);
}

/* Put back a saved vault file. */
static void
restore_vault(const char *saved, size_t len)
{
	write_file(vaultpath, saved, len, 0600);
}

/* Renamed, copied, truncated and garbled entries; another key. */
static void
test_tamper(const struct vault_key *key)
{
	struct vault_key	*other;
	char			 pw[256], *err, *saved, *line, *data;
	char			*otherpath, *proddata, *devdata;
	size_t			 len, dlen;
	int			 r;

	set(key, "prod", "prod-password-1");
	set(key, "dev", "dev-password-1");
	save_vault(&saved, &len);

	/* An entry renamed to a target with no entry of its own. */
	tap_ok(edit_vault("\nprod\t", "\nprodcopy\t") == 0, "renamed entry");
	r = get(key, "prodcopy", pw, sizeof pw, &err);
	tap_ok(r == -1, "a renamed entry does not decrypt");
	tap_is(err, "vault entry for prodcopy cannot be decrypted: wrong key "
	    "or damaged file", "error for a renamed entry");
	free(err);
	restore_vault(saved, len);

	/* prod's data pasted over dev's line: dev must not get prod's. */
	proddata = entry_data(saved, "prod");
	devdata = entry_data(saved, "dev");
	tap_ok(edit_vault(devdata, proddata) == 0, "dev's data replaced");
	r = get(key, "dev", pw, sizeof pw, &err);
	tap_ok(r == -1 && has(err, "vault entry for dev cannot be "
	    "decrypted"), "another target's data does not open for dev");
	tap_ok(strstr(pw, "prod-password") == NULL && !has(err, "password-1"),
	    "nothing of prod's password leaks");
	free(err);
	get(key, "prod", pw, sizeof pw, &err);
	tap_is(pw, "prod-password-1", "prod still opens");
	restore_vault(saved, len);

	/* Truncated entry. */
	data = xstrndup(proddata, strlen(proddata) / 2);
	tap_ok(edit_vault(proddata, data) == 0, "prod entry truncated");
	free(data);
	r = get(key, "prod", pw, sizeof pw, &err);
	tap_ok(r == -1, "a truncated entry fails");
	tap_is(err, "vault entry for prod cannot be decrypted: wrong key or "
	    "damaged file", "error for a truncated entry");
	free(err);
	get(key, "dev", pw, sizeof pw, &err);
	tap_is(pw, "dev-password-1", "the other entry still opens");
	restore_vault(saved, len);
	free(proddata);
	free(devdata);

	/* One base64 character changed (still valid base64). */
	data = read_file(vaultpath, &dlen);
	line = strstr(data, "\nprod\t") + 6 + 20;
	*line = *line == 'A' ? 'B' : 'A';
	write_file(vaultpath, data, dlen, 0600);
	free(data);
	r = get(key, "prod", pw, sizeof pw, &err);
	tap_ok(r == -1 && has(err, "cannot be decrypted"),
	    "a garbled entry fails");
	free(err);
	restore_vault(saved, len);

	/* Not base64 at all. */
	tap_ok(edit_vault("\nprod\t", "\nprod\t!!") == 0, "junk inserted");
	r = get(key, "prod", pw, sizeof pw, &err);
	tap_ok(r == -1 && has(err, "cannot be decrypted"),
	    "an entry that is not base64 fails");
	free(err);
	restore_vault(saved, len);

	/* A line without a tab: the whole file is reported damaged. */
	tap_ok(edit_vault("\nprod\t", "\nprod ") == 0, "tab removed");
	r = get(key, "dev", pw, sizeof pw, &err);
	tap_ok(r == -1 && has(err, vaultpath) && has(err, "line") &&
	    has(err, "damaged"), "a line without a tab: %s", err);
	free(err);
	err = NULL;
	tap_ok(vault_set(vaultpath, key, "dev", "x", 1, &err) == -1,
	    "set refuses to rewrite a damaged vault");
	free(err);
	data = read_file(vaultpath, &dlen);
	tap_ok(data != NULL && has(data, "\nprod ") && dlen == len,
	    "the damaged vault is left unchanged");
	free(data);
	restore_vault(saved, len);

	/* Two entries for one target. */
	tap_ok(edit_vault("\ndev\t", "\nprod\t") == 0, "duplicate made");
	r = get(key, "prod", pw, sizeof pw, &err);
	tap_ok(r == -1 && has(err, "second entry for prod"),
	    "a duplicate entry: %s", err);
	free(err);
	restore_vault(saved, len);

	/* No header. */
	tap_ok(edit_vault("dbgate-vault-v1\n", "dbgate-vault-v2\n") == 0,
	    "header changed");
	r = get(key, "prod", pw, sizeof pw, &err);
	tap_ok(r == -1 && has(err, "not a dbgate vault"),
	    "a wrong header: %s", err);
	free(err);
	write_file(vaultpath, "", 0, 0600);
	r = get(key, "prod", pw, sizeof pw, &err);
	tap_ok(r == -1 && has(err, "not a dbgate vault"),
	    "an empty file is not a vault");
	free(err);
	restore_vault(saved, len);

	/* A different key. */
	otherpath = path_in("other.key");
	err = NULL;
	other = vault_key_load(otherpath, 1, &err);
	tap_ok(other != NULL, "second key created");
	r = get(other, "prod", pw, sizeof pw, &err);
	tap_ok(r == -1, "a different key fails");
	tap_is(err, "vault entry for prod cannot be decrypted: wrong key or "
	    "damaged file", "error for a different key");
	tap_ok(!has(err, "prod-password-1"), "the error has no password");
	free(err);
	get(key, "prod", pw, sizeof pw, &err);
	tap_is(pw, "prod-password-1", "the right key still works");
	vault_key_free(other);
	unlink(otherpath);
	free(otherpath);
	free(saved);
}

/* Vault file permission checks. */
static void
test_vault_perms(const struct vault_key *key)
{
	char	 pw[256], *err = NULL, *p;
	int	 r;

	set(key, "prod", "perm-test");
	chmod(vaultpath, 0644);
	r = vault_check_file(vaultpath, &err);
	tap_ok(r == -1 && has(err, vaultpath) && has(err, "chmod 600"),
	    "a 0644 vault is refused: %s", err);
	free(err);
	r = get(key, "prod", pw, sizeof pw, &err);
	tap_ok(r == -1 && has(err, "0644"), "and not read by get");
	free(err);
	chmod(vaultpath, 0600);

	p = path_in("real-vault");
	rename(vaultpath, p);
	symlink(p, vaultpath);
	r = vault_check_file(vaultpath, &err);
	tap_ok(r == -1 && has(err, "symbolic link"),
	    "a symlinked vault is refused: %s", err);
	free(err);
	r = get(key, "prod", pw, sizeof pw, &err);
	tap_ok(r == -1 && has(err, "symbolic link"),
	    "and not read by get");
	free(err);
	err = NULL;
	r = vault_set(vaultpath, key, "prod", "x", 1, &err);
	tap_ok(r == -1 && has(err, "symbolic link"), "nor by set");
	free(err);
	unlink(vaultpath);
	rename(p, vaultpath);
	free(p);

	if (geteuid() == 0) {
		chown(vaultpath, 12345, 12345);
		r = vault_check_file(vaultpath, &err);
		tap_ok(r == -1 && has(err, "uid 12345"),
		    "a vault owned by another user is refused: %s", err);
		free(err);
		chown(vaultpath, 0, 0);
	} else
		tap_ok(1, "# SKIP owner check needs root");
}

/* Target names and password limits. */
static void
test_limits(const struct vault_key *key)
{
	static const char	*bad[] = {
		"", "a b", "a/b", "../x", "prod\n", "pr\"od", "caf\xc3\xa9",
		"a\tb", "x;y", "$x",
		"a1234567890123456789012345678901234567890"
		"123456789012345678901234",	/* 65 bytes */
	};
	char	 pw[8192], *big, *err = NULL, *data, name[70];
	size_t	 i, len;
	int	 r, ok;

	for (i = 0; i < nitems(bad); i++) {
		err = NULL;
		r = vault_set(vaultpath, key, bad[i], "pw", 2, &err);
		ok = r == -1 && has(err, "invalid target name");
		free(err);
		err = NULL;
		r = vault_get(vaultpath, key, bad[i], &data, &err);
		ok = ok && r == -1 && has(err, "invalid target name");
		free(err);
		err = NULL;
		r = vault_delete(vaultpath, key, bad[i], &err);
		ok = ok && r == -1 && has(err, "invalid target name");
		free(err);
		tap_ok(ok, "bad target name %zu refused", i);
	}
	err = NULL;
	vault_set(vaultpath, key, "a\x01\xff", "pw", 2, &err);
	tap_ok(err != NULL && memchr(err, '\x01', strlen(err)) == NULL &&
	    strchr(err, '\xff') == NULL, "unprintable bytes not echoed: %s",
	    err);
	free(err);

	memset(name, 'n', 64);
	name[64] = '\0';
	tap_ok(set(key, name, "sixty-four") == 0, "a 64-char name is fine");
	get(key, name, pw, sizeof pw, &err);
	tap_is(pw, "sixty-four", "and reads back");
	tap_ok(set(key, "A-Z_a.z-0.9", "mixed") == 0,
	    "letters, digits, '_', '.' and '-' are fine");

	big = xmalloc(4098);
	memset(big, 'p', 4097);
	big[4097] = '\0';
	big[0] = 'Q';
	err = NULL;
	r = vault_set(vaultpath, key, "big", big, 4096, &err);
	tap_ok(r == 0, "a 4096-byte password is accepted");
	free(err);
	big[4096] = '\0';
	get(key, "big", pw, sizeof pw, &err);
	tap_ok(strcmp(pw, big) == 0, "and reads back whole");
	big[4096] = 'p';
	err = NULL;
	r = vault_set(vaultpath, key, "big", big, 4097, &err);
	tap_ok(r == -1 && has(err, "longer than 4096") &&
	    !has(err, "Qppp"), "a 4097-byte password is refused: %s", err);
	free(err);
	free(big);

	err = NULL;
	r = vault_set(vaultpath, key, "prod", "", 0, &err);
	tap_ok(r == -1 && has(err, "empty"), "an empty password is refused");
	free(err);
	err = NULL;
	r = vault_set(vaultpath, key, "prod", "abc\ndef", 7, &err);
	tap_ok(r == -1 && has(err, "newline") && !has(err, "abc") &&
	    !has(err, "def"), "a newline is refused: %s", err);
	free(err);
	err = NULL;
	r = vault_set(vaultpath, key, "prod", "abc\0def", 7, &err);
	tap_ok(r == -1 && has(err, "NUL") && !has(err, "abc"),
	    "a NUL byte is refused: %s", err);
	free(err);
	get(key, "prod", pw, sizeof pw, &err);
	tap_is(pw, "perm-test", "refused sets leave the old password");

	data = read_file(vaultpath, &len);
	tap_ok(data != NULL && memmem(data, len, "pppppppp", 8) == NULL,
	    "the long password does not appear in the file");
	free(data);
}

/* A write that fails leaves the old vault and no temporary file. */
static void
test_write_failure(const struct vault_key *key)
{
	struct rlimit	 old, small;
	char		*before, *after, *err = NULL, pw[256];
	size_t		 blen, alen;
	int		 r;

	set(key, "prod", "before-failure");
	before = read_file(vaultpath, &blen);
	getrlimit(RLIMIT_FSIZE, &old);
	small = old;
	small.rlim_cur = 64;
	signal(SIGXFSZ, SIG_IGN);
	setrlimit(RLIMIT_FSIZE, &small);
	r = vault_set(vaultpath, key, "prod", "after-failure", 13, &err);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, SIG_DFL);
	tap_ok(r == -1 && has(err, "cannot write temporary file") &&
	    has(err, vaultpath), "a failed write is reported: %s", err);
	free(err);
	after = read_file(vaultpath, &alen);
	tap_ok(before != NULL && after != NULL && alen == blen &&
	    memcmp(before, after, blen) == 0, "the old vault is unchanged");
	tap_ok(count_files("vault.") == 0, "the temporary file is removed");
	get(key, "prod", pw, sizeof pw, &err);
	tap_is(pw, "before-failure", "the old password still opens");
	free(before);
	free(after);
}

/* Remove the test directory and everything in it. */
static void
cleanup(void)
{
	DIR		*d;
	struct dirent	*de;
	char		*p;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		p = path_in(de->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

int
main(void)
{
	struct vault_key	*key = NULL;

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return (1);
	}
	keypath = path_in("vault.key");
	vaultpath = path_in("vault");

	test_key(&key);
	if (key == NULL) {
		tap_ok(0, "no key, cannot go on");
		cleanup();
		return (tap_done());
	}
	test_roundtrip(key);
	test_passwords(key);
	test_many(key);
	test_tamper(key);
	test_vault_perms(key);
	test_limits(key);
	test_write_failure(key);

	vault_key_free(key);
	vault_key_free(NULL);
	vault_secret_free(NULL);
	cleanup();
	free(keypath);
	free(vaultpath);
	return (tap_done());
}
