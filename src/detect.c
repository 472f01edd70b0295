/*
 * detect.c: value detectors over text that leaves the gateway (email, US
 * SSN, payment cards, phone numbers, IBAN, secrets) and the masking
 * strategies of Mask rules. Handles untrusted input: any bytes, never
 * NUL-terminated, never read at or past len.
 *
 * detect_mask() is on the path of every text cell, so it starts with one
 * cheap pass over the bytes (the prefilter: a digit count, '@', and pairs
 * of bytes that every other finding holds) and runs a detector only when
 * the cell holds what it needs. Each detector scans left to right and
 * records findings; one that overlaps a finding of an earlier detector is
 * dropped (order: secret, email, IBAN). Cards, SSNs and phone numbers are
 * then looked for in the text with those findings masked, as a second
 * scan of the output would see it.
 *
 * Findings are whole tokens: a run of digits glued to a letter, a digit,
 * '_' or '*' (directly, or through '.', '-' or '/') is not a card, an SSN
 * or a phone number. '*' counts as glue so that masked output stays masked
 * when it is scanned again ("**** **** **** 4242" holds no new card).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "dbgate.h"
#include "detect.h"

/* Byte classes. */
#define CT_DIGIT	0x0001	/* 0-9 */
#define CT_UPPER	0x0002	/* A-Z */
#define CT_LOWER	0x0004	/* a-z */
#define CT_NSTART	0x0010	/* may start a number: 0-9 + ( */
#define CT_GLUED	0x0020	/* continues a token: CT_WORD . - / : */
#define CT_ATEXT	0x0040	/* the local part of an email */
#define CT_B64		0x0080	/* base64url: alnum - _ */
#define CT_WORD		0x0100	/* glues digits into a longer token */
#define CT_TOKEN	0x0200	/* a bearer token: alnum - . _ ~ + / */
#define CT_SCAN		0x0400	/* secret scanner stops: A e - B b = : ' */
#define CT_IDENT	0x0800	/* a key name: alnum _ - . */
#define CT_SPACE	0x1000	/* ASCII white space */
#define CT_ALNUM	(CT_DIGIT | CT_UPPER | CT_LOWER)

#define IS_D(c)		((c) >= '0' && (c) <= '9')
#define IS_U(c)		((c) >= 'A' && (c) <= 'Z')
#define IS_L(c)		((c) >= 'a' && (c) <= 'z')
#define IS_AN(c)	(IS_D(c) || IS_U(c) || IS_L(c))
#define IS_ATEXT(c)	(IS_AN(c) || (c) == '!' || (c) == '#' || \
	(c) == '$' || (c) == '%' || (c) == '&' || (c) == '\'' || \
	(c) == '*' || (c) == '+' || (c) == '=' || \
	(c) == '?' || (c) == '^' || (c) == '_' || (c) == '`' || \
	(c) == '{' || (c) == '|' || (c) == '}' || (c) == '~' || \
	(c) == '-' || (c) == '.')
