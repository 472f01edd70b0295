/*
 * detect.h: value detectors over text that leaves the gateway (cells,
 * error and notice messages, COPY data), and the masking strategies of
 * Mask rules. Pure; handles untrusted input.
 */
#ifndef DETECT_H
#define DETECT_H

#include <stddef.h>

#include "dbgate.h"

/* Detectors (Detect names in detect_names, same order as the bits). */
#define DETECT_EMAIL	(1u << 0)	/* email */
#define DETECT_SSN	(1u << 1)	/* ssn: US social security number */
#define DETECT_CARD	(1u << 2)	/* card: payment card, Luhn-checked */
#define DETECT_PHONE	(1u << 3)	/* phone: E.164 and national forms */
#define DETECT_IBAN	(1u << 4)	/* iban: mod-97 checked */
#define DETECT_SECRET	(1u << 5)	/* secret: AWS keys, JWTs, PEM, bearer */
#define DETECT_NKINDS	6
#define DETECT_ALL	((1u << DETECT_NKINDS) - 1)

/* The name of detector bit index i, or NULL. */
const char	*detect_name(unsigned int i);
/*
 * Parse one Detect word: a detector name, "all" or "none". 0 and *bits,
 * or -1.
 */
int		 detect_parse(const char *, unsigned int *bits);

/*
 * Scan len bytes of s with the detectors in kinds. Returns the number of
 * findings. When it is not 0, out (reset first) holds s with every finding
 * replaced by its mask, shape kept where it can be (a card keeps its last
 * four digits and its separators: "**** **** **** 4242"; an SSN
 * "***-**-6789"; a phone number its separators and last two digits; an
 * IBAN its country code and last four; an email keeps its domain,
 * "****@example.com"; a secret becomes "[secret]"); *found (if not NULL)
 * gets the DETECT_* bits that fired. When it is 0, out is untouched and
 * *found 0. s need not be NUL-terminated and may hold any bytes; out is
 * at most 4 * len + 64 bytes. Scanning the output again with the same
 * kinds finds no card or SSN. Findings are whole tokens: digits glued to
 * letters, other digits, '_' or '*' are not one.
 */
size_t		 detect_mask(unsigned int kinds, const char *s, size_t len,
		    struct buf *out, unsigned int *found);

/* Masking strategies of a Mask rule. */
enum mask_strategy {
	MASK_REDACT,	/* a fixed mask, whatever the value */
	MASK_PARTIAL,	/* keep the last N characters, mask the rest */
	MASK_EMAIL,	/* keep the domain of an email */
	MASK_NULL,	/* NULL */
	MASK_HASH,	/* keyed BLAKE2b: equal values stay equal */
};

#define MASK_KEY_BYTES	32	/* the per-gateway hash key */

/* Strategy names (any case): 0 and *out, or -1. The name, or NULL. */
int		 mask_strategy_parse(const char *, enum mask_strategy *out);
const char	*mask_strategy_name(enum mask_strategy);

/*
 * Mask one value of len bytes into out (reset first). keep is N for
 * MASK_PARTIAL; key (MASK_KEY_BYTES) is used by MASK_HASH. Sets *isnull
 * for MASK_NULL (out then empty), clears it otherwise. Never writes any
 * byte of s that the strategy does not keep.
 * - MASK_REDACT: "****", whatever the length.
 * - MASK_PARTIAL: the last min(keep, half of them) letters or digits are
 *   kept ("1234", keep 4: "**34"); every other one becomes one '*'; ASCII
 *   punctuation and spaces stay. Characters are UTF-8 code points, and a
 *   non-ASCII one counts as a letter; a byte that is not valid UTF-8 is
 *   always masked.
 * - MASK_EMAIL: "****" and the text from the last '@' on
 *   ("****@example.com"); "****" without one.
 * - MASK_HASH: keyed BLAKE2b (libsodium crypto_generichash, 16 bytes) as
 *   32 lowercase hex digits; "****" when key is NULL.
 */
void		 mask_value(enum mask_strategy, unsigned int keep,
		    const unsigned char *key, const char *s, size_t len,
		    struct buf *out, int *isnull);

#endif
