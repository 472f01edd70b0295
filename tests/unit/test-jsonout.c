/*
 * test-jsonout.c: jsonout must write exactly what jansson's compact dump
 * writes. Every check encodes the same value both ways and compares the
 * bytes: strings with every ASCII byte and multibyte characters, integer
 * and real edge cases, random reals at every precision, nested and
 * out-of-order objects.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "dbgate.h"
#include "jsonout.h"
#include "tap.h"

static unsigned long long	rng = 0x9e3779b97f4a7c15ULL;

/* A deterministic pseudo-random 64-bit number (xorshift). */
static unsigned long long
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (rng);
}

/* Whether jsonout and jansson agree on v (with precision prec). */
static int
same(const json_t *v, int prec, char **got, char **want)
{
	struct buf	 b;
	size_t		 flags = JSON_COMPACT | JSON_ENCODE_ANY;
	char		*j;
	int		 ok;

	if (prec > 0)
		flags |= JSON_REAL_PRECISION(prec);
	buf_init(&b);
	j = json_dumps(v, flags);
	if (jsonout_value(&b, v, prec) != 0) {
		ok = j == NULL;
		buf_free(&b);
		free(j);
		return (ok);
	}
	buf_cstr(&b);
	ok = j != NULL && strcmp(j, b.data) == 0;
	if (!ok && got != NULL) {
		*got = xstrdup(b.data);
		*want = j != NULL ? xstrdup(j) : xstrdup("(jansson failed)");
	}
	free(j);
	buf_free(&b);
	return (ok);
}

/* Check v (stolen) at prec; say what differs. */
static void
check(json_t *v, int prec, const char *what)
{
	char	*got = NULL, *want = NULL;

	if (!tap_ok(v != NULL && same(v, prec, &got, &want), "%s", what))
		printf("# got  %s\n# want %s\n", got ? got : "?",
		    want ? want : "?");
	free(got);
	free(want);
	json_decref(v);
}

/* Append code point c as UTF-8. */
static size_t
put_utf8(char *p, uint32_t c)
{
	if (c < 0x80) {
		p[0] = (char)c;
		return (1);
	}
	if (c < 0x800) {
		p[0] = (char)(0xc0 | c >> 6);
		p[1] = (char)(0x80 | (c & 0x3f));
		return (2);
	}
	if (c < 0x10000) {
		p[0] = (char)(0xe0 | c >> 12);
		p[1] = (char)(0x80 | (c >> 6 & 0x3f));
		p[2] = (char)(0x80 | (c & 0x3f));
		return (3);
	}
	p[0] = (char)(0xf0 | c >> 18);
	p[1] = (char)(0x80 | (c >> 12 & 0x3f));
	p[2] = (char)(0x80 | (c >> 6 & 0x3f));
	p[3] = (char)(0x80 | (c & 0x3f));
	return (4);
}