#define CT_(c) (							\
	(IS_D(c) ? CT_DIGIT : 0) |					\
	(IS_U(c) ? CT_UPPER : 0) |					\
	(IS_L(c) ? CT_LOWER : 0) |					\
	(IS_D(c) || (c) == '+' || (c) == '(' ? CT_NSTART : 0) |		\
	(IS_AN(c) || (c) == '_' || (c) == '*' || (c) == '.' ||		\
	    (c) == '-' || (c) == '/' || (c) == ':' ? CT_GLUED : 0) |	\
	(IS_ATEXT(c) ? CT_ATEXT : 0) |					\
	(IS_AN(c) || (c) == '-' || (c) == '_' ? CT_B64 : 0) |		\
	(IS_AN(c) || (c) == '_' || (c) == '*' ? CT_WORD : 0) |		\
	(IS_AN(c) || (c) == '-' || (c) == '.' || (c) == '_' ||		\
	    (c) == '~' || (c) == '+' || (c) == '/' ? CT_TOKEN : 0) |	\
	((c) == 'A' || (c) == 'e' || (c) == '-' || (c) == 'B' ||	\
	    (c) == 'b' || (c) == '=' || (c) == ':' || (c) == '\'' ?	\
	    CT_SCAN : 0) |						\
	(IS_AN(c) || (c) == '_' || (c) == '-' || (c) == '.' ?		\
	    CT_IDENT : 0) |						\
	((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r' ||	\
	    (c) == '\f' || (c) == '\v' ? CT_SPACE : 0))
#define CT4(n)	CT_(n), CT_((n) + 1), CT_((n) + 2), CT_((n) + 3)
#define CT16(n)	CT4(n), CT4((n) + 4), CT4((n) + 8), CT4((n) + 12)
#define CT64(n)	CT16(n), CT16((n) + 16), CT16((n) + 32), CT16((n) + 48)

static const unsigned short ctab[256] = {
	CT64(0), CT64(64), CT64(128), CT64(192)
};

#define CLS(c)		(ctab[(unsigned char)(c)])
#define ISDIGIT(c)	(CLS(c) & CT_DIGIT)

/* The mask of every secret: no part of the secret is kept. */
#define SECRET_MARK	"[secret]"
/* The mask of an email's local part and of a redacted value. */
#define FIXED_MASK	"****"

static const char *detect_names[DETECT_NKINDS] = {
	"email", "ssn", "card", "phone", "iban", "secret"
};

/* One finding: [start, end) of s, replaced by the mask of kind. */
struct finding {
	size_t		 start;
	size_t		 end;
	unsigned int	 kind;
};

/*
 * The findings of one call. v[0..nprior) come from earlier detectors and
 * are sorted; cur is the first of them that can still overlap a new one
 * (each detector reports in increasing start order).
 */
struct findings {
	struct finding	*v;
	size_t		 n;
	size_t		 cap;
	size_t		 nprior;
	size_t		 cur;
	unsigned int	 kinds;
	struct finding	 fixed[8];
};

/* Return the name of detector bit index i, or NULL. */
const char *
detect_name(unsigned int i)
{
	if (i >= DETECT_NKINDS)
		return (NULL);
	return (detect_names[i]);
}

/* Parse one Detect word into *bits: 0, or -1 if it is not one. */
int
detect_parse(const char *word, unsigned int *bits)
{
	unsigned int	 i;

	if (strcasecmp(word, "all") == 0) {
		*bits = DETECT_ALL;
		return (0);
	}
	if (strcasecmp(word, "none") == 0) {
		*bits = 0;
		return (0);
	}
	for (i = 0; i < DETECT_NKINDS; i++) {
		if (strcasecmp(word, detect_names[i]) == 0) {
			*bits = 1u << i;
			return (0);
		}
	}
	return (-1);
}

/* Order findings by start. */
static int
finding_cmp(const void *a, const void *b)
{
	const struct finding	*fa = a, *fb = b;

	if (fa->start != fb->start)
		return (fa->start < fb->start ? -1 : 1);
	return (0);
}

/*
 * Record a finding unless it overlaps an earlier one. Returns 1 if it was
 * recorded.
 */
static int
findings_add(struct findings *f, size_t start, size_t end, unsigned int kind)
{
	struct finding	*v;

	while (f->cur < f->nprior && f->v[f->cur].end <= start)
		f->cur++;
	if (f->cur < f->nprior && f->v[f->cur].start < end)
		return (0);
	if (f->n > f->nprior && f->v[f->n - 1].end > start)
		return (0);
	if (f->n == f->cap) {
		if (f->v == f->fixed) {
			v = xreallocarray(NULL, f->cap * 2, sizeof *v);
			memcpy(v, f->fixed, f->n * sizeof *v);
		} else
			v = xreallocarray(f->v, f->cap * 2, sizeof *v);
		f->v = v;
		f->cap *= 2;
	}
	f->v[f->n].start = start;
	f->v[f->n].end = end;
	f->v[f->n].kind = kind;
	f->n++;
	f->kinds |= kind;
	return (1);
}

/* Close one detector's findings: all of them become prior, sorted. */
static void
findings_settle(struct findings *f)
{
	if (f->n > f->nprior && f->nprior > 0)
		qsort(f->v, f->n, sizeof *f->v, finding_cmp);
	f->nprior = f->n;
	f->cur = 0;
}

/* Lowercase an ASCII letter. */
static inline unsigned char
lower(unsigned char c)
{
	return (IS_U(c) ? c + ('a' - 'A') : c);
}

/* Whether s[i..] begins with the lowercase ASCII word w, any case. */
static int
has_word(const unsigned char *s, size_t len, size_t i, const char *w)
{
	size_t	 n = strlen(w);

	if (n > len - i)
		return (0);
	while (n-- > 0) {
		if (lower(s[i + n]) != (unsigned char)w[n])
			return (0);
	}
	return (1);
}

/* Whether s[a..b) ends with the lowercase ASCII word w, any case. */
static int
ends_with(const unsigned char *s, size_t a, size_t b, const char *w)
{
	size_t	 n = strlen(w);

	if (b - a < n)
		return (0);
	return (has_word(s, b, b - n, w));
}

/*
 * Secrets.
 */

/* AWS access key id at i: AKIA or ASIA and 16 [A-Z0-9]. End, or 0. */
static size_t
secret_aws(const unsigned char *s, size_t len, size_t i)
{
	size_t	 k;

	if (len - i < 20 || (s[i + 1] != 'K' && s[i + 1] != 'S') ||
	    s[i + 2] != 'I' || s[i + 3] != 'A')
		return (0);
	if (i > 0 && (CLS(s[i - 1]) & CT_ALNUM))
		return (0);
	for (k = i + 4; k < i + 20; k++) {
		if (!(CLS(s[k]) & (CT_UPPER | CT_DIGIT)))
			return (0);
	}
	if (k < len && (CLS(s[k]) & CT_ALNUM))
		return (0);
	return (k);
}

/*
 * JWT at i: "eyJ" and three or more base64url parts joined by '.' (a
 * JWE has five). End, or 0.
 */
static size_t
secret_jwt(const unsigned char *s, size_t len, size_t i)
{
	size_t	 k, dots = 0, first = 0, second = 0;

	if (len - i < 16 || s[i + 1] != 'y' || s[i + 2] != 'J')
		return (0);
	if (i > 0 && ((CLS(s[i - 1]) & CT_B64) || s[i - 1] == '.'))
		return (0);
	for (k = i; k < len; k++) {
		if (s[k] == '.') {
			if (k > 0 && s[k - 1] == '.')
				break;
			dots++;
		} else if (!(CLS(s[k]) & CT_B64))
			break;
		else if (dots == 0)
			first++;
		else if (dots == 1)
			second++;
	}
	if (dots < 2 || first < 10 || second < 2)
		return (0);
	if (s[k - 1] == '.' && dots > 2)
		k--;
	return (k);
}

/* Find needle in s[from..len): its offset, or len. */
static size_t
find(const unsigned char *s, size_t len, size_t from, const char *needle)
{
	const unsigned char	*p;

	if (from >= len)
		return (len);
	p = memmem(s + from, len - from, needle, strlen(needle));
	return (p == NULL ? len : (size_t)(p - s));
}

/*
 * PEM private key block at i: "-----BEGIN ...PRIVATE KEY-----" through
 * the END line, or through the end of the text when it has none. End, or
 * 0.
 */
static size_t
secret_pem(const unsigned char *s, size_t len, size_t i)
{
	size_t	 k, e;

	if (len - i < 11 || memcmp(s + i, "-----BEGIN ", 11) != 0)
		return (0);
	for (k = i + 11; k < len && k < i + 80; k++) {
		if (s[k] == '\n' || s[k] == '-')
			break;
	}
	if (k >= len || s[k] != '-' || len - k < 5 ||
	    memcmp(s + k, "-----", 5) != 0 ||
	    (!ends_with(s, i + 11, k, "private key") &&
	    !ends_with(s, i + 11, k, "private key block")))
		return (0);
	e = find(s, len, k + 5, "-----END ");
	if (e == len)
		return (len);
	e = find(s, len, e + 9, "-----");
	return (e == len ? len : e + 5);
}

/* Bearer token at i ("Bearer" and a token of 20 or more). Token, or 0. */
static size_t
secret_bearer(const unsigned char *s, size_t len, size_t i, size_t *tok)
{
	size_t	 k, t;

	if (len - i < 27 || !has_word(s, len, i, "bearer"))
		return (0);
	if (i > 0 && (CLS(s[i - 1]) & CT_ALNUM))
		return (0);
	for (k = i + 6; k < len && (s[k] == ' ' || s[k] == '\t'); k++)
		;
	if (k == i + 6)
		return (0);
	for (t = k; k < len && (CLS(s[k]) & CT_TOKEN); k++)
		;
	while (k < len && s[k] == '=')
		k++;
	if (k - t < 20 || (k < len && (CLS(s[k]) & CT_ALNUM)))
		return (0);
	*tok = t;
	return (k);
}

/* Whether s[i..] starts with the mask of a secret (already masked). */
static int
is_mark(const unsigned char *s, size_t len, size_t i)
{
	return (len - i >= sizeof SECRET_MARK - 1 &&
	    memcmp(s + i, SECRET_MARK, sizeof SECRET_MARK - 1) == 0);
}

/* Key names whose value is a secret (matched at the end of the name). */
static const struct {
	const char	*name;
	size_t		 len;
} secret_keys[] = {
#define KEY(s)	{ s, sizeof s - 1 }
	KEY("password"), KEY("passwd"), KEY("pwd"), KEY("secret"),
	KEY("token"), KEY("apikey"), KEY("api_key"), KEY("api-key"),
	KEY("private_key"), KEY("access_key"), KEY("secret_key"),
	KEY("credentials"), KEY("authorization")
#undef KEY
};

/*
 * A key=value or "key": value secret at the '=' or ':' at i: the key ends
 * with one of secret_keys. Sets the value's [*a, *b). Returns 1 if found.
 */
static int
secret_keyvalue(const unsigned char *s, size_t len, size_t i, size_t *a,
    size_t *b)
{
	size_t		 j, k, v, e;
	unsigned char	 q = 0;
	unsigned int	 n;
	int		 auth = 0;

	j = i;
	while (j > 0 && i - j < 4 && s[j - 1] == ' ')
		j--;
	if (j > 0 && (s[j - 1] == '"' || s[j - 1] == '\''))
		j--;
	for (k = j; k > 0 && j - k < 64 && (CLS(s[k - 1]) & CT_IDENT); k--)
		;
	if (j - k < 3 || (k > 0 && (CLS(s[k - 1]) & CT_IDENT)))
		return (0);
	switch (lower(s[j - 1])) {	/* the last letters of secret_keys */
	case 'd': case 't': case 'n': case 'y': case 's':
		break;
	default:
		return (0);
	}
	for (n = 0; n < nitems(secret_keys); n++) {
		if (j - k >= secret_keys[n].len && has_word(s, j,
		    j - secret_keys[n].len, secret_keys[n].name))
			break;
	}
	if (n == nitems(secret_keys))
		return (0);
	auth = strcmp(secret_keys[n].name, "authorization") == 0;

	for (v = i + 1; v < len && v - i < 5 && s[v] == ' '; v++)
		;
	if (v < len && (s[v] == '"' || s[v] == '\''))
		q = s[v++];
	if (auth) {
		/* Keep the scheme: "Basic [secret]". */
		for (e = v; e < len && e - v < 16 && (CLS(s[e]) & CT_ALNUM);
		    e++)
			;
		if (e > v && e < len && s[e] == ' ')
			v = e + 1;
	}
	for (e = v; e < len; e++) {
		if (q != 0 ? s[e] == q || s[e] == '\n' :
		    auth ? s[e] == '\n' || s[e] == '\r' :
		    (CLS(s[e]) & CT_SPACE) || s[e] == '"' || s[e] == '\'' ||
		    s[e] == '&' || s[e] == ';' || s[e] == ',' ||
		    s[e] == '}' || s[e] == ')' || s[e] == ']')
			break;
	}
	if (e - v < 3 || is_mark(s, len, v))
		return (0);
	*a = v;
	*b = e;
	return (1);
}

/*
 * The password of a URL's user information at the ':' of "://": sets its
 * [*a, *b). Returns 1 if found.
 */
static int
secret_url(const unsigned char *s, size_t len, size_t i, size_t *a,
    size_t *b)
{
	size_t	 k, at = 0, colon = 0;

	if (i == 0 || !(CLS(s[i - 1]) & CT_ALNUM) || len - i < 3 ||
	    s[i + 1] != '/' || s[i + 2] != '/')
		return (0);
	for (k = i + 3; k < len; k++) {
		if (s[k] == '/' || s[k] == '?' || s[k] == '#' ||
		    s[k] == '"' || s[k] == '\'' || s[k] == '<' ||
		    s[k] == '>' || (CLS(s[k]) & CT_SPACE))
			break;
		if (s[k] == '@')
			at = k;
	}
	if (at == 0)
		return (0);
	for (k = i + 3; k < at && s[k] != ':'; k++)
		;
	if (k == at || k + 1 == at)
		return (0);
	colon = k;
	if (is_mark(s, at, colon + 1))
		return (0);
	*a = colon + 1;
	*b = at;
	return (1);
}

/*
 * A SQL string literal after PASSWORD or IDENTIFIED BY, at its opening
 * quote i: sets its contents' [*a, *b). Returns 1 if found.
 */
static int
secret_sql(const unsigned char *s, size_t len, size_t i, size_t *a,
    size_t *b)
{
	size_t	 j, k;

	for (j = i; j > 0 && (CLS(s[j - 1]) & CT_SPACE); j--)
		;
	if (j == i)
		return (0);
	/* PASSWORD, or IDENTIFIED BY with one white space between. */
	if (!(ends_with(s, 0, j, "password") &&
	    (j == 8 || !(CLS(s[j - 9]) & CT_IDENT))) &&
	    !(j >= 13 && ends_with(s, 0, j, "by") &&
	    (CLS(s[j - 3]) & CT_SPACE) &&
	    ends_with(s, 0, j - 3, "identified")))
		return (0);
	for (k = i + 1; k < len; k++) {
		if (s[k] == '\'') {
			if (k + 1 < len && s[k + 1] == '\'') {
				k++;
				continue;
			}
			break;
		}
	}
	if (k == i + 1 || is_mark(s, len, i + 1))
		return (0);
	*a = i + 1;
	*b = k;
	return (1);
}

/* Find secrets. */
static void
scan_secret(const unsigned char *s, size_t len, struct findings *f)
{
	size_t	 i, e, a, b;

	for (i = 0; i < len; i++) {
		if (!(CLS(s[i]) & CT_SCAN))
			continue;
		e = a = b = 0;
		switch (s[i]) {
		case 'A':
			if ((e = secret_aws(s, len, i)) != 0)
				a = i;
			break;
		case 'e':
			if ((e = secret_jwt(s, len, i)) != 0)
				a = i;
			break;
		case '-':
			if ((e = secret_pem(s, len, i)) != 0)
				a = i;
			break;
		case 'B':
		case 'b':
			e = secret_bearer(s, len, i, &a);
			break;
		case ':':
			if (secret_url(s, len, i, &a, &b)) {
				e = b;
				break;
			}
			/* FALLTHROUGH */
		case '=':
			if (secret_keyvalue(s, len, i, &a, &b))
				e = b;
			break;
		case '\'':
			if (secret_sql(s, len, i, &a, &b))
				e = b;
			break;
		}
		if (e != 0 && e > a && findings_add(f, a, e, DETECT_SECRET))
			i = e - 1;
	}
}

/*
 * Email.
 */

/*
 * The domain of an email from d: labels of letters, digits and '-' joined
 * by '.', two at least, the last one letters only. Its end, or 0.
 */
static size_t
email_domain(const unsigned char *s, size_t len, size_t d)
{
	size_t	 k = d, label, end = 0;
	int	 labels = 0, alpha;

	for (;;) {
		label = k;
		alpha = 1;
		while (k < len && ((CLS(s[k]) & CT_ALNUM) || s[k] == '-')) {
			if (!(CLS(s[k]) & (CT_UPPER | CT_LOWER)))
				alpha = 0;
			k++;
		}
		if (k == label || s[label] == '-' || s[k - 1] == '-')
			break;
		labels++;
		if (labels >= 2 && alpha && k - label >= 2)
			end = k;
		if (k + 1 >= len || s[k] != '.' ||
		    !(CLS(s[k + 1]) & CT_ALNUM))
			break;
		k++;
	}
	return (end);
}

/* Find emails; a finding is the local part. */
static void
scan_email(const unsigned char *s, size_t len, struct findings *f)
{
	const unsigned char	*p;
	size_t			 at, l, from = 0;

	while (from < len &&
	    (p = memchr(s + from, '@', len - from)) != NULL) {
		at = p - s;
		from = at + 1;
		for (l = at; l > 0 && at - l < 256 &&
		    (CLS(s[l - 1]) & CT_ATEXT); l--)
			;
		if (l > 0 && (CLS(s[l - 1]) & CT_ATEXT))
			continue;	/* too long to be a local part */
		while (l < at && s[l] == '.')
			l++;
		if (l == at || s[at - 1] == '.' ||
		    email_domain(s, len, at + 1) == 0)
			continue;
		if (at - l == sizeof FIXED_MASK - 1 &&
		    memcmp(s + l, FIXED_MASK, at - l) == 0 &&
		    (l == 0 || !(CLS(s[l - 1]) & CT_ATEXT)))
			continue;	/* already masked */
		findings_add(f, l, at, DETECT_EMAIL);
	}
}

/*
 * IBAN.
 */

/* IBAN lengths by country (ISO 13616 register). */
static const struct {
	char		 cc[3];
	unsigned char	 len;
} iban_lengths[] = {
	{ "AD", 24 }, { "AE", 23 }, { "AL", 28 }, { "AT", 20 },
	{ "AZ", 28 }, { "BA", 20 }, { "BE", 16 }, { "BG", 22 },
	{ "BH", 22 }, { "BI", 27 }, { "BR", 29 }, { "BY", 28 },
	{ "CH", 21 }, { "CR", 22 }, { "CY", 28 }, { "CZ", 24 },
	{ "DE", 22 }, { "DJ", 27 }, { "DK", 18 }, { "DO", 28 },
	{ "EE", 20 }, { "EG", 29 }, { "ES", 24 }, { "FI", 18 },
	{ "FK", 18 }, { "FO", 18 }, { "FR", 27 }, { "GB", 22 },
	{ "GE", 22 }, { "GI", 23 }, { "GL", 18 }, { "GR", 27 },
	{ "GT", 28 }, { "HN", 28 }, { "HR", 21 }, { "HU", 28 },
	{ "IE", 22 }, { "IL", 23 }, { "IQ", 23 }, { "IS", 26 },
	{ "IT", 27 }, { "JO", 30 }, { "KW", 30 }, { "KZ", 20 },
	{ "LB", 28 }, { "LC", 32 }, { "LI", 21 }, { "LT", 20 },
	{ "LU", 20 }, { "LV", 21 }, { "LY", 25 }, { "MC", 27 },
	{ "MD", 24 }, { "ME", 22 }, { "MK", 19 }, { "MN", 20 },
	{ "MR", 27 }, { "MT", 31 }, { "MU", 30 }, { "NI", 28 },
	{ "NL", 18 }, { "NO", 15 }, { "OM", 23 }, { "PK", 24 },
	{ "PL", 28 }, { "PS", 29 }, { "PT", 25 }, { "QA", 29 },
	{ "RO", 24 }, { "RS", 22 }, { "RU", 33 }, { "SA", 24 },
	{ "SC", 31 }, { "SD", 18 }, { "SE", 24 }, { "SI", 19 },
	{ "SK", 24 }, { "SM", 27 }, { "SO", 23 }, { "ST", 25 },
	{ "SV", 28 }, { "TL", 23 }, { "TN", 24 }, { "TR", 26 },
	{ "UA", 29 }, { "VA", 22 }, { "VG", 24 }, { "XK", 20 },
	{ "YE", 30 },
};

/* The IBAN length of country a b, or 0. */
static size_t
iban_length(unsigned char a, unsigned char b)
{
	size_t	 lo = 0, hi = nitems(iban_lengths), mid;
	int	 c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = (a - (unsigned char)iban_lengths[mid].cc[0]) * 256 +
		    (b - (unsigned char)iban_lengths[mid].cc[1]);
		if (c == 0)
			return (iban_lengths[mid].len);
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (0);
}

/* Whether the n characters of an IBAN (no spaces) pass mod 97. */
static int
iban_mod97(const unsigned char *c, size_t n)
{
	unsigned int	 r = 0;
	size_t		 k, j;
	unsigned char	 x;

	for (k = 0; k < n; k++) {
		j = (k + 4) % n;	/* the first four go last */
		x = c[j];
		if (IS_D(x))
			r = (r * 10 + (x - '0')) % 97;
		else
			r = (r * 100 + (x - 'A' + 10)) % 97;
	}
	return (r == 1);
}

/*
 * An IBAN at i: compact, or in groups of four joined by single spaces.
 * Its end, or 0.
 */
static size_t
iban_at(const unsigned char *s, size_t len, size_t i)
{
	unsigned char	 c[34];
	size_t		 want, n, k, g;

	want = iban_length(s[i], s[i + 1]);
	if (want == 0 || len - i < want)
		return (0);
	if (s[i + 4] != ' ') {
		for (n = 0; n < want; n++) {
			if (!(CLS(s[i + n]) & (CT_UPPER | CT_DIGIT)))
				return (0);
		}
		k = i + want;
	} else {
		memcpy(c, s + i, 4);
		n = 4;
		k = i + 4;
		while (n < want) {
			if (k >= len || s[k] != ' ')
				return (0);
			k++;
			for (g = 0; g < 4 && n < want; g++, n++, k++) {
				if (k >= len ||
				    !(CLS(s[k]) & (CT_UPPER | CT_DIGIT)))
					return (0);
				c[n] = s[k];
			}
		}
	}
	if (k < len && (CLS(s[k]) & CT_WORD))
		return (0);
	if (s[i + 4] != ' ')
		memcpy(c, s + i, want);
	return (iban_mod97(c, want) ? k : 0);
}

/* Find IBANs. */
static void
scan_iban(const unsigned char *s, size_t len, struct findings *f)
{
	size_t	 i, e;

	for (i = 0; i + 15 <= len; i++) {
		if (!(CLS(s[i]) & CT_UPPER) || !(CLS(s[i + 1]) & CT_UPPER) ||
		    !ISDIGIT(s[i + 2]) || !ISDIGIT(s[i + 3]))
			continue;
		if (i > 0 && (CLS(s[i - 1]) & CT_WORD))
			continue;
		if ((e = iban_at(s, len, i)) != 0 &&
		    findings_add(f, i, e, DETECT_IBAN))
			i = e - 1;
	}
}

/*
 * Cards, SSNs and phone numbers: spans of digit groups.
 *
 * A span is an optional '+' and digit groups, each maybe in parentheses,
 * joined by one ' ', '-' or '.' (or nothing after a ')'). Groups joined by
 * anything but a space form a unit that is never split: "2024-01-15" is
 * one unit, "4242 4242 4242 4242" four. A candidate is a run of whole
 * units; the longest one that is a card, an SSN or a phone number wins,
 * from the left (so "4111 1111 1111 1111 1111" holds a card: space-grouped
 * digits may be several numbers).
 */

struct group {
	size_t		 off;	/* first digit */
	size_t		 end;	/* after the last digit */
	unsigned char	 paren;	/* in parentheses */
	unsigned char	 sep;	/* before it: 0 (first), ' ', '-', '.', ')' */
};

#define SPAN_FIXED	32	/* groups held without allocating */

/*
 * One span: its groups, cum[k] the digits in g[0..k), uf[u] the first
 * group of unit u (uf[nu] is n). A span has no length limit, so that
 * where it is cut never depends on what came before.
 */
struct span {
	struct group	*g;
	size_t		*cum;
	size_t		*uf;
	size_t		 n;
	size_t		 nu;
	size_t		 cap;
	int		 plus;
	struct group	 fg[SPAN_FIXED];
	size_t		 fcum[SPAN_FIXED + 1];
	size_t		 fuf[SPAN_FIXED + 1];
};

/* The digit at p. */
#define DIG(p)	((unsigned int)(s[(p)] - '0'))

/* Luhn check of the digits of groups g[0..n). */
static int
luhn(const unsigned char *s, const struct group *g, size_t n)
{
	unsigned int	 sum = 0, d, dbl = 0;
	size_t		 k, p;

	for (k = n; k-- > 0;) {
		for (p = g[k].end; p-- > g[k].off;) {
			d = DIG(p);
			if (dbl) {
				d *= 2;
				if (d > 9)
					d -= 9;
			}
			sum += d;
			dbl = !dbl;
		}
	}
	return (sum % 10 == 0);
}

/* The first n (<= 4) digits of groups g as a number. */
static unsigned int
prefix(const unsigned char *s, const struct group *g, size_t ng,
    unsigned int n)
{
	unsigned int	 v = 0, got = 0;
	size_t		 k, p;

	for (k = 0; k < ng && got < n; k++) {
		for (p = g[k].off; p < g[k].end && got < n; p++, got++)
			v = v * 10 + DIG(p);
	}
	return (v);
}

/* Whether the separators of g[1..n) are all c. */
static int
seps_all(const struct group *g, size_t n, unsigned char c)
{
	size_t	 k;

	for (k = 1; k < n; k++) {
		if (g[k].sep != c)
			return (0);
	}
	return (1);
}

/* Whether any group is in parentheses. */
static int
any_paren(const struct group *g, size_t n)
{
	size_t	 k;

	for (k = 0; k < n; k++) {
		if (g[k].paren)
			return (1);
	}
	return (0);
}

#define GLEN(k)	(g[(k)].end - g[(k)].off)

/*
 * A payment card: 13 to 19 digits, in one group or in groups of 4, then
 * 3 to 6 (the last 1 to 6) joined by the same ' ' or '-'; a known issuer
 * prefix and length; Luhn.
 */
static int
is_card(const unsigned char *s, const struct group *g, size_t n,
    size_t nd)
{
	unsigned int	 p2, p4;
	size_t		 k;

	if (nd < 13 || nd > 19 || any_paren(g, n))
		return (0);
	if (n > 1) {
		if (GLEN(0) != 4 || (g[1].sep != ' ' && g[1].sep != '-') ||
		    !seps_all(g, n, g[1].sep))
			return (0);
		for (k = 1; k < n; k++) {
			if (GLEN(k) > 6 || (k < n - 1 && GLEN(k) < 3))
				return (0);
		}
	}
	p2 = prefix(s, g, n, 2);
	p4 = prefix(s, g, n, 4);
	if (p2 / 10 == 4) {				/* Visa */
		if (nd != 13 && nd != 16 && nd != 19)
			return (0);
	} else if (p2 == 34 || p2 == 37) {		/* American Express */
		if (nd != 15)
			return (0);
	} else if ((p2 >= 51 && p2 <= 55) ||
	    (p4 >= 2221 && p4 <= 2720)) {		/* Mastercard */
		if (nd != 16)
			return (0);
	} else if (p2 == 30 || p2 == 36 || p2 == 38 || p2 == 39 ||
	    p2 == 35 || p2 / 10 == 6 || p2 == 50 ||
	    (p2 >= 56 && p2 <= 58) || (p4 >= 2200 && p4 <= 2204)) {
		/* Diners, JCB, Discover, UnionPay, Maestro, Mir */
		if (nd < 14)
			return (0);
	} else
		return (0);
	return (luhn(s, g, n));
}

/*
 * A US SSN: 3, 2 and 4 digits joined by two '-' or two spaces; area not
 * 000, 666 or 9xx, group not 00, serial not 0000.
 */
static int
is_ssn(const unsigned char *s, const struct group *g, size_t n)
{
	unsigned int	 area, grp, ser;

	if (n != 3 || GLEN(0) != 3 || GLEN(1) != 2 || GLEN(2) != 4 ||
	    any_paren(g, n) || (g[1].sep != '-' && g[1].sep != ' ') ||
	    g[2].sep != g[1].sep)
		return (0);
	area = prefix(s, g, 1, 3);
	grp = prefix(s, g + 1, 1, 2);
	ser = prefix(s, g + 2, 1, 4);
	return (area != 0 && area != 666 && area < 900 && grp != 0 &&
	    ser != 0);
}

/*
 * An international number after '+': 8 to 15 digits, not starting with
 * 0, a country code of 1 to 3 digits in the first group when grouped.
 */
static int
is_e164(const unsigned char *s, const struct group *g, size_t n, size_t nd)
{
	return (nd >= 8 && nd <= 15 && s[g[0].off] != '0' &&
	    (n == 1 || (GLEN(0) <= 3 && !g[0].paren)));
}

/*
 * A national number: North American 3-3-4 (area code 2-9, maybe a
 * leading 1, "(555) 123-4567", "555-123-4567", "555.123.4567",
 * "555 123 4567"), or a trunk-prefixed one starting with 0 (not 000) in
 * two or more groups of 2 to 8 digits, 10 to 12 in all, or 9 in four
 * groups or more ("020 7946 0958", "06 12 34 56 78", "02 123 45 67").
 */
static int
is_national(const unsigned char *s, const struct group *g, size_t n,
    size_t nd)
{
	size_t	 k = 0;

	if (nd == 10 || nd == 11) {
		if (n == 4 && nd == 11 && GLEN(0) == 1 &&
		    s[g[0].off] == '1' && !g[0].paren)
			k = 1;
		if (n - k == 3 && GLEN(k) == 3 && GLEN(k + 1) == 3 &&
		    GLEN(k + 2) == 4 && s[g[k].off] >= '2' &&
		    !g[k + 1].paren && !g[k + 2].paren) {
			if (g[k].paren && (g[k + 1].sep == ' ' ||
			    g[k + 1].sep == ')') && g[k + 2].sep != ')')
				return (1);
			if (!g[k].paren && g[k + 1].sep != ')' &&
			    g[k + 2].sep == g[k + 1].sep &&
			    (k == 0 || g[1].sep != ')'))
				return (1);
		}
	}
	if (nd < 9 || nd > 12 || n < 2 || s[g[0].off] != '0' ||
	    (nd == 9 && n < 4) || (GLEN(0) >= 3 && s[g[0].off + 1] == '0' &&
	    s[g[0].off + 2] == '0'))
		return (0);
	for (k = 0; k < n; k++) {
		if (GLEN(k) < 2 || GLEN(k) > 8 || (k > 0 && g[k].paren))
			return (0);
	}
	if (g[0].paren)
		return ((g[1].sep == ' ' || g[1].sep == ')') &&
		    (n == 2 || (g[2].sep != ')' && seps_all(g + 1, n - 1,
		    g[2].sep))));
	return (g[1].sep != ')' && seps_all(g, n, g[1].sep));
}

/* What groups g[0..n) with nd digits are, given kinds: a DETECT_ bit. */
static unsigned int
classify(const unsigned char *s, const struct group *g, size_t n,
    size_t nd, int plus, unsigned int kinds)
{
	if (plus)
		return ((kinds & DETECT_PHONE) && is_e164(s, g, n, nd) ?
		    DETECT_PHONE : 0);
	if ((kinds & DETECT_CARD) && is_card(s, g, n, nd))
		return (DETECT_CARD);
	if ((kinds & DETECT_SSN) && nd == 9 && is_ssn(s, g, n))
		return (DETECT_SSN);
	if ((kinds & DETECT_PHONE) && is_national(s, g, n, nd))
		return (DETECT_PHONE);
	return (0);
}

/* Whether the byte before a token starting at i glues it to a word. */
static int
glued_before(const unsigned char *s, size_t i)
{
	unsigned char	 p;

	if (i == 0)
		return (0);
	p = s[i - 1];
	if (CLS(p) & CT_WORD)
		return (1);
	if (i >= 2 && (p == '.' || p == '-' || p == '/') &&
	    (CLS(s[i - 2]) & CT_WORD))
		return (1);
	if (i >= 2 && p == ' ' && s[i - 2] == '*')
		return (1);
	return (0);
}

/* Whether the byte at e glues a token ending there to a word. */
static int
glued_after(const unsigned char *s, size_t len, size_t e)
{
	unsigned char	 c;

	if (e >= len)
		return (0);
	c = s[e];
	if (CLS(c) & CT_WORD)
		return (1);
	if (e + 1 < len && (c == '.' || c == '-' || c == '/' || c == ':') &&
	    (CLS(s[e + 1]) & CT_WORD))
		return (1);
	return (0);
}

/* Make room for one more group. */
static void
span_grow(struct span *sp)
{
	size_t	 cap = sp->cap * 2;

	if (sp->n < sp->cap)
		return;
	if (sp->g == sp->fg) {
		sp->g = xreallocarray(NULL, cap, sizeof *sp->g);
		sp->cum = xreallocarray(NULL, cap + 1, sizeof *sp->cum);
		sp->uf = xreallocarray(NULL, cap + 1, sizeof *sp->uf);
		memcpy(sp->g, sp->fg, sp->n * sizeof *sp->g);
		memcpy(sp->cum, sp->fcum, (sp->n + 1) * sizeof *sp->cum);
		memcpy(sp->uf, sp->fuf, (sp->nu + 1) * sizeof *sp->uf);
	} else {
		sp->g = xreallocarray(sp->g, cap, sizeof *sp->g);
		sp->cum = xreallocarray(sp->cum, cap + 1, sizeof *sp->cum);
		sp->uf = xreallocarray(sp->uf, cap + 1, sizeof *sp->uf);
	}
	sp->cap = cap;
}

/*
 * Parse a span at i into sp. Returns the number of groups (0: none) and
 * sets *end (after the last group and its ')').
 */
static size_t
span_parse(const unsigned char *s, size_t len, size_t i, struct span *sp,
    size_t *end)
{
	struct group	*g;
	size_t		 p = i, q, d;
	unsigned char	 sep = 0, paren;

	sp->n = sp->nu = 0;
	sp->cum[0] = 0;
	sp->plus = 0;
	if (s[p] == '+') {
		sp->plus = 1;
		p++;
	}
	*end = i;
	while (p < len) {
		q = p;
		paren = 0;
		if (s[q] == '(') {
			paren = 1;
			q++;
		}
		for (d = q; q < len && ISDIGIT(s[q]); q++)
			;
		if (q == d || (paren && (q >= len || s[q] != ')')))
			break;
		span_grow(sp);
		g = &sp->g[sp->n];
		g->off = d;
		g->end = q;
		g->paren = paren;
		g->sep = sep;
		if (sp->n == 0 || sep == ' ')
			sp->uf[sp->nu++] = sp->n;
		sp->cum[sp->n + 1] = sp->cum[sp->n] + (q - d);
		sp->n++;
		p = q + paren;
		*end = p;
		if (p >= len)
			break;
		if ((s[p] == ' ' || s[p] == '-' || s[p] == '.') &&
		    p + 1 < len && (ISDIGIT(s[p + 1]) || s[p + 1] == '(')) {
			sep = s[p];
			p++;
		} else if (paren && ISDIGIT(s[p]))
			sep = ')';
		else
			break;
	}
	sp->uf[sp->nu] = sp->n;
	return (sp->n);
}

/* Start offset of a candidate starting at group g (with '+' if plus). */
static size_t
cand_start(const struct group *g, int plus)
{
	return (g->off - g->paren - (plus ? 1 : 0));
}

/* The digits in units a..b of sp. */
#define UDIGITS(sp, a, b) \
	((sp)->cum[(sp)->uf[(b) + 1]] - (sp)->cum[(sp)->uf[(a)]])

/*
 * Evaluate a span: from the left, the longest run of units that is a
 * card, an SSN or a phone number (19 digits at most, so each start tries
 * a bounded number of runs).
 */
static void
span_eval(const unsigned char *s, size_t len, struct span *sp,
    unsigned int kinds, struct findings *f)
{
	struct group	*g = sp->g;
	size_t		 n = sp->n, ua, ub, a, b, bmax, gs, ge, dg;
	size_t		 start, end;
	unsigned int	 kind;
	int		 found, p, plus = sp->plus;

	if (sp->cum[n] < 8)
		return;
	ua = 0;
	ub = sp->nu;	/* units [ua, ub) */
	if (glued_before(s, cand_start(&g[0], plus))) {
		ua = 1;
		plus = 0;
	}
	if (glued_after(s, len, g[n - 1].end + g[n - 1].paren))
		ub--;
	bmax = ua;
	for (a = ua; a < ub;) {
		if (bmax < a)
			bmax = a;
		while (bmax + 1 < ub && UDIGITS(sp, a, bmax + 1) <= 19)
			bmax++;
		found = 0;
		for (b = bmax + 1; b > a && !found;) {
			b--;
			dg = UDIGITS(sp, a, b);
			if (dg < 8)
				break;
			if (dg > 19)
				continue;
			gs = sp->uf[a];
			ge = sp->uf[b + 1];
			for (p = plus && a == 0; p >= 0 && !found; p--) {
				kind = classify(s, g + gs, ge - gs, dg, p,
				    kinds);
				if (kind == 0)
					continue;
				start = cand_start(&g[gs], p);
				end = g[ge - 1].end + g[ge - 1].paren;
				found = findings_add(f, start, end, kind);
			}
		}
		a = found ? b + 1 : a + 1;
	}
}

/* Find cards, SSNs and phone numbers. */
static void
scan_numeric(const unsigned char *s, size_t len, unsigned int kinds,
    struct findings *f)
{
	struct span	 sp;
	size_t		 i = 0, end;

	sp.g = sp.fg;
	sp.cum = sp.fcum;
	sp.uf = sp.fuf;
	sp.cap = SPAN_FIXED;
	while (i < len) {
		if (!(CLS(s[i]) & CT_NSTART)) {
			i++;
			continue;
		}
		if (i > 0 && ISDIGIT(s[i]) && (CLS(s[i - 1]) & CT_WORD)) {
			/* Glued to a word: its first unit is no start. */
			while (i < len && (CLS(s[i]) & CT_GLUED))
				i++;
			continue;
		}
		if (span_parse(s, len, i, &sp, &end) == 0) {
			i++;
			continue;
		}
		span_eval(s, len, &sp, kinds, f);
		/* Skip the rest of a token glued to the span's end. */
		for (i = end; i < len && (CLS(s[i]) & CT_GLUED); i++)
			;
	}
	if (sp.g != sp.fg) {
		free(sp.g);
		free(sp.cum);
		free(sp.uf);
	}
}

/*
 * Output.
 */

/*
 * Append the mask of digits in s[a..e): all but the last keep become '*',
 * and only digits of the last group are kept. So what is kept is glued to
 * a '*' ("**** ***** **** 434", not "**** ***** ***9 434", whose "434"
 * could start an SSN when the output is scanned again).
 */
static void
mask_digits(struct buf *out, const unsigned char *s, size_t a, size_t e,
    size_t keep)
{
	size_t	 k, nd = 0, seen = 0, last = 0;

	for (k = a; k < e; k++)
		nd += ISDIGIT(s[k]) ? 1 : 0;
	k = e;
	if (k > a && s[k - 1] == ')')
		k--;
	for (; k > a && ISDIGIT(s[k - 1]); k--)
		last++;
	if (keep > last)
		keep = last;
	for (k = a; k < e; k++) {
		if (ISDIGIT(s[k]) && seen++ < nd - keep)
			buf_addc(out, '*');
		else
			buf_addc(out, (char)s[k]);
	}
}

/* Append the mask of an IBAN: its country code and last four kept. */
static void
mask_iban(struct buf *out, const unsigned char *s, size_t a, size_t e)
{
	size_t	 k, n = 0, seen = 0;

	for (k = a; k < e; k++)
		n += s[k] != ' ';
	for (k = a; k < e; k++) {
		if (s[k] == ' ')
			buf_addc(out, ' ');
		else if (seen < 2 || seen >= n - 4) {
			buf_addc(out, (char)s[k]);
			seen++;
		} else {
			buf_addc(out, '*');
			seen++;
		}
	}
}

/* Build the masked text of s from the sorted findings. */
static void
emit(struct buf *out, const unsigned char *s, size_t len,
    const struct findings *f)
{
	const struct finding	*x;
	size_t			 pos = 0, k;

	buf_reset(out);
	buf_reserve(out, len + 16);
	for (k = 0; k < f->n; k++) {
		x = &f->v[k];
		buf_add(out, s + pos, x->start - pos);
		switch (x->kind) {
		case DETECT_EMAIL:
			buf_adds(out, FIXED_MASK);
			break;
		case DETECT_SECRET:
			buf_adds(out, SECRET_MARK);
			break;
		case DETECT_CARD:
		case DETECT_SSN:
			mask_digits(out, s, x->start, x->end, 4);
			break;
		case DETECT_PHONE:
			mask_digits(out, s, x->start, x->end, 2);
			break;
		case DETECT_IBAN:
			mask_iban(out, s, x->start, x->end);
			break;
		}
		pos = x->end;
	}
	buf_add(out, s + pos, len - pos);
}

/*
 * Prefilter: one pass over the bytes that says which detectors can fire.
 * Each condition is necessary for its detectors, never sufficient:
 * PRE_AT an '@'; PRE_UU two uppercase letters in a row (an IBAN's country
 * code); PRE_SECRET a pair or triple that every secret form holds: "yJ"
 * (a JWT's "eyJ"), "IA" (AKIA, ASIA), "--" (a PEM line), "rer" in any
 * case (bearer), "://" (a URL), white space before a quote (PASSWORD
 * 'x'), and '=' or ':' after a letter, a quote or a space (key=value);
 * PRE_PLUS a '+' before a digit (the only 8-digit finding is "+" and 8
 * digits). *nd gets the number of digits (the SSSE3 pass may stop
 * counting at 255 in each of its 16 lanes).
 */
#define PRE_AT		0x1
#define PRE_UU		0x2
#define PRE_SECRET	0x4
#define PRE_PLUS	0x8

/* Whether byte p before '=' or ':' may end a key: a letter, a quote, ' '. */
#define KEY_END(p)	(IS_L((p) | 0x20) || (p) == '"' || (p) == '\'' || \
	(p) == ' ')
/* Whether byte p before a quote may follow PASSWORD: white space. */
#define SQL_END(p)	((p) == ' ' || (p) == '\t' || (p) == '\n')

/* The prefilter, a byte at a time. */
static unsigned int
prefilter_bytes(const unsigned char *s, size_t len, size_t *nd)
{
	unsigned int	 r = 0, c, p = 0, pp = 0;
	size_t		 i, n = 0;

	for (i = 0; i < len; i++, pp = p, p = c) {
		c = s[i];
		n += IS_D(c);
		if (c == '@')
			r |= PRE_AT;
		if (IS_U(c) && IS_U(p))
			r |= PRE_UU;
		if (IS_D(c) && p == '+')
			r |= PRE_PLUS;
		if ((p == 'y' && c == 'J') || (p == 'I' && c == 'A') ||
		    (p == '-' && c == '-') || (p == ':' && c == '/') ||
		    (SQL_END(p) && c == '\'') || ((pp | 0x20) == 'r' &&
		    (p | 0x20) == 'e' && (c | 0x20) == 'r') ||
		    ((c == '=' || c == ':') && KEY_END(p)))
			r |= PRE_SECRET;
	}
	*nd = n;
	return (r);
}

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__) && \
    !defined(DETECT_SCALAR)
