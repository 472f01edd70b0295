/*
 * authkeys.c: parse AuthorizedKeys files and match public keys against
 * them.
 *
 * A line is "[options] type base64 [comment]", as in OpenSSH's
 * authorized_keys. dbgate enforces the options it accepts: restrict,
 * no-pty, pty, from="...", expiry-time="...", and no-port-forwarding,
 * no-agent-forwarding, no-X11-forwarding and no-user-rc (these hold
 * trivially: dbgate never forwards and runs no rc file). Any other option
 * (command=, permitopen=, environment=, ...) is an error rather than
 * ignored: a key whose restriction were silently dropped would let in more
 * than its owner meant. Key types: ssh-ed25519, ecdsa-sha2-nistp256/384/521
 * and ssh-rsa of at least AUTHKEYS_RSA_MIN_BITS bits.
 *
 * Input: files written by administrators, and keys and addresses from the
 * network (authkeys_find). Pure: it never prints or exits.
 */
#include <sys/stat.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "dbgate.h"
#include "authkeys.h"

#define AUTHKEYS_MAX_FILE	(1024 * 1024)
#define AUTHKEYS_MAX_FROM	256	/* patterns in one from= */

static const char *const authkeys_types[] = {
	"ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521", "ssh-rsa", NULL
};

enum authkeys_opt {
	OPT_RESTRICT,
	OPT_NO_PTY,
	OPT_PTY,
	OPT_FROM,
	OPT_EXPIRY,
	OPT_HOLDS,	/* enforced by what dbgate never does */
};

/* The options dbgate enforces. */
static const struct {
	const char		*name;
	enum authkeys_opt	 opt;
	int			 value;		/* takes ="..." */
} authkeys_opts[] = {
	{ "restrict",		 OPT_RESTRICT,	0 },
	{ "no-pty",		 OPT_NO_PTY,	0 },
	{ "pty",		 OPT_PTY,	0 },
	{ "from",		 OPT_FROM,	1 },
	{ "expiry-time",	 OPT_EXPIRY,	1 },
	{ "no-port-forwarding",	 OPT_HOLDS,	0 },
	{ "no-agent-forwarding", OPT_HOLDS,	0 },
	{ "no-x11-forwarding",	 OPT_HOLDS,	0 },
	{ "no-user-rc",		 OPT_HOLDS,	0 },
};

/* Options OpenSSH knows that dbgate does not enforce. */
static const char *const authkeys_unenforced[] = {
	"command", "environment", "permitopen", "permitlisten", "principals",
	"tunnel", "cert-authority", "port-forwarding", "agent-forwarding",
	"x11-forwarding", "user-rc", "no-touch-required", "verify-required",
	NULL
};

/* What the options of one line said. */
struct authkeys_opts {
	int	 restrict_;
	int	 pty;
	int	 no_pty;
	int	 seen_from;
	int	 seen_expiry;
};

/* 1 if s is in the NULL-terminated list (exact). */
static int
authkeys_in(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return (1);
	return (0);
}

/* Add an error for line; takes fmt's result. */
static void printflike(3, 4)
authkeys_error(struct authkeys *ak, int line, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	ak->errors = xreallocarray(ak->errors, ak->nerrors + 1,
	    sizeof *ak->errors);
	ak->errors[ak->nerrors].line = line;
	ak->errors[ak->nerrors++].msg = msg;
}

/* Free what an entry holds. */
static void
authkeys_key_clear(struct authkey *k)
{
	size_t	 i;

	ssh_key_free(k->key);
	free(k->type);
	for (i = 0; i < k->nfrom; i++)
		free(k->from[i]);
	free(k->from);
	memset(k, 0, sizeof *k);
}

/* Decode standard base64 (padding required) into b. 0 or -1. */
static int
authkeys_base64(const char *s, size_t len, struct buf *b)
{
	unsigned int	 acc = 0;
	int		 bits = 0, v;
	size_t		 i, pad = 0;

	if (len == 0 || len % 4 != 0)
		return (-1);
	for (i = 0; i < len; i++) {
		if (s[i] == '=') {
			if (i < len - 2)
				return (-1);
			pad++;
			continue;
		}
		if (pad > 0)
			return (-1);
		if (s[i] >= 'A' && s[i] <= 'Z')
			v = s[i] - 'A';
		else if (s[i] >= 'a' && s[i] <= 'z')
			v = s[i] - 'a' + 26;
		else if (s[i] >= '0' && s[i] <= '9')
			v = s[i] - '0' + 52;
		else if (s[i] == '+')
			v = 62;
		else if (s[i] == '/')
			v = 63;
		else
			return (-1);
		acc = (acc << 6) | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addc(b, (char)((acc >> bits) & 0xff));
		}
	}
	return (0);
}

