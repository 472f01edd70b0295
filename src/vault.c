/*
 * vault.c: database credentials encrypted at rest with libsodium's
 * secretbox (XSalsa20-Poly1305), and the key file that opens them.
 *
 * The vault is a text file, one entry per line, so that it can be grepped
 * for target names but not for secrets:
 *
 *	dbgate-vault-v1
 *	TARGET<TAB>BASE64(nonce || secretbox(plaintext))
 *
 * where plaintext is "dbgate-vault-v1\0" TARGET "\0" PASSWORD. Binding the
 * target name into the sealed plaintext means an entry copied or renamed to
 * another target fails to decrypt instead of handing out the wrong
 * password.
 *
 * The key and the vault live under StateDir and are written only by the
 * gateway's user, but their contents are still checked as if hostile: a
 * damaged or tampered file gives an error, never a crash or a wrong
 * password. Keys and plaintexts are held only in sodium_malloc memory and
 * wiped before it is freed; no error text ever contains a password.
 */
#include <sys/types.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "dbgate.h"
#include "vault.h"

#define VAULT_MAGIC		"dbgate-vault-v1"
#define VAULT_MAGIC_LEN		(sizeof VAULT_MAGIC)	/* with its NUL */
#define VAULT_KEY_LEN		crypto_secretbox_KEYBYTES
#define VAULT_NAME_MAX		64
#define VAULT_PASSWORD_MAX	4096
#define VAULT_FILE_MAX		(16 * 1024 * 1024)
#define VAULT_PLAIN_MAX \
	(VAULT_MAGIC_LEN + VAULT_NAME_MAX + 1 + VAULT_PASSWORD_MAX)
#define VAULT_BLOB_MAX \
	(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + \
	VAULT_PLAIN_MAX)
#define VAULT_B64		sodium_base64_VARIANT_ORIGINAL

/* The key, in sodium_malloc memory, read-only once loaded. */
struct vault_key {
	unsigned char	 k[VAULT_KEY_LEN];
};

/* One line of the vault file; name and data point into the contents. */
struct vault_entry {
	const char	*name;
	size_t		 namelen;
	const char	*data;
	size_t		 datalen;
};

/* A vault file read into memory and split into entries. */
struct vault_file {
	struct buf		 contents;
	struct vault_entry	*entries;
	size_t			 n;
};

/* Initialise libsodium (idempotent). */
static int
vault_init(char **err)
{
	if (sodium_init() < 0) {
		*err = xstrdup("cannot initialise libsodium");
		return (-1);
	}
	return (0);
}