#define PREFILTER_SSSE3
#include <tmmintrin.h>

/*
 * The same, 16 bytes at a time with SSSE3: each byte is classified by two
 * table lookups, one per nibble (a byte is in a class when both of its
 * nibbles are), which may put a few more bytes in a class than
 * prefilter_bytes() does (never fewer). Five classifications: S of each
 * byte and F of the byte before it share bit numbers, so S & F is the
 * set of pairs: b0 "yJ", b1 "IA", b2 "--", b3 a key end and '=' or ':',
 * b4 ":/", b5 "er" (and FF, of the byte two before, "r"), b6 white space
 * and a quote, b7 two uppercase letters. S2 & F2: b0 '+' and a digit,
 * b1 a digit, b2 '@'.
 */
static const unsigned char pre_tables[10][16] = {
	{ 0x80, 0x82, 0xa0, 0x80, 0x80, 0x80, 0x80, 0xc0,	/* S, low */
	  0x80, 0x80, 0x89, 0x80, 0x80, 0x8c, 0x80, 0x90 },
	{ 0x00, 0x00, 0x54, 0x08, 0x83, 0xa0, 0x00, 0x20,	/* S, high */
	  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 },
	{ 0xc8, 0x88, 0x88, 0x88, 0x88, 0xa8, 0x88, 0x88,	/* F, low */
	  0x88, 0xcb, 0xd8, 0x88, 0x88, 0x8c, 0x88, 0x88 },
	{ 0x40, 0x00, 0x4c, 0x10, 0xaa, 0x88, 0x28, 0x09,	/* F, high */
	  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 },
	{ 0x07, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03,	/* S2, low */
	  0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 },
	{ 0x00, 0x00, 0x00, 0x03, 0x04, 0x00, 0x00, 0x00,	/* S2, high */
	  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 },
	{ 0x06, 0x06, 0x06, 0x06, 0x06, 0x06, 0x06, 0x06,	/* F2, low */
	  0x06, 0x06, 0x06, 0x07, 0x06, 0x06, 0x06, 0x06 },
	{ 0x06, 0x06, 0x07, 0x06, 0x06, 0x06, 0x06, 0x06,	/* F2, high */
	  0x06, 0x06, 0x06, 0x06, 0x06, 0x06, 0x06, 0x06 },
	{ 0xdf, 0xdf, 0xff, 0xdf, 0xdf, 0xdf, 0xdf, 0xdf,	/* FF, low */
	  0xdf, 0xdf, 0xdf, 0xdf, 0xdf, 0xdf, 0xdf, 0xdf },
	{ 0xdf, 0xdf, 0xdf, 0xdf, 0xdf, 0xff, 0xdf, 0xff,	/* FF, high */
	  0xdf, 0xdf, 0xdf, 0xdf, 0xdf, 0xdf, 0xdf, 0xdf },
};