/* Take one length-prefixed string from a key blob. 0 or -1. */
static int
authkeys_blob_string(const unsigned char **p, size_t *left,
    const unsigned char **s, size_t *len)
{
	size_t	 n;

	if (*left < 4)
		return (-1);
	n = ((size_t)(*p)[0] << 24) | ((size_t)(*p)[1] << 16) |
	    ((size_t)(*p)[2] << 8) | (*p)[3];
	if (n > *left - 4)
		return (-1);
	*s = *p + 4;
	*len = n;
	*p += 4 + n;
	*left -= 4 + n;
	return (0);
}

/* 1 if the blob string s of len bytes is the text t. */
static int
authkeys_blob_is(const unsigned char *s, size_t len, const char *t)
{
	return (len == strlen(t) && memcmp(s, t, len) == 0);
}

/*
 * Check a decoded key blob against the type named on the line: the blob
 * names the same type, an ECDSA key is on the curve its type says, and an
 * RSA modulus has at least AUTHKEYS_RSA_MIN_BITS bits. NULL or a message
 * (caller frees).
 */
static char *
authkeys_blob_check(const char *type, const unsigned char *p, size_t left)
{
	const unsigned char	*s;
	size_t			 len, bits;
	char			*msg;

	if (authkeys_blob_string(&p, &left, &s, &len) != 0)
		return (xstrdup("the key is damaged"));
	if (!authkeys_blob_is(s, len, type)) {
		xasprintf(&msg, "the key is not of type %s", type);
		return (msg);
	}
	if (strncmp(type, "ecdsa-sha2-", 11) == 0) {
		if (authkeys_blob_string(&p, &left, &s, &len) != 0 ||
		    !authkeys_blob_is(s, len, type + 11))
			return (xstrdup("the key's curve does not match its "
			    "type"));
	} else if (strcmp(type, "ssh-rsa") == 0) {
		/* e, then n */
		if (authkeys_blob_string(&p, &left, &s, &len) != 0 ||
		    authkeys_blob_string(&p, &left, &s, &len) != 0)
			return (xstrdup("the key is damaged"));
		while (len > 0 && *s == 0) {
			s++;
			len--;
		}
		bits = len * 8;
		if (len > 0) {
			unsigned char	top = s[0];

			while ((top & 0x80) == 0) {
				top <<= 1;
				bits--;
			}
		}
		if (bits < AUTHKEYS_RSA_MIN_BITS) {
			xasprintf(&msg, "the RSA key has %zu bits; at least "
			    "%d are required", bits, AUTHKEYS_RSA_MIN_BITS);
			return (msg);
		}
	}
	return (NULL);
}

/* Parse the address/bits of a prefix pattern. 0 or -1. */
static int
authkeys_prefix(const char *p, int *family, unsigned char addr[16],
    int *bits)
{
	const char	*slash;
	char		*host, *end;
	long		 n;
	int		 max, i;

	if ((slash = strchr(p, '/')) == NULL || slash[1] == '\0')
		return (-1);
	host = xstrndup(p, (size_t)(slash - p));
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, host, addr) == 1) {
		*family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, host, addr) == 1) {
		*family = AF_INET6;
		max = 128;
	} else {
		free(host);
		return (-1);
	}
	free(host);
	for (i = 1; slash[i] != '\0'; i++)
		if (slash[i] < '0' || slash[i] > '9')
			return (-1);
	errno = 0;
	n = strtol(slash + 1, &end, 10);
	if (errno != 0 || n < 0 || n > max || i > 4)
		return (-1);
	*bits = (int)n;
	/* Bits past the prefix must be zero, as OpenSSH requires. */
	for (i = 0; i < max; i++)
		if (i >= *bits && (addr[i / 8] & (0x80 >> (i % 8))))
			return (-1);
	return (0);
}

