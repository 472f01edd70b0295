/*
 * test-detect.c: the value detectors (true positives with their exact
 * masked text, near-misses that must not fire, idempotence, bounds) and
 * the masking strategies.
 *
 * Card numbers are the networks' published test numbers; each Luhn
 * verdict and IBAN check was confirmed with a few lines of python3 (sum
 * of doubled digits, int(rearranged, 36 per char) % 97).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "dbgate.h"
#include "detect.h"

#include "tap.h"

/* A positive: kinds, input, the exact masked text, the bits that fire. */
struct pos {
	unsigned int	 kinds;
	const char	*in;
	const char	*want;
	unsigned int	 found;
};

static const struct pos positives[] = {
	/* email */
	{ DETECT_ALL, "bob.smith@example.com", "****@example.com",
	    DETECT_EMAIL },
	{ DETECT_ALL, "Contact: alice+tag@mail.example.co.uk.",
	    "Contact: ****@mail.example.co.uk.", DETECT_EMAIL },
	{ DETECT_EMAIL, "a@b.co", "****@b.co", DETECT_EMAIL },
	{ DETECT_ALL, "x@a.org, y_z@b.org", "****@a.org, ****@b.org",
	    DETECT_EMAIL },
	{ DETECT_ALL, "<O'Neil@Example.COM>", "<****@Example.COM>",
	    DETECT_EMAIL },

	/* ssn */
	{ DETECT_ALL, "123-45-6789", "***-**-6789", DETECT_SSN },
	{ DETECT_ALL, "SSN: 078-05-1120.", "SSN: ***-**-1120.", DETECT_SSN },
	{ DETECT_SSN, "ssn 123 45 6789", "ssn *** ** 6789", DETECT_SSN },
	{ DETECT_ALL, "(123-45-6789)", "(***-**-6789)", DETECT_SSN },

	/* card */
	{ DETECT_ALL, "4111111111111111", "************1111", DETECT_CARD },
	{ DETECT_ALL, "4111 1111 1111 1111", "**** **** **** 1111",
	    DETECT_CARD },
	{ DETECT_CARD, "4111-1111-1111-1111", "****-****-****-1111",
	    DETECT_CARD },
	{ DETECT_ALL, "card 5555555555554444 exp 12/25",
	    "card ************4444 exp 12/25", DETECT_CARD },
	{ DETECT_ALL, "378282246310005", "***********0005", DETECT_CARD },
	{ DETECT_ALL, "3782 822463 10005", "**** ****** *0005", DETECT_CARD },
	{ DETECT_ALL, "6011111111111117", "************1117", DETECT_CARD },
	{ DETECT_ALL, "30569309025904", "**********5904", DETECT_CARD },
	{ DETECT_ALL, "3530111333300000", "************0000", DETECT_CARD },
	{ DETECT_ALL, "2223003122003222", "************3222", DETECT_CARD },
	{ DETECT_ALL, "4222222222222", "*********2222", DETECT_CARD },
	{ DETECT_ALL, "paid with 4111111111111111.",
	    "paid with ************1111.", DETECT_CARD },
	{ DETECT_ALL, "1,4111111111111111,x", "1,************1111,x",
	    DETECT_CARD },

	/* phone */
	{ DETECT_ALL, "(555) 123-4567", "(***) ***-**67", DETECT_PHONE },
	{ DETECT_ALL, "555-123-4567", "***-***-**67", DETECT_PHONE },
	{ DETECT_ALL, "555.123.4567", "***.***.**67", DETECT_PHONE },
	{ DETECT_PHONE, "555 123 4567", "*** *** **67", DETECT_PHONE },
	{ DETECT_ALL, "+44 20 7946 0958", "+** ** **** **58", DETECT_PHONE },
	{ DETECT_ALL, "+1 (555) 123-4567", "+* (***) ***-**67",
	    DETECT_PHONE },
	{ DETECT_ALL, "+14155552671", "+*********71", DETECT_PHONE },
	{ DETECT_ALL, "tel:+33 1 23 45 67 89", "tel:+** * ** ** ** 89",
	    DETECT_PHONE },
	{ DETECT_ALL, "call 1-800-555-1234 now", "call *-***-***-**34 now",
	    DETECT_PHONE },
	{ DETECT_ALL, "020 7946 0958", "*** **** **58", DETECT_PHONE },
	{ DETECT_ALL, "06 12 34 56 78", "** ** ** ** 78", DETECT_PHONE },
	{ DETECT_ALL, "call 555-123-4567 at 12:30",
	    "call ***-***-**67 at 12:30", DETECT_PHONE },

	/* iban */
	{ DETECT_ALL, "GB29 NWBK 6016 1331 9268 19",
	    "GB** **** **** **** **68 19", DETECT_IBAN },
	{ DETECT_ALL, "GB29NWBK60161331926819", "GB****************6819",
	    DETECT_IBAN },
	{ DETECT_IBAN, "DE89370400440532013000", "DE****************3000",
	    DETECT_IBAN },
	{ DETECT_ALL, "IBAN: FR14 2004 1010 0505 0001 3M02 606.",
	    "IBAN: FR** **** **** **** **** ***2 606.", DETECT_IBAN },
	{ DETECT_ALL, "NO9386011117947", "NO*********7947", DETECT_IBAN },

	/* secret */
	{ DETECT_ALL, "aws id AKIAIOSFODNN7EXAMPLE.", "aws id [secret].",
	    DETECT_SECRET },
	{ DETECT_ALL, "ASIAY34FZKBOKMUTVV7A", "[secret]", DETECT_SECRET },
	{ DETECT_ALL,
	    "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl end",
	    "token [secret] end", DETECT_SECRET },
	{ DETECT_ALL, "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n"
	    "-----END RSA PRIVATE KEY-----\nafter", "[secret]\nafter",
	    DETECT_SECRET },
	{ DETECT_ALL, "key: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg",
	    "key: [secret]", DETECT_SECRET },
	{ DETECT_ALL, "Bearer abcdefghijklmnopqrstuvwxyz0123",
	    "Bearer [secret]", DETECT_SECRET },
	{ DETECT_ALL, "Authorization: Basic dXNlcjpwYXNzd29yZA==",
	    "Authorization: Basic [secret]", DETECT_SECRET },
	{ DETECT_ALL, "password=hunter22&user=bob",
	    "password=[secret]&user=bob", DETECT_SECRET },
	{ DETECT_ALL, "{\"api_key\": \"abc123def\"}",
	    "{\"api_key\": \"[secret]\"}", DETECT_SECRET },
	{ DETECT_ALL, "DB_PASSWORD = 'top secret'",
	    "DB_PASSWORD = '[secret]'", DETECT_SECRET },
	{ DETECT_ALL, "postgres://app:s3cret@db.internal:5432/app",
	    "postgres://app:[secret]@db.internal:5432/app", DETECT_SECRET },
	{ DETECT_ALL, "ALTER ROLE bob PASSWORD 'x''yz'",
	    "ALTER ROLE bob PASSWORD '[secret]'", DETECT_SECRET },
	{ DETECT_ALL, "CREATE USER u IDENTIFIED BY 'pw1'",
	    "CREATE USER u IDENTIFIED BY '[secret]'", DETECT_SECRET },
	{ DETECT_ALL, "WITH\n\tPASSWORD\t'abcdef'",
	    "WITH\n\tPASSWORD\t'[secret]'", DETECT_SECRET },

	/* several kinds in one text */
	{ DETECT_ALL, "Bob, bob@example.com, 4111 1111 1111 1111, "
	    "SSN 123-45-6789", "Bob, ****@example.com, **** **** **** 1111, "
	    "SSN ***-**-6789", DETECT_EMAIL | DETECT_CARD | DETECT_SSN },
	{ DETECT_ALL, "123-45-6789 4111 1111 1111 1111",
	    "***-**-6789 **** **** **** 1111", DETECT_SSN | DETECT_CARD },
	{ DETECT_ALL, "4111111111111111@example.com", "****@example.com",
	    DETECT_EMAIL },
	{ DETECT_ALL, "https://user@example.com/", "https://****@example.com/",
	    DETECT_EMAIL },
	{ DETECT_ALL, "378282246310005 0", "***********0005 0", DETECT_CARD },
	/* space-grouped digits may be several numbers: the longest first */
	{ DETECT_ALL, "4111 1111 1111 1111 1111", "**** **** **** 1111 1111",
	    DETECT_CARD },
	{ DETECT_ALL, "123 45 6789 12", "*** ** 6789 12", DETECT_SSN },
	{ DETECT_ALL, "+44 20 7946 0958 4111 1111 1111 1111",
	    "+** ** **** **58 **** **** **** 1111",
	    DETECT_PHONE | DETECT_CARD },
	{ DETECT_ALL, "4111 1111 1111 1111 4111 1111 1111 1111",
	    "**** **** **** 1111 **** **** **** 1111", DETECT_CARD },
	/* only digits of the last group are kept (else "434 12 8389"...) */
	{ DETECT_ALL, "5110 13362 8389 434 12 8389",
	    "**** ***** **** 434 12 8389", DETECT_CARD },
	{ DETECT_ALL, "4222 2222 2222 2", "**** **** **** 2", DETECT_CARD },
	{ DETECT_ALL, "+33 1 23 45 67 8 9", "+** * ** ** ** * 9", DETECT_PHONE },
	/* digits next to other findings: as in the masked text */
	{ DETECT_ALL, "GB29 NWBK 6016 1331 9268 19 555-123-4567",
	    "GB** **** **** **** **68 19 ***-***-**67",
	    DETECT_IBAN | DETECT_PHONE },
	{ DETECT_ALL, "password=abc 123-45-6789",
	    "password=[secret] ***-**-6789", DETECT_SECRET | DETECT_SSN },
};