#define TBL(k)	_mm_loadu_si128((const __m128i *)pre_tables[(k)])

/* Look up the classes of the bytes with nibbles lo and hi in table k. */
#define CLASSIFY(k, lo, hi)						\
	_mm_and_si128(_mm_shuffle_epi8(TBL(k), (lo)),			\
	    _mm_shuffle_epi8(TBL((k) + 1), (hi)))

/* Split v into its low and high nibbles. */
#define NIBBLES(v, lo, hi) do {						\
	(lo) = _mm_and_si128((v), m0f);					\
	(hi) = _mm_and_si128(_mm_srli_epi16((v), 4), m0f);		\
} while (0)

/* The prefilter with SSSE3, never reading outside s[0..len). */
static unsigned int __attribute__((target("ssse3")))
prefilter_ssse3(const unsigned char *s, size_t len, size_t *nd)
{
	static const unsigned char	 lanes[32] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2
	};
	__m128i		 v, p, pp, vlo, vhi, plo, phi, lo2, hi2;
	__m128i		 m0f, one, pairs, misc, dig;
	size_t		 i = 0, j;
	unsigned int	 r = 0, m;
	uint64_t	 sum[2], lo, hi;
	uint32_t	 a, b;

	m0f = _mm_set1_epi8(0x0f);
	one = _mm_set1_epi8(2);
	pairs = misc = dig = _mm_setzero_si128();
	for (;;) {
		if (len < 16) {
			/* Two overlapping loads, the overlap shifted out. */
			if (len >= 8) {
				memcpy(&lo, s, 8);
				memcpy(&hi, s + len - 8, 8);
				hi = len == 8 ? 0 : hi >> (8 * (16 - len));
			} else {
				memcpy(&a, s, 4);
				memcpy(&b, s + len - 4, 4);
				b >>= 8 * (8 - len);
				lo = a | (uint64_t)b << 32;
				hi = 0;
			}
			v = _mm_set_epi64x((long long)hi, (long long)lo);
			p = _mm_slli_si128(v, 1);
			pp = _mm_slli_si128(v, 2);
			i = len;
		} else if (i + 16 <= len) {
			v = _mm_loadu_si128((const __m128i *)(s + i));
			if (i == 0) {
				p = _mm_slli_si128(v, 1);
				pp = _mm_slli_si128(v, 2);
			} else {
				p = _mm_loadu_si128((const __m128i *)
				    (s + i - 1));
				pp = _mm_loadu_si128((const __m128i *)
				    (s + i - 2));
			}
			i += 16;
		} else {
			/* The last 16 bytes; count the digits of new lanes. */
			j = len - 16;
			v = _mm_loadu_si128((const __m128i *)(s + j));
			p = _mm_loadu_si128((const __m128i *)(s + j - 1));
			pp = j >= 2 ?
			    _mm_loadu_si128((const __m128i *)(s + j - 2)) :
			    _mm_slli_si128(p, 1);
			one = _mm_loadu_si128((const __m128i *)
			    (lanes + (len - i)));
			i = len;
		}
		NIBBLES(v, vlo, vhi);
		NIBBLES(p, plo, phi);
		NIBBLES(pp, lo2, hi2);
		pairs = _mm_or_si128(pairs, _mm_and_si128(
		    _mm_and_si128(CLASSIFY(0, vlo, vhi), CLASSIFY(2, plo, phi)),
		    CLASSIFY(8, lo2, hi2)));
		v = CLASSIFY(4, vlo, vhi);
		misc = _mm_or_si128(misc, _mm_and_si128(v,
		    CLASSIFY(6, plo, phi)));
		dig = _mm_adds_epu8(dig, _mm_min_epu8(_mm_and_si128(v, one),
		    _mm_set1_epi8(1)));
		if (i >= len)
			break;
	}
	m = (unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(
	    pairs, _mm_set1_epi8(0x7f)), _mm_setzero_si128()));
	if (m != 0xffff)
		r |= PRE_SECRET;
	if (_mm_movemask_epi8(pairs))
		r |= PRE_UU;
	m = (unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(
	    misc, _mm_set1_epi8(0x01)), _mm_setzero_si128()));
	if (m != 0xffff)
		r |= PRE_PLUS;
	m = (unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(
	    misc, _mm_set1_epi8(0x04)), _mm_setzero_si128()));
	if (m != 0xffff)
		r |= PRE_AT;
	_mm_storeu_si128((__m128i *)sum, _mm_sad_epu8(dig,
	    _mm_setzero_si128()));
	*nd = sum[0] + sum[1];
	return (r);
}