/* Check one from= pattern; NULL or a message (caller frees). */
static char *
authkeys_check_pattern(const char *p)
{
	const char	*chars;
	unsigned char	 addr[16];
	int		 family, bits;
	char		*msg;

	if (*p == '!')
		p++;
	if (*p == '\0')
		return (xstrdup("from= has an empty pattern"));
	if (strchr(p, '/') != NULL) {
		if (authkeys_prefix(p, &family, addr, &bits) == 0)
			return (NULL);
		xasprintf(&msg, "from= pattern \"%s\" is not a valid "
		    "address/prefix-length (such as 10.0.0.0/8)", p);
		return (msg);
	}
	chars = strchr(p, ':') != NULL ? "0123456789abcdefABCDEF:.*?" :
	    "0123456789.*?";
	if (p[strspn(p, chars)] == '\0')
		return (NULL);
	xasprintf(&msg, "from= pattern \"%s\" names a host: dbgate matches "
	    "addresses only (use an address, a wildcard such as 192.168.1.* "
	    "or a prefix such as 10.0.0.0/8)", p);
	return (msg);
}

/* Split a from= value into patterns and check each. 0 or -1 (errors). */
static int
authkeys_set_from(struct authkeys *ak, int line, struct authkey *k,
    const char *value)
{
	const char	*s = value;
	char		*pat, *msg;
	size_t		 len;
	int		 rc = 0;

	for (;;) {
		len = strcspn(s, ",");
		pat = xstrndup(s, len);
		if ((msg = authkeys_check_pattern(pat)) != NULL) {
			authkeys_error(ak, line, "%s", msg);
			free(msg);
			free(pat);
			rc = -1;
		} else if (k->nfrom >= AUTHKEYS_MAX_FROM) {
			authkeys_error(ak, line, "from= has more than %d "
			    "patterns", AUTHKEYS_MAX_FROM);
			free(pat);
			return (-1);
		} else {
			k->from = xreallocarray(k->from, k->nfrom + 1,
			    sizeof *k->from);
			k->from[k->nfrom++] = pat;
		}
		if (s[len] == '\0')
			break;
		s += len + 1;
	}
	return (rc);
}

/* Apply one option. 0 or -1 (an error was added). */
static int
authkeys_option(struct authkeys *ak, int line, struct authkey *k,
    struct authkeys_opts *o, const char *name, const char *value)
{
	const char *const	*u;
	size_t			 i;

	for (i = 0; i < nitems(authkeys_opts); i++)
		if (strcasecmp(authkeys_opts[i].name, name) == 0)
			break;
	if (i == nitems(authkeys_opts)) {
		for (u = authkeys_unenforced; *u != NULL; u++) {
			if (strcasecmp(*u, name) != 0)
				continue;
			authkeys_error(ak, line, "option \"%s\" is not "
			    "enforced by dbgate: remove it (dbgate enforces "
			    "restrict, from=, expiry-time=, no-pty, pty and "
			    "the no-*-forwarding and no-user-rc options)",
			    name);
			return (-1);
		}
		authkeys_error(ak, line, "unknown option \"%s\"", name);
		return (-1);
	}
	if (authkeys_opts[i].value && value == NULL) {
		authkeys_error(ak, line, "option \"%s\" needs a value "
		    "(%s=\"...\")", name, authkeys_opts[i].name);
		return (-1);
	}
	if (!authkeys_opts[i].value && value != NULL) {
		authkeys_error(ak, line, "option \"%s\" takes no value", name);
		return (-1);
	}
	switch (authkeys_opts[i].opt) {
	case OPT_RESTRICT:
		o->restrict_ = 1;
		break;
	case OPT_NO_PTY:
		o->no_pty = 1;
		break;
	case OPT_PTY:
		o->pty = 1;
		break;
	case OPT_FROM:
		if (o->seen_from++) {
			authkeys_error(ak, line, "from= is given twice");
			return (-1);
		}
		return (authkeys_set_from(ak, line, k, value));
	case OPT_EXPIRY:
		if (o->seen_expiry++) {
			authkeys_error(ak, line, "expiry-time= is given "
			    "twice");
			return (-1);
		}
		if (authkeys_parse_time(value, &k->expiry) != 0 ||
		    k->expiry <= 0) {
			authkeys_error(ak, line, "bad expiry-time \"%s\" (use "
			    "YYYYMMDD or YYYYMMDDHHMM[SS], local time, or with "
			    "a trailing Z for UTC)", value);
			return (-1);
		}
		break;
	case OPT_HOLDS:
		break;
	}
	return (0);
}