/* Near-misses: kinds and input; nothing may be found. */
struct neg {
	unsigned int	 kinds;
	const char	*in;
};

static const struct neg negatives[] = {
	/* email */
	{ DETECT_ALL, "a@b" },
	{ DETECT_ALL, "user@localhost" },
	{ DETECT_ALL, "@example.com" },
	{ DETECT_ALL, "bob@ is here" },
	{ DETECT_ALL, "foo@bar.c" },
	{ DETECT_ALL, "bob@-example.com" },
	{ DETECT_ALL, "version 1.2@3.4" },
	{ DETECT_ALL, "@@@@@@@@" },
	{ DETECT_ALL, "****@example.com" },

	/* ssn */
	{ DETECT_ALL, "123456789" },
	{ DETECT_ALL, "order 123456789 shipped" },
	{ DETECT_ALL, "000-12-3456" },
	{ DETECT_ALL, "666-12-3456" },
	{ DETECT_ALL, "900-12-3456" },
	{ DETECT_ALL, "123-00-4567" },
	{ DETECT_ALL, "123-45-0000" },
	{ DETECT_ALL, "123-45-67890" },
	{ DETECT_ALL, "1123-45-6789" },
	{ DETECT_ALL, "x123-45-6789" },
	{ DETECT_ALL, "123-45-6789x" },
	{ DETECT_ALL, "123.45.6789" },
	{ DETECT_ALL, "123-45 6789" },
	{ DETECT_ALL, "ORD-123-45-6789" },

	/* card */
	{ DETECT_ALL, "4111111111111112" },		/* Luhn */
	{ DETECT_ALL, "4111 1111 1111 1112" },		/* Luhn */
	{ DETECT_ALL, "12345678901234567890" },
	{ DETECT_ALL, "41111111111111111115" },		/* 20, Luhn-valid */
	{ DETECT_ALL, "x4111111111111111" },
	{ DETECT_ALL, "4111111111111111x" },
	{ DETECT_ALL, "1234567812345670" },		/* Luhn, no issuer */
	{ DETECT_ALL, "0000000000000000" },		/* Luhn, no issuer */
	{ DETECT_ALL, "7111111111111114" },		/* Luhn, no issuer */
	{ DETECT_ALL, "4111-1111 1111-1111" },
	{ DETECT_ALL, "3.141592653589793" },
	{ DETECT_ALL, "12345.4111111111111111" },
	{ DETECT_ALL, "**** **** **** 4111 1111 1111 1111" },
	{ DETECT_CARD | DETECT_SSN, "bob@example.com 555-123-4567" },

	/* phone */
	{ DETECT_ALL, "2024-01-15" },
	{ DETECT_ALL, "2024-01-15 12:34:56" },
	{ DETECT_ALL, "2024-01-15 12:34:56.123456+00" },
	{ DETECT_ALL, "2024-01-15T12:34:56Z" },
	{ DETECT_ALL, "15.01.2024 10:00" },
	{ DETECT_ALL, "01/15/2024" },
	{ DETECT_ALL, "10.0.0.1" },
	{ DETECT_ALL, "192.168.100.200" },
	{ DETECT_ALL, "ip 203.0.113.195:8080" },
	{ DETECT_ALL, "v1.2.3" },
	{ DETECT_ALL, "version 10.20.300-4000" },
	{ DETECT_ALL, "+123" },
	{ DETECT_ALL, "+0123456789" },
	{ DETECT_ALL, "+1234567890123456" },
	{ DETECT_ALL, "5551234567" },
	{ DETECT_ALL, "123-456-7890" },
	{ DETECT_ALL, "100 200 3000" },
	{ DETECT_ALL, "$1,234,567.89" },
	{ DETECT_ALL, "12:34:56.789" },
	{ DETECT_ALL, "550e8400-e29b-41d4-a716-446655440000" },
	{ DETECT_ALL, "978-3-16-148410-0" },
	{ DETECT_ALL, "x555-123-4567" },
	{ DETECT_ALL, "555-123-4567.5" },

	/* iban */
	{ DETECT_ALL, "GB28 NWBK 6016 1331 9268 19" },	/* check digits */
	{ DETECT_ALL, "GB28NWBK60161331926819" },
	{ DETECT_ALL, "GB29NWBK6016133192681" },	/* short */
	{ DETECT_ALL, "GB29 NWBK 6016 1331 9268 1" },
	{ DETECT_ALL, "XX29NWBK60161331926819" },	/* no such country */
	{ DETECT_ALL, "gb29nwbk60161331926819" },
	{ DETECT_ALL, "GB29NWBK60161331926819X" },
	{ DETECT_ALL, "XGB29NWBK60161331926819" },
	{ DETECT_ALL, "GB29  NWBK 6016 1331 9268 19" },

	/* secret */
	{ DETECT_ALL, "AKIAIOSFODNN7EXAMPL" },
	{ DETECT_ALL, "AKIAIOSFODNN7EXAMPLEX" },
	{ DETECT_ALL, "XAKIAIOSFODNN7EXAMPLE" },
	{ DETECT_ALL, "akiaiosfodnn7example" },
	{ DETECT_ALL, "eyJhbGciOiJIUzI1NiJ9" },
	{ DETECT_ALL, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0" },
	{ DETECT_ALL, "-----BEGIN CERTIFICATE-----\nMIIB\n"
	    "-----END CERTIFICATE-----" },
	{ DETECT_ALL, "-----BEGIN PUBLIC KEY-----\nMIIB\n"
	    "-----END PUBLIC KEY-----" },
	{ DETECT_ALL, "Bearer short" },
	{ DETECT_ALL, "the bearer of bad news arrived late today" },
	{ DETECT_ALL, "password=ab" },
	{ DETECT_ALL, "password=[secret]" },
	{ DETECT_ALL, "my password is long enough" },
	{ DETECT_ALL, "sort_key=abcdef" },
	{ DETECT_ALL, "by 'abcdef'" },
	{ DETECT_ALL, "written by 'Anonymous'" },
	{ DETECT_ALL, "https://example.com/a:b@c" },
	{ DETECT_ALL, "https://example.com/@user.name" },
	{ DETECT_EMAIL, "password=hunter22" },

	/* ordinary text */
	{ DETECT_ALL, "Jean-Pierre Dubois" },
	{ DETECT_ALL, "The order was shipped to the customer on time." },
	{ DETECT_ALL, "{\"theme\": \"dark\", \"items\": 12}" },
	{ DETECT_ALL, "https://shop.example.com/products/12345?ref=home" },
	{ DETECT_ALL, "ORD-2024-000123" },
	{ DETECT_ALL, "Zoë Müller, 東京都" },
	{ DETECT_ALL, "" },
	{ DETECT_ALL, "12345" },
	{ 0, "bob@example.com 4111111111111111" },
};

/* Run detect_mask on an exact-size heap copy of n bytes of in. */
static size_t
run(unsigned int kinds, const char *in, size_t n, struct buf *out,
    unsigned int *found)
{
	char	*copy;
	size_t	 r;

	copy = xmalloc(n == 0 ? 1 : n);
	memcpy(copy, in, n);
	r = detect_mask(kinds, n == 0 ? copy + 1 : copy, n, out, found);
	free(copy);
	return (r);
}

/* Positives: exact text, bits, and nothing new in their own output. */
static void
test_positives(void)
{
	struct buf	 out, again;
	unsigned int	 found;
	size_t		 i, n;
	char		*masked;

	buf_init(&out);
	buf_init(&again);
	for (i = 0; i < nitems(positives); i++) {
		const struct pos	*p = &positives[i];

		found = 0;
		n = run(p->kinds, p->in, strlen(p->in), &out, &found);
		tap_ok(n > 0, "found in \"%s\"", p->in);
		if (n == 0)
			continue;
		tap_is(buf_cstr(&out), p->want, "masked \"%s\"", p->in);
		tap_ok(found == p->found, "bits %#x for \"%s\" (got %#x)",
		    p->found, p->in, found);
		masked = xstrndup(out.data, out.len);
		n = run(DETECT_ALL, masked, strlen(masked), &again, NULL);
		tap_ok(n == 0, "nothing in masked \"%s\"", masked);
		free(masked);
	}
	buf_free(&out);
	buf_free(&again);
}

/* Negatives: nothing found, out untouched, found cleared. */
static void
test_negatives(void)
{
	struct buf	 out;
	unsigned int	 found;
	size_t		 i, n;

	buf_init(&out);
	for (i = 0; i < nitems(negatives); i++) {
		buf_reset(&out);
		buf_adds(&out, "untouched");
		found = 99;
		n = run(negatives[i].kinds, negatives[i].in,
		    strlen(negatives[i].in), &out, &found);
		tap_ok(n == 0 && found == 0 &&
		    strcmp(buf_cstr(&out), "untouched") == 0,
		    "nothing in \"%s\" (kinds %#x)", negatives[i].in,
		    negatives[i].kinds);
	}
	buf_free(&out);
}

/* Bounds, NUL bytes, many findings, odd bytes. */
static void
test_edges(void)
{
	static const char	 nul[] = "4111111111111111\0bob@example.com";
	static const char	 nulwant[] =
	    "************1111\0****@example.com";
	struct buf		 out, want;
	char			*big;
	size_t			 n, i;
	unsigned char		 junk[4096];
	uint32_t		 x = 12345;

	buf_init(&out);
	buf_init(&want);

	/* What lies past len does not count. */
	tap_ok(run(DETECT_ALL, "4111111111111111", 15, &out, NULL) == 0,
	    "15 of 16 card digits: nothing");
	tap_ok(run(DETECT_ALL, "bob@example.com", 13, &out, NULL) == 0,
	    "bob@example.c: nothing");
	tap_ok(run(DETECT_ALL, "123-45-6789", 10, &out, NULL) == 0,
	    "123-45-678: nothing");
	tap_ok(run(DETECT_ALL, "AKIAIOSFODNN7EXAMPLE", 19, &out, NULL) == 0,
	    "19 bytes of an AWS key: nothing");
	n = run(DETECT_ALL, "4111111111111111 and more", 16, &out, NULL);
	tap_ok(n == 1 && out.len == 16 &&
	    memcmp(out.data, "************1111", 16) == 0,
	    "a card that ends at len");
	tap_ok(detect_mask(DETECT_ALL, NULL, 0, &out, NULL) == 0,
	    "NULL, 0: nothing");
	tap_ok(detect_mask(DETECT_ALL, "4111111111111111", 16, &out, NULL) == 1,
	    "found may be NULL");

	/* NUL bytes are text like any other. */
	n = run(DETECT_ALL, nul, sizeof nul - 1, &out, NULL);
	tap_ok(n == 2 && out.len == sizeof nulwant - 1 &&
	    memcmp(out.data, nulwant, out.len) == 0,
	    "a card and an email around a NUL");

	/* Many findings in one text. */
	buf_reset(&want);
	{
		struct buf	 in;

		buf_init(&in);
		for (i = 0; i < 300; i++) {
			buf_printf(&in, "%suser%zu@host%zu.example.org",
			    i ? ", " : "", i, i);
			buf_printf(&want, "%s****@host%zu.example.org",
			    i ? ", " : "", i);
		}
		n = run(DETECT_ALL, in.data, in.len, &out, NULL);
		tap_ok(n == 300 && out.len == want.len &&
		    memcmp(out.data, want.data, out.len) == 0,
		    "300 emails in one text (%zu found)", n);
		buf_free(&in);
	}

	/* Cells of every length around the prefilter's 16-byte blocks. */
	big = xmalloc(64);
	for (i = 16; i <= 48; i++) {
		memset(big, 'x', i);
		if (i > 16)
			big[i - 17] = ' ';
		memcpy(big + i - 16, "4111111111111111", 16);
		n = run(DETECT_CARD, big, i, &out, NULL);
		tap_ok(n == 1 && out.len == i &&
		    memcmp(out.data + i - 4, "1111", 4) == 0 &&
		    out.data[i - 5] == '*' && out.data[i - 16] == '*',
		    "a card at the end of %zu bytes", i);
	}
	for (i = 7; i <= 48; i++) {
		memset(big, 'y', i);
		big[0] = 'a';
		memcpy(big + i - 6, "@ex.io", 6);
		n = run(DETECT_EMAIL, big, i, &out, NULL);
		tap_ok(n == 1 && out.len == 10 &&
		    memcmp(out.data, "****@ex.io", 10) == 0,
		    "an email of %zu bytes", i);
	}
	for (i = 9; i <= 48; i++) {
		memset(big, ' ', i);
		memcpy(big + i - 9, "+12345678", 9);
		n = run(DETECT_PHONE, big, i, &out, NULL);
		tap_ok(n == 1 && out.len == i &&
		    memcmp(out.data + i - 9, "+******78", 9) == 0,
		    "+ and 8 digits at the end of %zu bytes", i);
	}
	free(big);

	/* A span of many groups: where it starts does not matter. */
	buf_reset(&want);
	{
		struct buf	 in;

		buf_init(&in);
		for (i = 0; i < 200; i++) {
			buf_adds(&in, "1 ");
			buf_adds(&want, "1 ");
		}
		buf_adds(&in, "4111 1111 1111 1111 2 3");
		buf_adds(&want, "**** **** **** 1111 2 3");
		n = run(DETECT_ALL, in.data, in.len, &out, NULL);
		tap_ok(n == 1 && out.len == want.len &&
		    memcmp(out.data, want.data, out.len) == 0,
		    "a card after 200 one-digit groups");
		buf_free(&in);
	}

	/* Random bytes: no crash, output bounded. */
	for (i = 0; i < sizeof junk; i++) {
		x = x * 1103515245 + 12345;
		junk[i] = (unsigned char)(x >> 16);
	}
	n = 0;
	for (i = 0; i + 64 <= sizeof junk; i += 37) {
		if (run(DETECT_ALL, (char *)junk + i, 64, &out, NULL) != 0 &&
		    out.len > 4 * 64 + 64)
			n++;
	}
	tap_ok(n == 0, "random bytes: output bounded");

	buf_free(&out);
	buf_free(&want);
}

/* Detect words and names. */
static void
test_parse(void)
{
	unsigned int	 bits, i;
	const char	*name;

	for (i = 0; i < DETECT_NKINDS; i++) {
		name = detect_name(i);
		tap_ok(name != NULL && detect_parse(name, &bits) == 0 &&
		    bits == 1u << i, "detector %u: %s", i,
		    name ? name : "(null)");
	}
	tap_ok(detect_name(DETECT_NKINDS) == NULL, "no detector past the last");
	tap_ok(detect_parse("all", &bits) == 0 && bits == DETECT_ALL, "all");
	tap_ok(detect_parse("none", &bits) == 0 && bits == 0, "none");
	tap_ok(detect_parse("IBAN", &bits) == 0 && bits == DETECT_IBAN,
	    "IBAN in capitals");
	bits = 77;
	tap_ok(detect_parse("emails", &bits) == -1 && bits == 77,
	    "emails: not a detector, bits untouched");
	tap_ok(detect_parse("", &bits) == -1, "empty word");
	tap_is(detect_name(2), "card", "bit 2 is card");
}

/* Mask one value, returning it as a C string in out. */
static const char *
mv(enum mask_strategy st, unsigned int keep, const unsigned char *key,
    const char *s, size_t len, struct buf *out, int *isnull)
{
	char	*copy;

	copy = xmalloc(len == 0 ? 1 : len);
	memcpy(copy, s, len);
	mask_value(st, keep, key, copy, len, out, isnull);
	free(copy);
	return (buf_cstr(out));
}

#define MV(st, keep, s) mv((st), (keep), key, (s), strlen(s), &out, &isnull)

/* The strategies. */
static void
test_strategies(void)
{
	unsigned char		 key[MASK_KEY_BYTES], key2[MASK_KEY_BYTES];
	struct buf		 out;
	int			 isnull;
	size_t			 i;
	enum mask_strategy	 st;
	char			*a;
	const char		*h;

	for (i = 0; i < sizeof key; i++) {
		key[i] = (unsigned char)i;
		key2[i] = (unsigned char)i;
	}
	key2[0] = 1;
	buf_init(&out);

	/* names */
	tap_ok(mask_strategy_parse("redact", &st) == 0 && st == MASK_REDACT,
	    "redact");
	tap_ok(mask_strategy_parse("partial", &st) == 0 && st == MASK_PARTIAL,
	    "partial");
	tap_ok(mask_strategy_parse("EMAIL", &st) == 0 && st == MASK_EMAIL,
	    "EMAIL");
	tap_ok(mask_strategy_parse("null", &st) == 0 && st == MASK_NULL,
	    "null");
	tap_ok(mask_strategy_parse("hash", &st) == 0 && st == MASK_HASH,
	    "hash");
	st = MASK_HASH;
	tap_ok(mask_strategy_parse("hide", &st) == -1 && st == MASK_HASH,
	    "hide: no strategy, out untouched");
	tap_is(mask_strategy_name(MASK_PARTIAL), "partial", "name partial");
	tap_is(mask_strategy_name(MASK_HASH), "hash", "name hash");
	tap_ok(mask_strategy_name((enum mask_strategy)42) == NULL,
	    "no name for 42");

	/* redact: the same mask whatever the length */
	isnull = 7;
	tap_is(MV(MASK_REDACT, 0, "secret"), "****", "redact");
	tap_ok(isnull == 0, "redact: not NULL");
	tap_is(MV(MASK_REDACT, 0, "a much longer secret value"), "****",
	    "redact: no length leak");
	tap_is(MV(MASK_REDACT, 0, ""), "****", "redact empty");

	/* partial */
	tap_is(MV(MASK_PARTIAL, 4, "4242 4242 4242 4242"),
	    "**** **** **** 4242", "partial 4 of a card");
	tap_is(MV(MASK_PARTIAL, 4, "1234"), "**34",
	    "partial 4 of 1234 keeps half");
	tap_is(MV(MASK_PARTIAL, 4, "123-45-6789"), "***-**-6789",
	    "partial 4 of an SSN");
	tap_is(MV(MASK_PARTIAL, 4, "abc"), "**c", "partial 4 of abc");
	tap_is(MV(MASK_PARTIAL, 0, "a.b/c@d e"), "*.*/*@* *",
	    "partial 0: separators kept");
	tap_is(MV(MASK_PARTIAL, 3, "Zoë Müller"), "*** ***ler",
	    "partial 3, UTF-8 letters count once");
	tap_is(MV(MASK_PARTIAL, 2, "日本語テキスト"), "*****スト",
	    "partial 2 of CJK");
	tap_is(MV(MASK_PARTIAL, 0, "éé"), "**", "one * per character");
	tap_is(MV(MASK_PARTIAL, 1, "\xff\xfe" "ab"), "***b",
	    "invalid bytes count as letters");
	tap_is(MV(MASK_PARTIAL, 2, "\xe6\x97"), "**",
	    "a cut UTF-8 sequence is masked");
	tap_is(MV(MASK_PARTIAL, 4, ""), "", "partial of empty");
	tap_is(MV(MASK_PARTIAL, 100, "+1 (555) 123-4567"),
	    "+* (***) **3-4567", "partial 100 keeps half at most");

	/* email */
	tap_is(MV(MASK_EMAIL, 0, "bob@example.com"), "****@example.com",
	    "email");
	tap_is(MV(MASK_EMAIL, 0, "no-at-sign"), "****", "email without @");
	tap_is(MV(MASK_EMAIL, 0, "a@b@evil.com"), "****@evil.com",
	    "email: the last @");
	tap_is(MV(MASK_EMAIL, 0, "bob@"), "****", "email without domain");
	tap_is(MV(MASK_EMAIL, 0, "x@corp.com phone 555-123-4567"),
	    "****@corp.com", "email: what follows the domain goes");
	tap_is(MV(MASK_EMAIL, 0, "ann@m\xc3\xbcnchen.de"),
	    "****@m\xc3\xbcnchen.de", "email: a non-ASCII domain is kept");
	tap_is(MV(MASK_EMAIL, 0, ""), "****", "email empty");

	/* null */
	isnull = 0;
	buf_adds(&out, "x");
	mv(MASK_NULL, 0, key, "value", 5, &out, &isnull);
	tap_ok(isnull == 1 && out.len == 0, "null");

	/*
	 * hash. Expected values from python3:
	 * hashlib.blake2b(v, key=bytes(range(32)), digest_size=16).hexdigest()
	 */
	h = MV(MASK_HASH, 0, "alice@example.com");
	tap_is(h, "5e6c9ded4b512df3e49598a25df84679", "hash of an email");
	tap_ok(isnull == 0, "hash: not NULL");
	tap_is(MV(MASK_HASH, 0, ""), "3daf97bce7888fd59773c66bf647459c",
	    "hash of empty");
	a = xstrdup(MV(MASK_HASH, 0, "same value"));
	tap_is(MV(MASK_HASH, 0, "same value"), a, "equal values, equal hash");
	tap_ok(strlen(a) == 32 && strspn(a, "0123456789abcdef") == 32,
	    "32 lowercase hex digits");
	tap_ok(strcmp(MV(MASK_HASH, 0, "same valuf"), a) != 0,
	    "another value, another hash");
	tap_ok(strcmp(mv(MASK_HASH, 0, key2, "same value", 10, &out,
	    &isnull), a) != 0, "another key, another hash");
	/* the same python3 call with key bytes 1, 1, 2, ..., 31 */
	tap_is(mv(MASK_HASH, 0, key2, "alice@example.com", 17, &out, &isnull),
	    "31c5d1b5029ea70c071d17cd69aee063", "hash with the other key");
	free(a);
	tap_is(mv(MASK_HASH, 0, NULL, "x", 1, &out, &isnull), "****",
	    "hash without a key: redacted");

	buf_free(&out);
}

int
main(void)
{
	if (sodium_init() < 0)
		return (1);
	test_positives();
	test_negatives();
	test_edges();
	test_parse();
	test_strategies();
	return (tap_done());
}