/* Whether this CPU has SSSE3 (asked once). */
static int
have_ssse3(void)
{
	static int	 have = -1;

	if (have == -1)
		have = __builtin_cpu_supports("ssse3") ? 1 : 0;
	return (have);
}
#endif

/*
 * Whether s holds a byte that is not an ASCII letter or digit. Without
 * one, a cell that is not all digits is a single word with its digits
 * glued to letters (a hex digest, most identifiers), where no card, SSN
 * or phone number is ever found: those detectors are skipped.
 */
static int
has_separator(const unsigned char *s, size_t len)
{
	size_t	 i = 0;
#ifdef PREFILTER_SSSE3
	__m128i	 v, l, d, a, z9, z0, za, zz, low;

	z0 = _mm_set1_epi8('0' - 1);
	z9 = _mm_set1_epi8('9' + 1);
	za = _mm_set1_epi8('a' - 1);
	zz = _mm_set1_epi8('z' + 1);
	low = _mm_set1_epi8(0x20);
	for (; i + 16 <= len; i += 16) {
		v = _mm_loadu_si128((const __m128i *)(s + i));
		/* Signed compares: bytes past 0x7f are below '0'. */
		d = _mm_and_si128(_mm_cmpgt_epi8(v, z0),
		    _mm_cmplt_epi8(v, z9));
		l = _mm_or_si128(v, low);
		a = _mm_and_si128(_mm_cmpgt_epi8(l, za),
		    _mm_cmplt_epi8(l, zz));
		if (_mm_movemask_epi8(_mm_or_si128(d, a)) != 0xffff)
			return (1);
	}
#endif
	for (; i < len; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')))
			return (1);
	}
	return (0);
}