int
main(void)
{
	static const double	 reals[] = {
		0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 1.5, 100.0, 1e21, 1e22,
		1e-7, 1.5e-7, 123456789012345678.0, 1e300, -1e-300,
		DBL_MAX, DBL_MIN, 4.9e-324, 3.14159265358979, 2.5e15,
		12345.678, 0.001, 1e16, 9007199254740993.0
	};
	static const long long	 ints[] = {
		0, 1, -1, 9, 10, -10, 255, 1000000, LLONG_MAX, LLONG_MIN,
		LLONG_MIN + 1, 4294967296LL, -4294967296LL
	};
	char			 s[512];
	json_t			*o, *a, *inner;
	size_t			 i, n, len;
	int			 p, bad;
	union {
		double			 d;
		unsigned long long	 u;
	} bits;

	/* Every ASCII byte alone, and NUL inside a string. */
	bad = 0;
	for (i = 0; i < 128; i++) {
		s[0] = 'a';
		s[1] = (char)i;
		s[2] = 'z';
		o = json_stringn(s, 3);
		if (!same(o, 0, NULL, NULL))
			bad++;
		json_decref(o);
	}
	tap_ok(bad == 0, "every ASCII byte in a string (%d differ)", bad);
	check(json_string(""), 0, "the empty string");
	check(json_string("caf\xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x98\x80 "
	    "\xef\xbf\xbd \\ \" / \x7f"), 0, "multibyte, U+2028, escapes, DEL");

	/* Random valid strings, control characters included. */
	bad = 0;
	for (n = 0; n < 2000; n++) {
		len = 0;
		while (len < sizeof s - 8) {
			uint32_t	 c;

			switch (next() % 6) {
			case 0:
				c = (uint32_t)(next() % 0x20);
				break;
			case 1:
				c = (uint32_t)(0x80 + next() % 0x780);
				break;
			case 2:
				c = (uint32_t)(0x800 + next() % 0xd000);
				if (c >= 0xd800 && c < 0xe000)
					c = 0x2028;
				break;
			case 3:
				c = (uint32_t)(0x10000 + next() % 0x100000);
				break;
			default:
				c = (uint32_t)(0x20 + next() % 0x60);
				break;
			}
			len += put_utf8(s + len, c);
			if (next() % 40 == 0)
				break;
		}
		o = json_stringn(s, len);
		if (o == NULL || !same(o, 0, NULL, NULL))
			bad++;
		json_decref(o);
	}
	tap_ok(bad == 0, "2000 random strings (%d differ)", bad);

	for (i = 0; i < nitems(ints); i++) {
		char	 what[64];

		snprintf(what, sizeof what, "integer %lld", ints[i]);
		check(json_integer(ints[i]), 0, what);
	}
	bad = 0;
	for (n = 0; n < 5000; n++) {
		o = json_integer((json_int_t)(next() >> (next() % 64)) *
		    (next() % 2 ? 1 : -1));
		if (!same(o, 0, NULL, NULL))
			bad++;
		json_decref(o);
	}
	tap_ok(bad == 0, "5000 random integers (%d differ)", bad);

	/* Reals at the default precision and at every explicit one. */
	bad = 0;
	for (i = 0; i < nitems(reals); i++) {
		for (p = 0; p <= 17; p++) {
			o = json_real(reals[i]);
			if (!same(o, p, NULL, NULL)) {
				bad++;
				printf("# %.17g at %d\n", reals[i], p);
			}
			json_decref(o);
		}
	}
	tap_ok(bad == 0, "edge-case reals at precisions 0-17 (%d differ)",
	    bad);
	bad = 0;
	for (n = 0; n < 20000; n++) {
		bits.u = next();
		if (!isfinite(bits.d))
			continue;
		o = json_real(bits.d);
		if (!same(o, (int)(n % 18), NULL, NULL))
			bad++;
		json_decref(o);
	}
	tap_ok(bad == 0, "20000 random reals (%d differ)", bad);
	bad = 0;
	for (n = 0; n < 20000; n++) {
		/* Millisecond timings: short decimals. */
		o = json_real((double)(next() % 100000000) / 1000.0);
		if (!same(o, (int)(n % 18), NULL, NULL))
			bad++;
		json_decref(o);
	}
	tap_ok(bad == 0, "20000 millisecond-like reals (%d differ)", bad);

	/* Milliseconds: exactly what %.15g gives, and that reads back. */
	bad = 0;
	for (n = 0; n < 200000; n++) {
		struct buf	 m, want;
		long long	 k;

		switch (n % 4) {
		case 0:
			k = (long long)(n / 4);
			break;
		case 1:
			k = (long long)(next() % 100000000ULL);
			break;
		case 2:
			k = (long long)(next() % 1000000000000000ULL);
			break;
		default:
			k = (long long)(next() % 1000) * 1000 +
			    (long long)(next() % 10) * 100;
			break;
		}
		buf_init(&m);
		buf_init(&want);
		jsonout_millis(&m, k);
		(void)jsonout_real(&want, (double)k / 1000.0, 15);
		buf_cstr(&m);
		buf_cstr(&want);
		if (strcmp(m.data, want.data) != 0 ||
		    strtod(m.data, NULL) != (double)k / 1000.0) {
			if (bad++ < 5)
				printf("# %lld: %s, want %s\n", k, m.data,
				    want.data);
		}
		buf_free(&m);
		buf_free(&want);
	}
	tap_ok(bad == 0, "200000 millisecond values (%d differ)", bad);

	/* Containers: order of insertion, replaced keys, nesting. */
	check(json_object(), 0, "empty object");
	check(json_array(), 0, "empty array");
	o = json_object();
	json_object_set_new(o, "zeta", json_integer(1));
	json_object_set_new(o, "alpha", json_string("x"));
	json_object_set_new(o, "mid\"dle\n", json_null());
	json_object_set_new(o, "zeta", json_real(2.5));
	json_object_set_new(o, "t", json_true());
	json_object_set_new(o, "f", json_false());
	a = json_array();
	json_array_append_new(a, json_integer(-3));
	json_array_append_new(a, json_object());
	inner = json_object();
	json_object_set_new(inner, "b", json_array());
	json_object_set_new(inner, "a", json_string("\t"));
	json_array_append_new(a, inner);
	json_object_set_new(o, "list", a);
	check(json_incref(o), 0, "nested, out of order, a replaced key");
	check(json_incref(o), 3, "the same with precision 3");
	tap_ok(json_object_setn_new(o, "k\0ey", 4, json_integer(7)) == 0,
	    "a key with NUL");
	check(o, 0, "a key with NUL in it");

	tap_done();
	return (tap_failed != 0);
}
