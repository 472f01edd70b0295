/*
 * test-authkeys.c: AuthorizedKeys parsing and matching. Lines and their
 * expected results come from tests/data/authkeys/lines.tsv, from= cases
 * from from.tsv; keys (public halves only) from the .pub files beside
 * them. Expiry, key lookup and the whole-file behaviour are tested here.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libssh/libssh.h>

#include "dbgate.h"
#include "authkeys.h"
#include "tap.h"

static char	*datadir;	/* .../tests/data/authkeys */

/* Read a whole file into a NUL-terminated string (caller frees), or NULL. */
static char *
read_text(const char *path)
{
	struct buf	 b;
	FILE		*f;
	char		 tmp[4096];
	size_t		 n;

	if ((f = fopen(path, "r")) == NULL)
		return (NULL);
	buf_init(&b);
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_add(&b, tmp, n);
	fclose(f);
	return (buf_cstr(&b));
}

/* "TYPE BASE64" (b64only: "BASE64") of NAME.pub (caller frees). */
static char *
key_text(const char *name, int b64only)
{
	char	*path, *text, *sp;

	xasprintf(&path, "%s/%s.pub", datadir, name);
	text = read_text(path);
	free(path);
	if (text == NULL)
		return (xstrdup("MISSING-KEY"));
	text[strcspn(text, "\r\n")] = '\0';
	/* Drop the comment: the third word. */
	if ((sp = strchr(text, ' ')) != NULL &&
	    (sp = strchr(sp + 1, ' ')) != NULL)
		*sp = '\0';
	if (b64only && (sp = strchr(text, ' ')) != NULL) {
		sp = xstrdup(sp + 1);
		free(text);
		return (sp);
	}
	return (text);
}

/* Replace ${NAME} and ${b64:NAME} in s (caller frees). */
static char *
expand(const char *s)
{
	struct buf	 b;
	const char	*end;
	char		*name, *key;
	int		 b64;

	buf_init(&b);
	while (*s != '\0') {
		if (s[0] != '$' || s[1] != '{' ||
		    (end = strchr(s, '}')) == NULL) {
			buf_addc(&b, *s++);
			continue;
		}
		name = xstrndup(s + 2, (size_t)(end - s - 2));
		b64 = strncmp(name, "b64:", 4) == 0;
		key = key_text(b64 ? name + 4 : name, b64);
		buf_adds(&b, key);
		free(key);
		free(name);
		s = end + 1;
	}
	return (buf_cstr(&b));
}

/* Every case of lines.tsv. */
static void
test_lines(void)
{
	struct authkeys	*ak;
	char		*path, *text, *line, *next, *tab, *expect, *in;
	int		 n = 0, ok;

	xasprintf(&path, "%s/lines.tsv", datadir);
	text = read_text(path);
	if (!tap_ok(text != NULL, "read %s", path)) {
		free(path);
		return;
	}
	for (line = text; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line == '#' || (tab = strchr(line, '\t')) == NULL)
			continue;
		*tab = '\0';
		expect = line;
		in = expand(tab + 1);
		ak = authkeys_parse(in, strlen(in));
		n++;
		if (strcmp(expect, "ok") == 0 ||
		    strcmp(expect, "ok:nopty") == 0)
			ok = ak->nkeys == 1 && ak->nerrors == 0 &&
			    ((ak->keys[0].flags & AUTHKEY_NO_PTY) != 0) ==
			    (strcmp(expect, "ok:nopty") == 0);
		else if (strcmp(expect, "skip") == 0)
			ok = ak->nkeys == 0 && ak->nerrors == 0;
		else
			ok = strncmp(expect, "error:", 6) == 0 &&
			    ak->nkeys == 0 && ak->nerrors == 1 &&
			    ak->errors[0].line == 1 &&
			    strstr(ak->errors[0].msg, expect + 6) != NULL;
		if (!tap_ok(ok, "lines.tsv case %d: %s: %s", n, expect,
		    tab + 1)) {
			printf("#   keys %zu, errors %zu%s%s\n", ak->nkeys,
			    ak->nerrors, ak->nerrors > 0 ? ": " : "",
			    ak->nerrors > 0 ? ak->errors[0].msg : "");
		}
		authkeys_free(ak);
		free(in);
	}
	tap_ok(n >= 50, "lines.tsv has %d cases", n);
	free(text);
	free(path);
}