/* The prefilter: PRE_ bits, and the digit count in *nd. */
static inline unsigned int
prefilter(const unsigned char *s, size_t len, size_t *nd)
{
#ifdef PREFILTER_SSSE3
	if (have_ssse3())
		return (prefilter_ssse3(s, len, nd));
#endif
	return (prefilter_bytes(s, len, nd));
}

/*
 * Run the detectors in run over s; on findings, out gets the masked text
 * and *found their bits. Kept out of detect_mask() so that the common
 * case, the prefilter alone, pays for none of its state.
 */
static size_t __attribute__((noinline))
detect_run(unsigned int run, const unsigned char *s, size_t len,
    struct buf *out, unsigned int *found)
{
	struct findings		 f, g;
	struct buf		 mid;
	size_t			 n;

	f.v = f.fixed;
	f.n = f.nprior = f.cur = 0;
	f.cap = nitems(f.fixed);
	f.kinds = 0;
	if (run & DETECT_SECRET) {
		scan_secret(s, len, &f);
		findings_settle(&f);
	}
	if (run & DETECT_EMAIL) {
		scan_email(s, len, &f);
		findings_settle(&f);
	}
	if (run & DETECT_IBAN) {
		scan_iban(s, len, &f);
		findings_settle(&f);
	}
	n = f.n;
	if (!(run & (DETECT_CARD | DETECT_SSN | DETECT_PHONE))) {
		if (n > 0)
			emit(out, s, len, &f);
	} else if (n == 0) {
		scan_numeric(s, len, run, &f);
		n = f.n;
		if (n > 0)
			emit(out, s, len, &f);
	} else {
		/*
		 * Digits are looked for in the text with the findings so far
		 * already masked, as a second scan of the output would see
		 * it: then that scan finds no card or SSN this one missed.
		 */
		buf_init(&mid);
		emit(&mid, s, len, &f);
		g.v = g.fixed;
		g.n = g.nprior = g.cur = 0;
		g.cap = nitems(g.fixed);
		g.kinds = 0;
		scan_numeric((unsigned char *)mid.data, mid.len, run, &g);
		if (g.n > 0)
			emit(out, (unsigned char *)mid.data, mid.len, &g);
		else {
			buf_reset(out);
			buf_add(out, mid.data, mid.len);
		}
		n += g.n;
		f.kinds |= g.kinds;
		if (g.v != g.fixed)
			free(g.v);
		buf_free(&mid);
	}
	if (n > 0 && found != NULL)
		*found = f.kinds;
	if (f.v != f.fixed)
		free(f.v);
	return (n);
}

