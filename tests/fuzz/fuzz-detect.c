/*
 * fuzz-detect.c: libFuzzer target for the value detectors and the masking
 * strategies. The first byte picks the detectors (its low six bits, none
 * meaning all) and a strategy (its top two bits and the second byte's low
 * bit), the second byte is the strategy's N; the rest is the text. Any
 * crash or sanitizer report is a bug, and so is:
 * - a finding bit outside the detectors asked for, or none with findings;
 * - output longer than 4 times the text plus 64 bytes, or a different
 *   length when only cards, SSNs, phones or IBANs were found (their masks
 *   keep the shape);
 * - a second scan of the output for the cards and SSNs asked for that
 *   finds one;
 * - a strategy's output that is longer than it allows, or a hash that is
 *   not 32 lowercase hex digits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dbgate.h"
#include "detect.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define SAME_LENGTH	(DETECT_CARD | DETECT_SSN | DETECT_PHONE | DETECT_IBAN)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char	 key[MASK_KEY_BYTES] = { 1, 2, 3 };
	struct buf			 out, again;
	unsigned int			 kinds, found, found2;
	const char			*s;
	size_t				 len, n, i;
	int				 isnull;
	enum mask_strategy		 st;

	if (size < 2 || size > 65536)
		return (0);
	kinds = data[0] & DETECT_ALL;
	if (kinds == 0)
		kinds = DETECT_ALL;
	st = (enum mask_strategy)((((data[0] >> 6) << 1) | (data[1] & 1)) %
	    5);
	s = (const char *)data + 2;
	len = size - 2;

	buf_init(&out);
	buf_init(&again);
	found = 99;
	n = detect_mask(kinds, s, len, &out, &found);
	if (n == 0) {
		if (found != 0 || out.len != 0)
			abort();
	} else {
		if (found == 0 || (found & ~kinds) != 0)
			abort();
		if (out.len > 4 * len + 64)
			abort();
		if ((found & ~SAME_LENGTH) == 0 && out.len != len)
			abort();
		found2 = 0;
		if ((kinds & (DETECT_CARD | DETECT_SSN)) != 0 &&
		    detect_mask(kinds & (DETECT_CARD | DETECT_SSN), out.data,
		    out.len, &again, &found2) != 0)
			abort();
	}

	isnull = 0;
	mask_value(st, data[1] >> 1, key, s, len, &out, &isnull);
	switch (st) {
	case MASK_REDACT:
		if (out.len != 4 || isnull)
			abort();
		break;
	case MASK_PARTIAL:
		if (out.len > len || isnull)
			abort();
		break;
	case MASK_EMAIL:
		if (out.len > len + 4 || isnull)
			abort();
		break;
	case MASK_NULL:
		if (!isnull || out.len != 0)
			abort();
		break;
	case MASK_HASH:
		if (out.len != 32 || isnull)
			abort();
		for (i = 0; i < out.len; i++) {
			if (!(out.data[i] >= '0' && out.data[i] <= '9') &&
			    !(out.data[i] >= 'a' && out.data[i] <= 'f'))
				abort();
		}
		break;
	}
	buf_free(&out);
	buf_free(&again);
	return (0);
}