/* Every case of from.tsv. */
static void
test_from(void)
{
	char	*path, *text, *line, *next, *f[3], *p, *pats[16];
	size_t	 npats;
	int	 n = 0, want, got, i;

	xasprintf(&path, "%s/from.tsv", datadir);
	text = read_text(path);
	if (!tap_ok(text != NULL, "read %s", path)) {
		free(path);
		return;
	}
	for (line = text; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line == '#')
			continue;
		f[0] = line;
		for (i = 1; i < 3; i++) {
			if ((f[i] = strchr(f[i - 1], '\t')) == NULL)
				break;
			*f[i]++ = '\0';
		}
		if (i < 3)
			continue;
		want = (int)strtol(f[0], NULL, 10);
		npats = 0;
		for (p = f[1]; p != NULL && npats < nitems(pats); ) {
			pats[npats++] = p;
			if ((p = strchr(p, ',')) != NULL)
				*p++ = '\0';
		}
		got = authkeys_match_from(pats, npats, f[2]);
		n++;
		tap_ok(got == want, "from.tsv: %s against %s gives %d (want "
		    "%d)", f[2], f[1], got, want);
	}
	tap_ok(n >= 20, "from.tsv has %d cases", n);
	free(text);
	free(path);
}

/* expiry-time values. */
static void
test_time(void)
{
	time_t	 t;

	tap_ok(authkeys_parse_time("20250101Z", &t) == 0 && t == 1735689600,
	    "20250101Z is 2025-01-01 00:00 UTC");
	tap_ok(authkeys_parse_time("202501011230Z", &t) == 0 &&
	    t == 1735689600 + 12 * 3600 + 30 * 60, "202501011230Z");
	tap_ok(authkeys_parse_time("20250101123045z", &t) == 0 &&
	    t == 1735689600 + 12 * 3600 + 30 * 60 + 45, "20250101123045z");
	tap_ok(authkeys_parse_time("20240229Z", &t) == 0, "a leap day");
	tap_ok(authkeys_parse_time("20250229Z", &t) != 0, "no such day");
	tap_ok(authkeys_parse_time("20251301Z", &t) != 0, "month 13");
	tap_ok(authkeys_parse_time("202501012460Z", &t) != 0, "24:60");
	tap_ok(authkeys_parse_time("2025010", &t) != 0, "too short");
	tap_ok(authkeys_parse_time("+0250101", &t) != 0, "a sign");
	tap_ok(authkeys_parse_time("", &t) != 0, "empty");
	tap_ok(authkeys_parse_time("Z", &t) != 0, "only Z");
}