/*
 * Scan s with the detectors in kinds; on findings, out gets the masked
 * text. Most cells end at the prefilter.
 */
size_t
detect_mask(unsigned int kinds, const char *text, size_t len,
    struct buf *out, unsigned int *found)
{
	const unsigned char	*s = (const unsigned char *)text;
	unsigned int		 pre, run = 0;
	size_t			 nd;

	if (found != NULL)
		*found = 0;
	if (len < 6 || (kinds & DETECT_ALL) == 0)
		return (0);
	pre = prefilter(s, len, &nd);
	if ((kinds & DETECT_SECRET) && (pre & PRE_SECRET))
		run |= DETECT_SECRET;
	if ((kinds & DETECT_EMAIL) && (pre & PRE_AT))
		run |= DETECT_EMAIL;
	if ((kinds & DETECT_IBAN) && (pre & PRE_UU) && nd >= 8 && len >= 15)
		run |= DETECT_IBAN;
	if ((nd >= 9 || (nd == 8 && (pre & PRE_PLUS))) &&
	    (kinds & (DETECT_CARD | DETECT_SSN | DETECT_PHONE)) &&
	    (nd == len || has_separator(s, len)))
		run |= kinds & (DETECT_CARD | DETECT_SSN | DETECT_PHONE);
	if (run == 0)
		return (0);
	return (detect_run(run, s, len, out, found));
}