/*
 * Parse the options at *sp up to the first unquoted blank; *sp is left
 * after them. 0, or -1 when any option was bad (errors were added).
 */
static int
authkeys_options(struct authkeys *ak, int line, struct authkey *k,
    const char **sp)
{
	struct authkeys_opts	 o;
	const char		*s = *sp, *start;
	struct buf		 v;
	char			*name;
	int			 rc = 0, has_value;

	memset(&o, 0, sizeof o);
	buf_init(&v);
	for (;;) {
		start = s;
		while (*s != '\0' && strchr("=, \t", *s) == NULL)
			s++;
		name = xstrndup(start, (size_t)(s - start));
		buf_reset(&v);
		has_value = 0;
		if (*s == '=') {
			has_value = 1;
			if (*++s != '"') {
				authkeys_error(ak, line, "the value of option "
				    "\"%s\" must be in double quotes", name);
				free(name);
				rc = -1;
				break;
			}
			for (s++; *s != '\0' && *s != '"'; s++) {
				if (*s == '\\' && s[1] == '"')
					s++;
				buf_addc(&v, *s);
			}
			if (*s != '"') {
				authkeys_error(ak, line, "the value of option "
				    "\"%s\" has no closing quote", name);
				free(name);
				rc = -1;
				break;
			}
			s++;
		}
		if (*name == '\0') {
			authkeys_error(ak, line, "an option is empty");
			rc = -1;
		} else if (authkeys_option(ak, line, k, &o, name,
		    has_value ? buf_cstr(&v) : NULL) != 0)
			rc = -1;
		free(name);
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s == ' ' || *s == '\t')
			break;
		if (*s == '\0')
			authkeys_error(ak, line, "no key after the options");
		else
			authkeys_error(ak, line, "unexpected \"%c\" after an "
			    "option", *s);
		rc = -1;
		break;
	}
	buf_free(&v);
	if ((o.restrict_ && !o.pty) || o.no_pty)
		k->flags |= AUTHKEY_NO_PTY;
	*sp = s;
	return (rc);
}

/* Skip blanks. */
static const char *
authkeys_skip(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return (s);
}

/* Copy the word at s (up to a blank) and move past it. */
static char *
authkeys_word(const char **sp)
{
	const char	*s = *sp;
	size_t		 len;

	len = strcspn(s, " \t");
	*sp = s + len;
	return (xstrndup(s, len));
}

/* 1 if the first word of s looks like a key type dbgate does not take:
 * a word without "=" or "," that is no option, before a base64 key. */
static int
authkeys_other_type(const char *s)
{
	const char	*next;
	size_t		 len, i;

	len = strcspn(s, " \t");
	if (memchr(s, '=', len) != NULL || memchr(s, ',', len) != NULL)
		return (0);
	for (i = 0; i < nitems(authkeys_opts); i++)
		if (strlen(authkeys_opts[i].name) == len &&
		    strncasecmp(authkeys_opts[i].name, s, len) == 0)
			return (0);
	next = authkeys_skip(s + len);
	return (strncmp(next, "AAAA", 4) == 0);
}

