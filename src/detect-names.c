/* TEMPORARY until detect.c lands: names of detectors and strategies. */
#include <strings.h>

#include "detect.h"

static const char *detect_names_[] = {
	"email", "ssn", "card", "phone", "iban", "secret",
};
static const char *strategy_names_[] = {
	"redact", "partial", "email", "null", "hash",
};

const char *
detect_name(unsigned int i)
{
	return (i < nitems(detect_names_) ? detect_names_[i] : NULL);
}

int
detect_parse(const char *s, unsigned int *bits)
{
	unsigned int	 i;

	if (strcasecmp(s, "all") == 0) {
		*bits = DETECT_ALL;
		return (0);
	}
	if (strcasecmp(s, "none") == 0) {
		*bits = 0;
		return (0);
	}
	for (i = 0; i < nitems(detect_names_); i++) {
		if (strcasecmp(s, detect_names_[i]) == 0) {
			*bits = 1u << i;
			return (0);
		}
	}
	return (-1);
}

int
mask_strategy_parse(const char *s, enum mask_strategy *out)
{
	unsigned int	 i;

	for (i = 0; i < nitems(strategy_names_); i++) {
		if (strcasecmp(s, strategy_names_[i]) == 0) {
			*out = (enum mask_strategy)i;
			return (0);
		}
	}
	return (-1);
}

const char *
mask_strategy_name(enum mask_strategy m)
{
	return ((unsigned int)m < nitems(strategy_names_) ?
	    strategy_names_[m] : "redact");
}

/* TEMPORARY stand-ins until detect.c lands. */
#include <string.h>

size_t
detect_mask(unsigned int kinds, const char *s, size_t len, struct buf *out,
    unsigned int *found)
{
	(void)kinds;
	(void)s;
	(void)len;
	(void)out;
	if (found != NULL)
		*found = 0;
	return (0);
}

void
mask_value(enum mask_strategy st, unsigned int keep, const unsigned char *key,
    const char *s, size_t len, struct buf *out, int *isnull)
{
	const char	*at;
	size_t		 i;

	(void)key;
	buf_reset(out);
	*isnull = 0;
	switch (st) {
	case MASK_NULL:
		*isnull = 1;
		return;
	case MASK_EMAIL:
		at = memchr(s, '@', len);
		buf_adds(out, "****");
		if (at != NULL)
			buf_add(out, at, len - (size_t)(at - s));
		return;
	case MASK_PARTIAL:
		for (i = 0; i < len; i++)
			buf_addc(out, i + keep >= len ? s[i] :
			    (s[i] == '-' || s[i] == ' ') ? s[i] : '*');
		return;
	default:
		buf_adds(out, "****");
		return;
	}
}