/*
 * Masking strategies.
 */

static const char *strategy_names[] = {
	"redact", "partial", "email", "null", "hash"
};

/* Parse a strategy name: 0 and *out, or -1. */
int
mask_strategy_parse(const char *name, enum mask_strategy *out)
{
	size_t	 i;

	for (i = 0; i < nitems(strategy_names); i++) {
		if (strcasecmp(name, strategy_names[i]) == 0) {
			*out = (enum mask_strategy)i;
			return (0);
		}
	}
	return (-1);
}

/* The name of a strategy, or NULL. */
const char *
mask_strategy_name(enum mask_strategy st)
{
	if ((size_t)st >= nitems(strategy_names))
		return (NULL);
	return (strategy_names[st]);
}

/*
 * The length of the UTF-8 character at s[i] (1 to 4), or 1 for a byte that
 * does not start a valid one.
 */
static size_t
utf8_len(const unsigned char *s, size_t len, size_t i)
{
	unsigned char	 c = s[i], lo = 0x80, hi = 0xbf;
	size_t		 n, k;

	if (c < 0x80)
		return (1);
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return (1);
	if (len - i < n || s[i + 1] < lo || s[i + 1] > hi)
		return (1);
	for (k = 2; k < n; k++) {
		if (s[i + k] < 0x80 || s[i + k] > 0xbf)
			return (1);
	}
	return (n);
}

/*
 * partial: the last keep letters or digits are kept, but never more than
 * half of them; every other letter or digit becomes one '*'; ASCII
 * punctuation, spaces and control bytes are kept. A non-ASCII character
 * counts as a letter; so does a byte that is not valid UTF-8, which is
 * never kept.
 */
static void
mask_partial(unsigned int keep, const unsigned char *s, size_t len,
    struct buf *out)
{
	unsigned char	*o;
	size_t		 i, n, count = 0, seen = 0, k, j = 0;
	int		 ascii = 1;

	for (i = 0; i < len; i++)
		ascii &= s[i] < 0x80;
	if (ascii) {
		for (i = 0; i < len; i++)
			count += (CLS(s[i]) & CT_ALNUM) != 0;
	} else {
		for (i = 0; i < len; i += n) {
			n = utf8_len(s, len, i);
			if (n > 1 || s[i] >= 0x80 || (CLS(s[i]) & CT_ALNUM))
				count++;
		}
	}
	k = keep;
	if (k > count / 2)
		k = count / 2;
	/* Every character becomes at most its own bytes: len is enough. */
	buf_reserve(out, len);
	o = (unsigned char *)out->data + out->len;
	for (i = 0; i < len; i += n) {
		n = ascii ? 1 : utf8_len(s, len, i);
		if (n == 1 && s[i] < 0x80 && !(CLS(s[i]) & CT_ALNUM))
			o[j++] = s[i];
		else if (seen++ >= count - k && (n > 1 || s[i] < 0x80)) {
			memcpy(o + j, s + i, n);
			j += n;
		} else
			o[j++] = '*';
	}
	out->len += j;
}

/* Mask one value with a strategy. */
void
mask_value(enum mask_strategy st, unsigned int keep,
    const unsigned char *key, const char *text, size_t len,
    struct buf *out, int *isnull)
{
	const unsigned char	*s = (const unsigned char *)text;
	unsigned char		 h[16];
	const unsigned char	*at;
	size_t			 i;
	static const char	 hex[] = "0123456789abcdef";

	buf_reset(out);
	if (isnull != NULL)
		*isnull = 0;
	if (s == NULL)
		s = (const unsigned char *)"";
	switch (st) {
	case MASK_PARTIAL:
		mask_partial(keep, s, len, out);
		break;
	case MASK_EMAIL:
		buf_adds(out, FIXED_MASK);
		for (at = NULL, i = len; i > 0; i--) {
			if (s[i - 1] == '@') {
				at = s + i - 1;
				break;
			}
		}
		/*
		 * Only the domain is kept: what follows it (a masked
		 * column's other text) is not scanned by anything else,
		 * so it goes.
		 */
		if (at != NULL && at + 1 < s + len) {
			for (i = (size_t)(at - s) + 1; i < len &&
			    (s[i] == '.' || s[i] == '-' || s[i] >= 0x80 ||
			    (CLS(s[i]) & CT_ALNUM)); i++)
				;
			buf_add(out, at, s + i - at);
		}
		break;
	case MASK_NULL:
		if (isnull != NULL)
			*isnull = 1;
		break;
	case MASK_HASH:
		if (key == NULL) {
			buf_adds(out, FIXED_MASK);
			break;
		}
		crypto_generichash(h, sizeof h, s, len, key, MASK_KEY_BYTES);
		for (i = 0; i < sizeof h; i++) {
			buf_addc(out, hex[h[i] >> 4]);
			buf_addc(out, hex[h[i] & 0xf]);
		}
		sodium_memzero(h, sizeof h);
		break;
	case MASK_REDACT:
	default:
		buf_adds(out, FIXED_MASK);
		break;
	}
}