/* Say whether name (namelen bytes) is a valid target name. */
static int
vault_name_ok(const char *name, size_t namelen)
{
	size_t	 i;
	char	 c;

	if (namelen == 0 || namelen > VAULT_NAME_MAX)
		return (0);
	for (i = 0; i < namelen; i++) {
		c = name[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-')
			continue;
		return (0);
	}
	return (1);
}

/*
 * Check a target name given by the caller; the error shows the name with
 * unprintable bytes replaced and cut to a readable length.
 */
static int
vault_check_name(const char *target, char **err)
{
	char	 shown[VAULT_NAME_MAX + 4];
	size_t	 len, i;

	if (target != NULL && vault_name_ok(target, strlen(target)))
		return (0);
	if (target == NULL)
		target = "";
	len = strlen(target);
	for (i = 0; i < len && i < VAULT_NAME_MAX; i++) {
		if ((unsigned char)target[i] < 0x20 ||
		    (unsigned char)target[i] >= 0x7f || target[i] == '"')
			shown[i] = '?';
		else
			shown[i] = target[i];
	}
	if (len > VAULT_NAME_MAX) {
		memcpy(shown + i, "...", 3);
		i += 3;
	}
	shown[i] = '\0';
	xasprintf(err, "invalid target name \"%s\": use 1 to %d letters, "
	    "digits, '_', '.' or '-'", shown, VAULT_NAME_MAX);
	return (-1);
}

/* Check the type, owner and mode of a key or vault file. */
static int
vault_check_stat(const char *what, const char *path, const struct stat *st,
    char **err)
{
	uid_t	 uid = geteuid();

	if (!S_ISREG(st->st_mode)) {
		xasprintf(err, "%s %s is not a regular file; replace it with "
		    "the real file", what, path);
		return (-1);
	}
	if (st->st_uid != uid) {
		xasprintf(err, "%s %s is owned by uid %lu, not by uid %lu "
		    "that dbgate runs as; fix with: chown %lu %s", what, path,
		    (unsigned long)st->st_uid, (unsigned long)uid,
		    (unsigned long)uid, path);
		return (-1);
	}
	if ((st->st_mode & 077) != 0) {
		xasprintf(err, "%s %s has mode %04o, open to group or others; "
		    "fix with: chmod 600 %s", what, path,
		    (unsigned int)(st->st_mode & 07777), path);
		return (-1);
	}
	return (0);
}

/*
 * Open a key or vault file for reading without following a symbolic link,
 * and check it. Returns 1 and *fd (and *st), 0 if it does not exist, or -1
 * and *err.
 */
static int
vault_open_checked(const char *what, const char *path, int *fd,
    struct stat *st, char **err)
{
	struct stat	 lst;
	int		 f, saved;

	f = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC);
	if (f == -1) {
		saved = errno;
		if (saved == ENOENT)
			return (0);
		if (saved == ELOOP && lstat(path, &lst) == 0 &&
		    S_ISLNK(lst.st_mode)) {
			xasprintf(err, "%s %s is a symbolic link; replace it "
			    "with the file itself", what, path);
		} else {
			xasprintf(err, "cannot open %s %s: %s", what, path,
			    strerror(saved));
		}
		return (-1);
	}
	if (fstat(f, st) == -1) {
		xasprintf(err, "cannot stat %s %s: %s", what, path,
		    strerror(errno));
		close(f);
		return (-1);
	}
	if (vault_check_stat(what, path, st, err) != 0) {
		close(f);
		return (-1);
	}
	*fd = f;
	return (1);
}

/* Read exactly n bytes, retrying short reads. 0, or -1 (errno 0 on EOF). */
static int
vault_read_full(int fd, void *p, size_t n)
{
	unsigned char	*cp = p;
	ssize_t		 r;

	while (n > 0) {
		r = read(fd, cp, n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = 0;
			return (-1);
		}
		cp += r;
		n -= (size_t)r;
	}
	return (0);
}

/* Write all n bytes, retrying short writes. 0 or -1 and errno. */
static int
vault_write_full(int fd, const void *p, size_t n)
{
	const unsigned char	*cp = p;
	ssize_t			 r;

	while (n > 0) {
		r = write(fd, cp, n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return (-1);
		cp += r;
		n -= (size_t)r;
	}
	return (0);
}

/* The directory part of path, as a new string. */
static char *
vault_dirname(const char *path)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		return (xstrdup("."));
	if (slash == path)
		return (xstrdup("/"));
	return (xstrndup(path, (size_t)(slash - path)));
}

/* Flush a directory's entries (after a create or rename in it). */
static int
vault_sync_dir(const char *path, int dirfd, char **err)
{
	if (fsync(dirfd) == -1 && errno != EINVAL) {
		xasprintf(err, "cannot sync the directory of %s: %s", path,
		    strerror(errno));
		return (-1);
	}
	return (0);
}

/* Open the directory that holds path. */
static int
vault_open_dir(const char *what, const char *path, char **err)
{
	char	*dir = vault_dirname(path);
	int	 fd;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		xasprintf(err, "cannot open directory %s of %s %s: %s", dir,
		    what, path, strerror(errno));
	free(dir);
	return (fd);
}

/* Make the key read-only and return it. */
static struct vault_key *
vault_key_seal(struct vault_key *key)
{
	sodium_mprotect_readonly(key);
	return (key);
}

/*
 * Give a new file mode 0600, write all of p, sync and close it; fd is
 * closed either way. 0, or -1 with errno set and *step naming what failed.
 */
