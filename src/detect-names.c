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