/* Parse one line (NUL-terminated, no newline). */
static void
authkeys_parse_line(struct authkeys *ak, const char *s, int line)
{
	struct authkey	 k;
	struct buf	 blob;
	char		*type = NULL, *b64 = NULL, *msg;
	size_t		 len;

	s = authkeys_skip(s);
	if (*s == '\0' || *s == '#')
		return;
	memset(&k, 0, sizeof k);
	k.line = line;
	len = strcspn(s, " \t");
	type = xstrndup(s, len);
	if (!authkeys_in(authkeys_types, type) && !authkeys_other_type(s)) {
		free(type);
		type = NULL;
		if (authkeys_options(ak, line, &k, &s) != 0)
			goto fail;	/* said why */
		s = authkeys_skip(s);
		if (*s == '\0') {
			authkeys_error(ak, line, "no key after the options");
			goto fail;
		}
		type = authkeys_word(&s);
	} else
		s += len;
	if (!authkeys_in(authkeys_types, type)) {
		authkeys_error(ak, line, "key type \"%s\" is not accepted "
		    "(use ssh-ed25519, ecdsa-sha2-nistp256, -nistp384, "
		    "-nistp521, or ssh-rsa of at least %d bits)", type,
		    AUTHKEYS_RSA_MIN_BITS);
		goto fail;
	}
	s = authkeys_skip(s);
	b64 = authkeys_word(&s);
	if (*b64 == '\0') {
		authkeys_error(ak, line, "no key after the type %s", type);
		goto fail;
	}
	buf_init(&blob);
	if (authkeys_base64(b64, strlen(b64), &blob) != 0)
		msg = xstrdup("the key is not valid base64");
	else
		msg = authkeys_blob_check(type, (unsigned char *)blob.data,
		    blob.len);
	buf_free(&blob);
	if (msg != NULL) {
		authkeys_error(ak, line, "%s", msg);
		free(msg);
		goto fail;
	}
	if (ssh_pki_import_pubkey_base64(b64, ssh_key_type_from_name(type),
	    &k.key) != SSH_OK) {
		k.key = NULL;
		authkeys_error(ak, line, "the %s key cannot be read", type);
		goto fail;
	}
	k.type = type;
	free(b64);
	ak->keys = xreallocarray(ak->keys, ak->nkeys + 1, sizeof *ak->keys);
	ak->keys[ak->nkeys++] = k;
	return;
fail:
	free(type);
	free(b64);
	authkeys_key_clear(&k);
}

/* Parse the text of a file. */
struct authkeys *
authkeys_parse(const char *text, size_t len)
{
	struct authkeys	*ak;
	const char	*p = text, *end = text + len, *nl;
	char		*copy;
	int		 line = 0;

	ak = xcalloc(1, sizeof *ak);
	while (p < end) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (memchr(p, '\0', (size_t)(nl - p)) != NULL)
			authkeys_error(ak, line, "the line holds a NUL byte");
		else {
			copy = xstrndup(p, (size_t)(nl - p));
			copy[strcspn(copy, "\r")] = '\0';
			authkeys_parse_line(ak, copy, line);
			free(copy);
		}
		p = nl + 1;
	}
	return (ak);
}