static int
vault_commit_file(int fd, const void *p, size_t len, const char **step)
{
	int	 saved;

	*step = "set the mode of";
	if (fchmod(fd, 0600) == -1)
		goto fail;
	*step = "write";
	if (vault_write_full(fd, p, len) == -1)
		goto fail;
	*step = "sync";
	if (fsync(fd) == -1)
		goto fail;
	*step = "close";
	return (close(fd));
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return (-1);
}

/*
 * Create a new key file with a random key. Returns the key, or NULL and
 * *err; *exists is set if someone else created the file first.
 */
static struct vault_key *
vault_key_create(const char *path, int *exists, char **err)
{
	struct vault_key	*key = NULL;
	int			 fd, dirfd = -1, saved, rc;
	const char		*step;

	*exists = 0;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY |
	    O_CLOEXEC, 0600);
	if (fd == -1) {
		if (errno == EEXIST) {
			*exists = 1;
			return (NULL);
		}
		xasprintf(err, "cannot create key file %s: %s", path,
		    strerror(errno));
		return (NULL);
	}
	if ((key = sodium_malloc(sizeof *key)) == NULL) {
		step = "allocate secure memory for";
		goto fail;
	}
	randombytes_buf(key->k, sizeof key->k);
	rc = vault_commit_file(fd, key->k, sizeof key->k, &step);
	fd = -1;
	if (rc == -1)
		goto fail;
	if ((dirfd = vault_open_dir("key file", path, err)) == -1)
		goto fail_err;
	if (vault_sync_dir(path, dirfd, err) != 0)
		goto fail_err;
	close(dirfd);
	return (vault_key_seal(key));

fail:
	saved = errno;
	xasprintf(err, "cannot %s key file %s: %s", step, path,
	    strerror(saved));
fail_err:
	if (fd != -1)
		close(fd);
	if (dirfd != -1)
		close(dirfd);
	unlink(path);
	sodium_free(key);	/* wipes; NULL is fine */
	return (NULL);
}

/* Load (or create) the key file; see vault.h. */
struct vault_key *
vault_key_load(const char *path, int create, char **err)
{
	struct vault_key	*key;
	struct stat		 st;
	char			*e = NULL;
	int			 fd, r, exists;

	if (vault_init(err) != 0)
		return (NULL);
	if ((r = vault_open_checked("key file", path, &fd, &st, &e)) == -1) {
		*err = e;
		return (NULL);
	}
	if (r == 0) {
		if (!create) {
			xasprintf(err, "key file %s does not exist (it is "
			    "created by the first \"dbgate vault set\")", path);
			return (NULL);
		}
		key = vault_key_create(path, &exists, &e);
		if (key != NULL)
			return (key);
		if (!exists) {
			*err = e;
			return (NULL);
		}
		/* Created by someone else meanwhile: load theirs. */
		r = vault_open_checked("key file", path, &fd, &st, &e);
		if (r != 1) {
			if (r == 0)
				xasprintf(&e, "key file %s vanished while "
				    "being created", path);
			*err = e;
			return (NULL);
		}
	}
	if (st.st_size != (off_t)VAULT_KEY_LEN) {
		xasprintf(err, "key file %s is %jd bytes long, not %u: it is "
		    "not a dbgate vault key; restore the right file (a new "
		    "key cannot open the existing vault)", path,
		    (intmax_t)st.st_size, (unsigned int)VAULT_KEY_LEN);
		close(fd);
		return (NULL);
	}
	if ((key = sodium_malloc(sizeof *key)) == NULL) {
		xasprintf(err, "cannot allocate secure memory for key file %s",
		    path);
		close(fd);
		return (NULL);
	}
	if (vault_read_full(fd, key->k, sizeof key->k) == -1) {
		xasprintf(err, "cannot read key file %s: %s", path,
		    errno == 0 ? "file is too short" : strerror(errno));
		close(fd);
		sodium_free(key);
		return (NULL);
	}
	close(fd);
	return (vault_key_seal(key));
}

