/*
 * jsonout.c: compact JSON encoding matching jansson's compact output; see
 * jsonout.h. Strings must be valid UTF-8 (jansson's strings are); bytes
 * are copied as they are except '"', '\\' and the C0 controls.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jsonout.h"

/* Which bytes need escaping: 1 for a short escape, 2 for \u00XX. */
static const unsigned char jsonout_esc[256] = {
	2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 1, 1, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
};

/* Append a JSON string. */
void
jsonout_string(struct buf *b, const char *s, size_t len)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, run;
	char			*o;

	/* Worst case: every byte as \u00XX, and the quotes. */
	buf_reserve(b, len + 2);
	b->data[b->len++] = '"';
	for (i = 0; i < len; ) {
		for (run = i; run < len && jsonout_esc[p[run]] == 0; run++)
			;
		if (run > i) {
			buf_add(b, s + i, run - i);
			i = run;
			if (i == len)
				break;
		}
		buf_reserve(b, 6);
		o = b->data + b->len;
		o[0] = '\\';
		switch (p[i]) {
		case '"':
			o[1] = '"';
			break;
		case '\\':
			o[1] = '\\';
			break;
		case '\b':
			o[1] = 'b';
			break;
		case '\f':
			o[1] = 'f';
			break;
		case '\n':
			o[1] = 'n';
			break;
		case '\r':
			o[1] = 'r';
			break;
		case '\t':
			o[1] = 't';
			break;
		default:
			o[1] = 'u';
			o[2] = '0';
			o[3] = '0';
			o[4] = hex[p[i] >> 4];
			o[5] = hex[p[i] & 0xf];
			b->len += 4;
			break;
		}
		b->len += 2;
		i++;
	}
	buf_addc(b, '"');
}

/* Append "key": */
void
jsonout_key(struct buf *b, const char *key)
{
	jsonout_string(b, key, strlen(key));
	buf_addc(b, ':');
}

/* Append an integer in decimal. */
void
jsonout_integer(struct buf *b, long long n)
{
	char			 t[24], *p = t + sizeof t;
	unsigned long long	 u;

	u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (n < 0)
		*--p = '-';
	buf_add(b, p, (size_t)(t + sizeof t - p));
}

/*
 * Append a real as jansson does: %.*g (17 digits unless prec says), ".0"
 * added when that looks like an integer, and the exponent without a plus
 * sign or leading zeros.
 */
int
jsonout_real(struct buf *b, double d, int prec)
{
	char	 t[64], *e, *from;
	size_t	 len, skip;
	int	 n;

	if (!isfinite(d))
		return (-1);
	n = snprintf(t, sizeof t - 2, "%.*g", prec > 0 ? prec : 17, d);
	if (n < 0 || (size_t)n >= sizeof t - 2)
		return (-1);
	len = (size_t)n;
	if (memchr(t, '.', len) == NULL && memchr(t, 'e', len) == NULL) {
		t[len++] = '.';
		t[len++] = '0';
	}
	if ((e = memchr(t, 'e', len)) != NULL) {
		/* e+05 -> e5, e-05 -> e-5 */
		e++;
		from = e + 1;
		if (*e == '-')
			e++;
		while (from < t + len && *from == '0')
			from++;
		if (from != e) {
			skip = (size_t)(from - e);
			memmove(e, from, len - (size_t)(from - t));
			len -= skip;
		}
	}
	buf_add(b, t, len);
	return (0);
}

/*
 * Append k / 1000.0 as jsonout_real(b, k / 1000.0, 15) would, for k in
 * [0, 10^15): with at most 15 significant digits the double prints back
 * as that decimal, in %g's fixed form (its exponent is -3 to 11), trailing
 * zeros dropped, ".0" added to a whole number.
 */
void
jsonout_millis(struct buf *b, long long k)
{
	char	 frac[4];
	int	 n = 3;

	if (k < 0 || k >= 1000000000000000LL) {
		(void)jsonout_real(b, (double)k / 1000.0, 15);
		return;
	}
	jsonout_integer(b, k / 1000);
	frac[0] = (char)('0' + k / 100 % 10);
	frac[1] = (char)('0' + k / 10 % 10);
	frac[2] = (char)('0' + k % 10);
	while (n > 0 && frac[n - 1] == '0')
		n--;
	buf_addc(b, '.');
	if (n == 0)
		buf_addc(b, '0');
	else
		buf_add(b, frac, (size_t)n);
}

/* Append v; see jsonout.h. */
static int
jsonout_walk(struct buf *b, const json_t *v, int prec, int depth)
{
	const char	*key;
	void		*it;
	size_t		 i, n;

	if (depth > 2048)
		return (-1);
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		buf_addc(b, '{');
		it = json_object_iter((json_t *)v);
		for (i = 0; it != NULL; i++) {
			if (i > 0)
				buf_addc(b, ',');
			key = json_object_iter_key(it);
			jsonout_string(b, key, json_object_iter_key_len(it));
			buf_addc(b, ':');
			if (jsonout_walk(b, json_object_iter_value(it), prec,
			    depth + 1) != 0)
				return (-1);
			it = json_object_iter_next((json_t *)v, it);
		}
		buf_addc(b, '}');
		return (0);
	case JSON_ARRAY:
		buf_addc(b, '[');
		n = json_array_size(v);
		for (i = 0; i < n; i++) {
			if (i > 0)
				buf_addc(b, ',');
			if (jsonout_walk(b, json_array_get(v, i), prec,
			    depth + 1) != 0)
				return (-1);
		}
		buf_addc(b, ']');
		return (0);
	case JSON_STRING:
		jsonout_string(b, json_string_value(v), json_string_length(v));
		return (0);
	case JSON_INTEGER:
		jsonout_integer(b, (long long)json_integer_value(v));
		return (0);
	case JSON_REAL:
		return (jsonout_real(b, json_real_value(v), prec));
	case JSON_TRUE:
		buf_add(b, "true", 4);
		return (0);
	case JSON_FALSE:
		buf_add(b, "false", 5);
		return (0);
	case JSON_NULL:
		buf_add(b, "null", 4);
		return (0);
	}
	return (-1);
}

/* Append v. */
int
jsonout_value(struct buf *b, const json_t *v, int prec)
{
	size_t	 len = b->len;

	if (v == NULL || jsonout_walk(b, v, prec, 0) != 0) {
		b->len = len;
		return (-1);
	}
	return (0);
}