/* Looking a key up: found, from=, expiry, another key, errors kept. */
static void
test_find(void)
{
	struct authkeys		*ak;
	const struct authkey	*k;
	ssh_key			 ed = NULL, other = NULL, ec = NULL;
	const char		*why;
	char			*b64, *text, *line;
	time_t			 exp;

	b64 = key_text("ed25519", 1);
	tap_ok(ssh_pki_import_pubkey_base64(b64, SSH_KEYTYPE_ED25519, &ed) ==
	    SSH_OK, "import ed25519");
	free(b64);
	b64 = key_text("other", 1);
	tap_ok(ssh_pki_import_pubkey_base64(b64, SSH_KEYTYPE_ED25519,
	    &other) == SSH_OK, "import other");
	free(b64);
	b64 = key_text("ecdsa256", 1);
	tap_ok(ssh_pki_import_pubkey_base64(b64, SSH_KEYTYPE_ECDSA_P256,
	    &ec) == SSH_OK, "import ecdsa256");
	free(b64);
	authkeys_parse_time("20300101Z", &exp);

	line = expand("# alice's keys\n"
	    "from=\"127.0.0.1,10.0.0.0/8\",expiry-time=\"20300101Z\" "
	    "${ed25519} laptop\n"
	    "\n"
	    "restrict ${ecdsa256}\r\n");
	ak = authkeys_parse(line, strlen(line));
	tap_ok(ak->nkeys == 2 && ak->nerrors == 0, "two keys, no errors");
	tap_ok(ak->nkeys == 2 && ak->keys[0].line == 2 &&
	    ak->keys[1].line == 4, "lines 2 and 4");
	k = authkeys_find(ak, ed, "127.0.0.1", exp - 1, &why);
	tap_ok(k != NULL && k->line == 2 && why == NULL,
	    "ed25519 from 127.0.0.1 before expiry");
	k = authkeys_find(ak, ed, "10.9.8.7", exp, &why);
	tap_ok(k != NULL, "ed25519 from 10.9.8.7 at the expiry second");
	k = authkeys_find(ak, ed, "127.0.0.2", exp - 1, &why);
	tap_ok(k == NULL && why != NULL && strstr(why, "from=") != NULL,
	    "ed25519 from 127.0.0.2: not in from=");
	k = authkeys_find(ak, ed, "127.0.0.1", exp + 1, &why);
	tap_ok(k == NULL && why != NULL && strstr(why, "expiry") != NULL,
	    "ed25519 after expiry");
	k = authkeys_find(ak, other, "127.0.0.1", exp - 1, &why);
	tap_ok(k == NULL && why != NULL && strstr(why, "not in") != NULL,
	    "another key is not found");
	k = authkeys_find(ak, ec, "192.0.2.1", exp + 1, &why);
	tap_ok(k != NULL && (k->flags & AUTHKEY_NO_PTY),
	    "ecdsa256: anywhere, any time, no terminal");
	authkeys_free(ak);
	free(line);

	/* The same key twice: the line that lets it in counts. */
	line = expand("from=\"10.0.0.1\" ${ed25519}\n${ed25519}\n");
	ak = authkeys_parse(line, strlen(line));
	k = authkeys_find(ak, ed, "127.0.0.1", exp, &why);
	tap_ok(k != NULL && k->line == 2, "a later line without from= "
	    "lets it in");
	authkeys_free(ak);
	free(line);

	/* A bad line is reported; the others still parse. */
	text = expand("${ed25519}\ncommand=\"x\" ${other}\n");
	ak = authkeys_parse(text, strlen(text));
	tap_ok(ak->nkeys == 1 && ak->nerrors == 1 && ak->errors[0].line == 2,
	    "an error on line 2 of 2");
	authkeys_free(ak);
	free(text);
	ak = authkeys_parse("a\0b\n", 4);
	tap_ok(ak->nerrors == 1 && strstr(ak->errors[0].msg, "NUL") != NULL,
	    "a NUL byte is an error");
	authkeys_free(ak);
	ak = authkeys_parse("", 0);
	tap_ok(ak->nkeys == 0 && ak->nerrors == 0 &&
	    authkeys_find(ak, ed, "127.0.0.1", exp, &why) == NULL &&
	    why != NULL, "an empty file lets nobody in");
	authkeys_free(ak);
	authkeys_free(NULL);

	ssh_key_free(ed);
	ssh_key_free(other);
	ssh_key_free(ec);
}

/* Loading a file from disk. */
static void
test_load(void)
{
	struct authkeys	*ak = NULL;
	char		*path, *err = NULL;

	xasprintf(&path, "%s/ed25519.pub", datadir);
	tap_ok(authkeys_load(path, &ak, &err) == 0 && ak->nkeys == 1 &&
	    ak->nerrors == 0, "load ed25519.pub (a comment after the key)");
	authkeys_free(ak);
	free(path);
	ak = NULL;
	tap_ok(authkeys_load("/nonexistent/keys", &ak, &err) == -1 &&
	    ak == NULL && err != NULL && strstr(err, "/nonexistent/keys") !=
	    NULL, "a missing file is an error naming it");
	free(err);
	err = NULL;
	tap_ok(authkeys_load("/", &ak, &err) == -1 && err != NULL,
	    "a directory is refused");
	free(err);
}

/* $TESTDATA/authkeys, or the data beside this source file. */
static void
find_dirs(const char *argv0)
{
	const char	*env = getenv("TESTDATA"), *slash;
	struct stat	 st;

	if (env != NULL && *env != '\0')
		xasprintf(&datadir, "%s/authkeys", env);
	else {
		if ((slash = strrchr(argv0, '/')) != NULL)
			xasprintf(&datadir, "%.*s/../data/authkeys",
			    (int)(slash - argv0), argv0);
		else
			datadir = xstrdup("../data/authkeys");
		if (stat(datadir, &st) == -1 &&
		    (slash = strrchr(__FILE__, '/')) != NULL) {
			free(datadir);
			xasprintf(&datadir, "%.*s/../data/authkeys",
			    (int)(slash - __FILE__), __FILE__);
		}
	}
}

int
main(int argc, char **argv)
{
	find_dirs(argc > 0 ? argv[0] : "test-authkeys");
	printf("# data: %s\n", datadir);
	test_lines();
	test_from();
	test_time();
	test_find();
	test_load();
	free(datadir);
	return (tap_done());
}