/* Free a key, wiping it; NULL is a no-op. */
void
vault_key_free(struct vault_key *key)
{
	/* sodium_free makes the pages writable and zeroes them first. */
	if (key != NULL)
		sodium_free(key);
}

/* Free a password returned by vault_get, wiping it; NULL is a no-op. */
void
vault_secret_free(char *secret)
{
	if (secret != NULL)
		sodium_free(secret);
}

/* Check the vault file's type, owner and mode; see vault.h. */
int
vault_check_file(const char *path, char **err)
{
	struct stat	 st;
	char		*e = NULL;
	int		 fd, r;

	if ((r = vault_open_checked("vault file", path, &fd, &st, &e)) == -1) {
		*err = e;
		return (-1);
	}
	if (r == 1)
		close(fd);
	return (0);
}

/* Release a vault file read by vault_file_load. */
static void
vault_file_free(struct vault_file *vf)
{
	buf_free(&vf->contents);
	free(vf->entries);
	vf->entries = NULL;
	vf->n = 0;
}

/* Split the contents of a vault file into entries. 0 or -1 and *err. */
static int
vault_file_parse(const char *path, struct vault_file *vf, char **err)
{
	const char		*p, *end, *nl, *eol, *tab;
	struct vault_entry	*e;
	size_t			 lineno, i, cap = 0;

	p = buf_cstr(&vf->contents);
	end = p + vf->contents.len;
	nl = memchr(p, '\n', vf->contents.len);
	eol = nl != NULL ? nl : end;
	if ((size_t)(eol - p) != VAULT_MAGIC_LEN - 1 ||
	    memcmp(p, VAULT_MAGIC, VAULT_MAGIC_LEN - 1) != 0) {
		xasprintf(err, "vault file %s is not a dbgate vault (its first "
		    "line is not \"%s\")", path, VAULT_MAGIC);
		return (-1);
	}
	p = nl != NULL ? nl + 1 : end;
	for (lineno = 2; p < end; lineno++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		eol = nl != NULL ? nl : end;
		if (eol == p) {
			p = eol + 1;	/* a blank line */
			continue;
		}
		tab = memchr(p, '\t', (size_t)(eol - p));
		if (tab == NULL || !vault_name_ok(p, (size_t)(tab - p)) ||
		    tab + 1 == eol) {
			xasprintf(err, "vault file %s line %zu is damaged "
			    "(expected TARGET<TAB>DATA); fix or remove that "
			    "line", path, lineno);
			return (-1);
		}
		for (i = 0; i < vf->n; i++) {
			e = &vf->entries[i];
			if (e->namelen == (size_t)(tab - p) &&
			    memcmp(e->name, p, e->namelen) == 0) {
				xasprintf(err, "vault file %s line %zu is a "
				    "second entry for %.*s; remove one of them",
				    path, lineno, (int)e->namelen, e->name);
				return (-1);
			}
		}
		if (vf->n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			vf->entries = xreallocarray(vf->entries, cap,
			    sizeof *vf->entries);
		}
		e = &vf->entries[vf->n++];
		e->name = p;
		e->namelen = (size_t)(tab - p);
		e->data = tab + 1;
		e->datalen = (size_t)(eol - (tab + 1));
		p = nl != NULL ? nl + 1 : end;
	}
	return (0);
}

/*
 * Read and parse the vault file; a missing file is an empty vault. The
 * file is checked (type, owner, mode, not a link) through the descriptor
 * that is read. 0 or -1 and *err.
 */