/* Read and parse a file. */
int
authkeys_load(const char *path, struct authkeys **out, char **err)
{
	struct stat	 st;
	struct buf	 b;
	char		 tmp[8192];
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY|O_CLOEXEC|O_NOCTTY)) < 0) {
		xasprintf(err, "cannot open %s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		xasprintf(err, "%s is not a regular file", path);
		close(fd);
		return (-1);
	}
	buf_init(&b);
	for (;;) {
		r = read(fd, tmp, sizeof tmp);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			xasprintf(err, "cannot read %s: %s", path,
			    strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		if (b.len + (size_t)r > AUTHKEYS_MAX_FILE) {
			xasprintf(err, "%s is larger than %d bytes", path,
			    AUTHKEYS_MAX_FILE);
			goto fail;
		}
		buf_add(&b, tmp, (size_t)r);
	}
	close(fd);
	*out = authkeys_parse(b.data != NULL ? b.data : "", b.len);
	buf_free(&b);
	return (0);
fail:
	close(fd);
	buf_free(&b);
	return (-1);
}

/* Free a parsed file. */
void
authkeys_free(struct authkeys *ak)
{
	size_t	 i;

	if (ak == NULL)
		return;
	for (i = 0; i < ak->nkeys; i++)
		authkeys_key_clear(&ak->keys[i]);
	free(ak->keys);
	for (i = 0; i < ak->nerrors; i++)
		free(ak->errors[i].msg);
	free(ak->errors);
	free(ak);
}

/* Match s against a pattern with "*" and "?", ignoring case. */
static int
authkeys_glob(const char *p, const char *s)
{
	const char	*star = NULL, *back = NULL;

	while (*s != '\0') {
		if (*p == '*') {
			star = p++;
			back = s;
		} else if (*p == '?' || (*p != '\0' &&
		    tolower((unsigned char)*p) == tolower((unsigned char)*s))) {
			p++;
			s++;
		} else if (star != NULL) {
			p = star + 1;
			s = ++back;
		} else
			return (0);
	}
	while (*p == '*')
		p++;
	return (*p == '\0');
}

/* 1 if addr (family, 16 bytes) lies in the prefix pattern p. */
static int
authkeys_in_prefix(const char *p, int family, const unsigned char *addr)
{
	unsigned char	 net[16];
	int		 nfamily, bits, i;

	if (authkeys_prefix(p, &nfamily, net, &bits) != 0 ||
	    nfamily != family)
		return (0);
	for (i = 0; i < bits; i++)
		if ((addr[i / 8] ^ net[i / 8]) & (0x80 >> (i % 8)))
			return (0);
	return (1);
}

/* Match an address against from= patterns. */
int
authkeys_match_from(char *const *patterns, size_t n, const char *addr)
{
	unsigned char	 a[16];
	char		 text[INET6_ADDRSTRLEN];
	const char	*p;
	size_t		 i;
	int		 family, neg, m, found = 0;

	memset(a, 0, sizeof a);
	if (inet_pton(AF_INET, addr, a) == 1)
		family = AF_INET;
	else if (inet_pton(AF_INET6, addr, a) == 1) {
		family = AF_INET6;
		/* An IPv4 client of an IPv6 socket is an IPv4 address. */
		if (IN6_IS_ADDR_V4MAPPED((struct in6_addr *)a)) {
			memmove(a, a + 12, 4);
			memset(a + 4, 0, 12);
			family = AF_INET;
		}
	} else
		return (0);
	if (inet_ntop(family, a, text, sizeof text) == NULL)
		return (0);
	for (i = 0; i < n; i++) {
		p = patterns[i];
		if ((neg = (*p == '!')))
			p++;
		if (strchr(p, '/') != NULL)
			m = authkeys_in_prefix(p, family, a);
		else
			m = authkeys_glob(p, text);
		if (m && neg)
			return (-1);
		if (m)
			found = 1;
	}
	return (found);
}

/* The entry that lets key in from addr at now. */
const struct authkey *
authkeys_find(const struct authkeys *ak, const struct ssh_key_struct *key,
    const char *addr, time_t now, const char **why)
{
	const struct authkey	*k, *ok = NULL;
	size_t			 i;

	*why = "the key is not in the user's AuthorizedKeys";
	/* Every entry is looked at, whatever matched first. */
	for (i = 0; i < ak->nkeys; i++) {
		k = &ak->keys[i];
		if (ssh_key_cmp(k->key, (ssh_key)key, SSH_KEY_CMP_PUBLIC) != 0)
			continue;
		if (k->nfrom > 0 &&
		    authkeys_match_from(k->from, k->nfrom, addr) != 1) {
			if (ok == NULL)
				*why = "the client's address is not in the "
				    "key's from= list";
			continue;
		}
		if (k->expiry != 0 && now > k->expiry) {
			if (ok == NULL)
				*why = "the key is past its expiry-time";
			continue;
		}
		if (ok == NULL)
			ok = k;
	}
	if (ok != NULL)
		*why = NULL;
	return (ok);
}

/* Parse an expiry-time value. */
int
authkeys_parse_time(const char *s, time_t *t)
{
	struct tm	 tm, want;
	size_t		 len = strlen(s), i;
	int		 utc = 0, v[6] = { 0, 0, 0, 0, 0, 0 };
	time_t		 r;

	if (len > 0 && (s[len - 1] == 'Z' || s[len - 1] == 'z')) {
		utc = 1;
		len--;
	}
	if (len != 8 && len != 12 && len != 14)
		return (-1);
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return (-1);
	for (i = 0; i < len; i++) {
		if (i < 4)
			v[0] = v[0] * 10 + (s[i] - '0');
		else
			v[1 + (i - 4) / 2] = v[1 + (i - 4) / 2] * 10 +
			    (s[i] - '0');
	}
	if (v[0] < 1970 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 ||
	    v[3] > 23 || v[4] > 59 || v[5] > 59)
		return (-1);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	tm.tm_isdst = -1;
	want = tm;
	r = utc ? timegm(&tm) : mktime(&tm);
	/* No such day (20250230) comes back as another one. */
	if (r == (time_t)-1 || tm.tm_year != want.tm_year ||
	    tm.tm_mon != want.tm_mon || tm.tm_mday != want.tm_mday)
		return (-1);
	*t = r;
	return (0);
}