static int
vault_file_load(const char *path, struct vault_file *vf, char **err)
{
	struct stat	 st;
	char		 chunk[8192];
	ssize_t		 r;
	int		 fd, found;

	buf_init(&vf->contents);
	vf->entries = NULL;
	vf->n = 0;
	if ((found = vault_open_checked("vault file", path, &fd, &st,
	    err)) == -1)
		return (-1);
	if (found == 0)
		return (0);
	for (;;) {
		r = read(fd, chunk, sizeof chunk);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			xasprintf(err, "cannot read vault file %s: %s", path,
			    strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		if ((size_t)r > VAULT_FILE_MAX - vf->contents.len) {
			xasprintf(err, "vault file %s is larger than %d MiB: "
			    "it is not a dbgate vault", path,
			    VAULT_FILE_MAX / (1024 * 1024));
			goto fail;
		}
		buf_add(&vf->contents, chunk, (size_t)r);
	}
	close(fd);
	if (vault_file_parse(path, vf, err) != 0) {
		vault_file_free(vf);
		return (-1);
	}
	return (0);

fail:
	close(fd);
	vault_file_free(vf);
	return (-1);
}

/* Find target's entry, or NULL. */
static const struct vault_entry *
vault_file_find(const struct vault_file *vf, const char *target)
{
	size_t	 i, len = strlen(target);

	for (i = 0; i < vf->n; i++) {
		if (vf->entries[i].namelen == len &&
		    memcmp(vf->entries[i].name, target, len) == 0)
			return (&vf->entries[i]);
	}
	return (NULL);
}

/* Order entries by name. */
static int
vault_entry_cmp(const void *a, const void *b)
{
	const struct vault_entry	*ea = a, *eb = b;
	size_t				 n;
	int				 c;

	n = ea->namelen < eb->namelen ? ea->namelen : eb->namelen;
	if ((c = memcmp(ea->name, eb->name, n)) != 0)
		return (c);
	return (ea->namelen < eb->namelen ? -1 : ea->namelen > eb->namelen);
}

/*
 * Replace the vault file with the given entries (sorted first): write a
 * temporary file in the same directory, sync it, rename it over the vault
 * and sync the directory. On failure the temporary file is removed and the
 * old vault is left as it was. 0 or -1 and *err.
 */
static int
vault_file_replace(const char *path, int dirfd, struct vault_entry *entries,
    size_t n, char **err)
{
	struct buf	 out;
	char		*tmp;
	const char	*step;
	size_t		 i;
	int		 fd, saved, rc;

	if (n > 1)
		qsort(entries, n, sizeof *entries, vault_entry_cmp);
	buf_init(&out);
	buf_adds(&out, VAULT_MAGIC "\n");
	for (i = 0; i < n; i++) {
		buf_add(&out, entries[i].name, entries[i].namelen);
		buf_addc(&out, '\t');
		buf_add(&out, entries[i].data, entries[i].datalen);
		buf_addc(&out, '\n');
	}

	xasprintf(&tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		xasprintf(err, "cannot create a temporary file next to vault "
		    "file %s: %s", path, strerror(errno));
		free(tmp);
		buf_free(&out);
		return (-1);
	}
	rc = vault_commit_file(fd, out.data, out.len, &step);
	fd = -1;
	if (rc == -1)
		goto fail;
	step = "rename";
	if (rename(tmp, path) == -1)
		goto fail;
	free(tmp);
	buf_free(&out);
	return (vault_sync_dir(path, dirfd, err));

fail:
	saved = errno;
	xasprintf(err, "cannot %s temporary file %s for vault file %s: %s",
	    step, tmp, path, strerror(saved));
	if (fd != -1)
		close(fd);
	unlink(tmp);
	free(tmp);
	buf_free(&out);
	return (-1);
}

/*
 * Seal password for target into the base64 text of a vault entry, appended
 * to out. 0 or -1 and *err.
 */
static int
vault_seal(const struct vault_key *key, const char *target,
    const char *password, size_t len, struct buf *out, char **err)
{
	unsigned char	*plain, *blob;
	size_t		 tlen = strlen(target), plen, blen, b64len;

	plen = VAULT_MAGIC_LEN + tlen + 1 + len;
	blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plen;
	if ((plain = sodium_malloc(plen)) == NULL) {
		xasprintf(err, "cannot allocate secure memory for the "
		    "password for %s", target);
		return (-1);
	}
	memcpy(plain, VAULT_MAGIC, VAULT_MAGIC_LEN);
	memcpy(plain + VAULT_MAGIC_LEN, target, tlen + 1);
	memcpy(plain + VAULT_MAGIC_LEN + tlen + 1, password, len);

	blob = xmalloc(blen);
	randombytes_buf(blob, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(blob + crypto_secretbox_NONCEBYTES, plain, plen,
	    blob, key->k);
	sodium_memzero(plain, plen);
	sodium_free(plain);

	b64len = sodium_base64_ENCODED_LEN(blen, VAULT_B64);
	buf_reserve(out, b64len);
	sodium_bin2base64(out->data + out->len, b64len, blob, blen, VAULT_B64);
	out->len += b64len - 1;		/* without the NUL */
	free(blob);
	return (0);
}

/*
 * Open target's entry. Returns 0 and *password (sodium_malloc'd,
 * NUL-terminated) or -1 and *err for anything that does not open and check
 * out: bad base64, wrong length, wrong key, tampering, another target's
 * entry.
 */
static int
vault_open(const struct vault_key *key, const char *target,
    const struct vault_entry *e, char **password, char **err)
{
	unsigned char	*blob = NULL, *plain = NULL;
	const char	*end;
	char		*pw;
	size_t		 tlen = strlen(target), blen, plen = 0, pwlen;
	int		 ok = 0;

	blob = xmalloc(VAULT_BLOB_MAX);
	if (sodium_base642bin(blob, VAULT_BLOB_MAX, e->data, e->datalen, NULL,
	    &blen, &end, VAULT_B64) != 0 || end != e->data + e->datalen)
		goto out;
	if (blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
	    VAULT_MAGIC_LEN + tlen + 2)
		goto out;
	plen = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	if ((plain = sodium_malloc(plen)) == NULL)
		goto out;
	if (crypto_secretbox_open_easy(plain,
	    blob + crypto_secretbox_NONCEBYTES,
	    blen - crypto_secretbox_NONCEBYTES, blob, key->k) != 0)
		goto out;
	if (memcmp(plain, VAULT_MAGIC, VAULT_MAGIC_LEN) != 0 ||
	    memcmp(plain + VAULT_MAGIC_LEN, target, tlen + 1) != 0)
		goto out;
	pwlen = plen - VAULT_MAGIC_LEN - tlen - 1;
	if (pwlen == 0 || pwlen > VAULT_PASSWORD_MAX ||
	    memchr(plain + plen - pwlen, '\0', pwlen) != NULL ||
	    memchr(plain + plen - pwlen, '\n', pwlen) != NULL)
		goto out;
	if ((pw = sodium_malloc(pwlen + 1)) == NULL)
		goto out;
	memcpy(pw, plain + plen - pwlen, pwlen);
	pw[pwlen] = '\0';
	*password = pw;
	ok = 1;

out:
	if (plain != NULL) {
		sodium_memzero(plain, plen);
		sodium_free(plain);
	}
	free(blob);
	if (!ok) {
		xasprintf(err, "vault entry for %s cannot be decrypted: wrong "
		    "key or damaged file", target);
		return (-1);
	}
	return (0);
}

/*
 * Lock the vault's directory against other writers and load the vault.
 * Returns the directory descriptor (locked) or -1 and *err.
 */
static int
vault_begin_update(const char *path, struct vault_file *vf, char **err)
{
	int	 dirfd;

	if ((dirfd = vault_open_dir("vault file", path, err)) == -1)
		return (-1);
	if (flock(dirfd, LOCK_EX) == -1) {
		xasprintf(err, "cannot lock the directory of vault file %s: %s",
		    path, strerror(errno));
		close(dirfd);
		return (-1);
	}
	if (vault_file_load(path, vf, err) != 0) {
		close(dirfd);
		return (-1);
	}
	return (dirfd);
}

/* Store target's password, replacing any earlier one; see vault.h. */
int
vault_set(const char *path, const struct vault_key *key, const char *target,
    const char *password, size_t len, char **err)
{
	struct vault_file	 vf;
	struct vault_entry	*entries;
	struct buf		 sealed;
	size_t			 i, n = 0;
	int			 dirfd, r;

	if (vault_init(err) != 0 || vault_check_name(target, err) != 0)
		return (-1);
	if (len == 0 || password == NULL) {
		xasprintf(err, "password for %s is empty", target);
		return (-1);
	}
	if (len > VAULT_PASSWORD_MAX) {
		xasprintf(err, "password for %s is longer than %d bytes",
		    target, VAULT_PASSWORD_MAX);
		return (-1);
	}
	if (memchr(password, '\0', len) != NULL) {
		xasprintf(err, "password for %s contains a NUL byte", target);
		return (-1);
	}
	if (memchr(password, '\n', len) != NULL) {
		xasprintf(err, "password for %s contains a newline", target);
		return (-1);
	}

	if ((dirfd = vault_begin_update(path, &vf, err)) == -1)
		return (-1);
	buf_init(&sealed);
	if (vault_seal(key, target, password, len, &sealed, err) != 0) {
		vault_file_free(&vf);
		close(dirfd);
		return (-1);
	}
	entries = xreallocarray(NULL, vf.n + 1, sizeof *entries);
	for (i = 0; i < vf.n; i++) {
		if (vf.entries[i].namelen == strlen(target) &&
		    memcmp(vf.entries[i].name, target, strlen(target)) == 0)
			continue;
		entries[n++] = vf.entries[i];
	}
	entries[n].name = target;
	entries[n].namelen = strlen(target);
	entries[n].data = sealed.data;
	entries[n].datalen = sealed.len;
	n++;
	r = vault_file_replace(path, dirfd, entries, n, err);
	free(entries);
	buf_free(&sealed);
	vault_file_free(&vf);
	close(dirfd);	/* releases the lock */
	return (r);
}

/* Remove target's entry; see vault.h. */
int
vault_delete(const char *path, const struct vault_key *key,
    const char *target, char **err)
{
	struct vault_file	 vf;
	struct vault_entry	*entries;
	const struct vault_entry *found;
	size_t			 i, n = 0;
	int			 dirfd, r = 0;

	if (vault_check_name(target, err) != 0)
		return (-1);
	if ((dirfd = vault_begin_update(path, &vf, err)) == -1)
		return (-1);
	if ((found = vault_file_find(&vf, target)) != NULL) {
		entries = xreallocarray(NULL, vf.n, sizeof *entries);
		for (i = 0; i < vf.n; i++) {
			if (&vf.entries[i] != found)
				entries[n++] = vf.entries[i];
		}
		r = vault_file_replace(path, dirfd, entries, n, err);
		free(entries);
	}
	vault_file_free(&vf);
	close(dirfd);
	return (r);
}

/* Look up target's password; see vault.h. */
int
vault_get(const char *path, const struct vault_key *key, const char *target,
    char **password, char **err)
{
	struct vault_file		 vf;
	const struct vault_entry	*e;
	int				 r;

	if (vault_init(err) != 0 || vault_check_name(target, err) != 0)
		return (-1);
	if (vault_file_load(path, &vf, err) != 0)
		return (-1);
	if ((e = vault_file_find(&vf, target)) == NULL)
		r = 0;
	else if (vault_open(key, target, e, password, err) != 0)
		r = -1;
	else
		r = 1;
	vault_file_free(&vf);
	return (r);
}

/* List the target names that have an entry, sorted; see vault.h. */
int
vault_list(const char *path, char ***names, size_t *n, char **err)
{
	struct vault_file	 vf;
	char			**v;
	size_t			 i;

	if (vault_file_load(path, &vf, err) != 0)
		return (-1);
	if (vf.n > 1)
		qsort(vf.entries, vf.n, sizeof *vf.entries, vault_entry_cmp);
	v = xcalloc(vf.n + 1, sizeof *v);
	for (i = 0; i < vf.n; i++)
		v[i] = xstrndup(vf.entries[i].name, vf.entries[i].namelen);
	*names = v;
	*n = vf.n;
	vault_file_free(&vf);
	return (0);
}
