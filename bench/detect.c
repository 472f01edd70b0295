/*
 * bench/detect.c: detector throughput, detect_mask() with every detector
 * on, over generated cells of realistic text (names, words, numbers,
 * amounts, timestamps, dates, UUIDs, codes, sentences, URLs, JSON) with
 * about 1% sensitive values (emails, phone numbers, cards, SSNs, IBANs,
 * secrets), on one core. Prints "detect N cells/s" (per second of the
 * thread's CPU time, so that other work on a shared machine does not
 * count) and a sanity line: the sensitive cells found, and the findings
 * among the others. Built and run by bench/detect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dbgate.h"
#include "detect.h"

#define NCELLS	(1 << 18)

static const char *first[] = {
	"Alice", "Bob", "Carol", "David", "Eve", "Frank", "Grace", "Heidi",
	"Ivan", "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert",
	"Sybil", "Trent", "Victor", "Walter", "Zoë", "José", "Anaïs",
	"Jean-Pierre", "Bartholomew", "Isabella", "Björn",
};
static const char *last[] = {
	"Johnson", "Smith", "Williams", "Brown", "Jones", "Garcia",
	"Miller", "Davis", "Rodriguez", "Martinez", "Hernández", "Lopez",
	"Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
	"O'Brien", "Müller", "Nguyen", "Kowalski", "Bianchi", "Dubois",
};
static const char *words[] = {
	"active", "pending", "shipped", "delivered", "cancelled", "refunded",
	"blue", "large", "premium", "standard", "Berlin", "Paris", "London",
	"New York", "San Francisco", "Tokyo", "true", "false", "admin",
	"customer", "EUR", "USD", "en_US", "de_DE", "N/A", "in stock",
};
static const char *vocab[] = {
	"the", "a", "order", "was", "shipped", "to", "customer", "and",
	"delivered", "on", "time", "please", "contact", "support", "if",
	"you", "have", "any", "questions", "about", "your", "account",
	"product", "quality", "is", "excellent", "but", "shipping", "took",
	"longer", "than", "expected", "Bob", "said", "that", "the",
	"invoice", "for", "March", "needs", "review", "before", "Friday",
	"battery", "life", "could", "be", "better", "I", "would", "buy",
	"again", "great", "value", "refund", "requested", "by", "phone",
	"item", "arrived", "damaged", "replacement", "sent", "with",
	"tracking", "number", "included", "in", "email", "receipt",
};
static const char *hexd = "0123456789abcdef";

/* Sensitive values: each must be found. */
static const char *sensitive[] = {
	"alice.johnson@example.com",
	"Contact: bob@mail.example.org",
	"(555) 123-4567",
	"+44 20 7946 0958",
	"555-867-5309",
	"4111 1111 1111 1111",
	"5555555555554444",
	"123-45-6789",
	"GB29 NWBK 6016 1331 9268 19",
	"DE89370400440532013000",
	"AKIAIOSFODNN7EXAMPLE",
	"Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0",
	"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ",
	"password=Tr0ub4dor&3",
};

static unsigned long long	 rng = 88172645463325252ULL;

/* xorshift64: the same cells on every run. */
static unsigned int
rnd(unsigned int n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((unsigned int)(rng % n));
}

#define PICK(a)	((a)[rnd(nitems(a))])

/* Append one generated cell of kind k to b. */
static void
gen(struct buf *b, unsigned int k)
{
	unsigned int	 i, n;

	switch (k) {
	case 0:		/* a name */
		buf_printf(b, "%s %s", PICK(first), PICK(last));
		break;
	case 1:		/* a word */
		buf_adds(b, PICK(words));
		break;
	case 2:		/* an id or a count */
		buf_printf(b, "%u", rnd(10) < 7 ? rnd(100000) :
		    rnd(2000000000));
		break;
	case 3:		/* an amount */
		buf_printf(b, "%u.%02u", rnd(100000), rnd(100));
		break;
	case 4:		/* a timestamp */
		buf_printf(b, "20%02u-%02u-%02u %02u:%02u:%02u.%06u+00",
		    10 + rnd(16), 1 + rnd(12), 1 + rnd(28), rnd(24), rnd(60),
		    rnd(60), rnd(1000000));
		break;
	case 5:		/* a date */
		buf_printf(b, "20%02u-%02u-%02u", 10 + rnd(16), 1 + rnd(12),
		    1 + rnd(28));
		break;
	case 6:		/* a UUID */
		for (i = 0; i < 36; i++)
			buf_addc(b, i == 8 || i == 13 || i == 18 || i == 23 ?
			    '-' : hexd[rnd(16)]);
		break;
	case 7:		/* a code */
		buf_printf(b, rnd(2) ? "SKU-%05u" : "ORD-20%02u-%06u",
		    rnd(100000), rnd(30));
		break;
	case 8:		/* a sentence */
		n = 5 + rnd(20);
		for (i = 0; i < n; i++)
			buf_printf(b, "%s%s", i ? " " : "", PICK(vocab));
		buf_addc(b, '.');
		break;
	case 9:		/* a URL */
		buf_printf(b, "https://shop.example.com/products/%u?ref=home",
		    rnd(100000));
		break;
	case 10:	/* JSON */
		buf_printf(b, "{\"theme\": \"%s\", \"items\": %u}",
		    rnd(2) ? "dark" : "light", rnd(50));
		break;
	case 11:	/* a version, an IP address */
		if (rnd(2))
			buf_printf(b, "v%u.%u.%u", rnd(5), rnd(20), rnd(100));
		else
			buf_printf(b, "10.%u.%u.%u", rnd(256), rnd(256),
			    rnd(256));
		break;
	}
}

/* Seconds of clock since an arbitrary start. */
static double
now(clockid_t clock)
{
	struct timespec	 ts;

	clock_gettime(clock, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

int
main(int argc, char **argv)
{
	/* Cell kinds 0-11, in percent; the rest (1%) sensitive. */
	static const unsigned int weights[] = {
		18, 14, 16, 6, 10, 6, 5, 5, 12, 3, 2, 2
	};
	struct buf	 arena, out;
	size_t		*off, *len, found = 0, fp = 0, total = 0;
	unsigned char	*sens;
	unsigned int	 i, k, r, acc, nsens = 0, rounds = 0;
	double		 secs = 3, start, cpu0, t, cpu;
	char		*end;
	volatile size_t	 sink = 0;

	if (argc > 1) {
		secs = strtod(argv[1], &end);
		if (*end != '\0' || !(secs > 0 && secs <= 3600)) {
			fprintf(stderr, "usage: detect [SECONDS]\n");
			return (2);
		}
	}

	buf_init(&arena);
	buf_init(&out);
	off = xreallocarray(NULL, NCELLS, sizeof *off);
	len = xreallocarray(NULL, NCELLS, sizeof *len);
	sens = xcalloc(NCELLS, 1);
	for (i = 0; i < NCELLS; i++) {
		off[i] = arena.len;
		r = rnd(100);
		for (k = 0, acc = 0; k < nitems(weights); k++) {
			acc += weights[k];
			if (r < acc)
				break;
		}
		if (k == nitems(weights)) {
			buf_adds(&arena, PICK(sensitive));
			sens[i] = 1;
			nsens++;
		} else
			gen(&arena, k);
		len[i] = arena.len - off[i];
		total += len[i];
	}

	/* Sanity: every sensitive cell is found, few others are. */
	for (i = 0; i < NCELLS; i++) {
		if (detect_mask(DETECT_ALL, arena.data + off[i], len[i], &out,
		    NULL) == 0)
			continue;
		if (sens[i])
			found++;
		else {
			if (fp < 5)
				fprintf(stderr, "detect: found in \"%.*s\"\n",
				    (int)len[i], arena.data + off[i]);
			fp++;
		}
	}

	start = now(CLOCK_MONOTONIC);
	cpu0 = now(CLOCK_THREAD_CPUTIME_ID);
	do {
		for (i = 0; i < NCELLS; i++)
			sink += detect_mask(DETECT_ALL, arena.data + off[i],
			    len[i], &out, NULL);
		rounds++;
		cpu = now(CLOCK_THREAD_CPUTIME_ID) - cpu0;
	} while (cpu < secs);
	t = now(CLOCK_MONOTONIC) - start;

	printf("detect %.0f cells/s\n", (double)rounds * NCELLS / cpu);
	printf("cells %u, mean %.1f bytes, %.0f MB/s; %.0f cells/s of "
	    "wall time (%.0f%% of it on the CPU)\n", NCELLS,
	    (double)total / NCELLS, (double)rounds * total / cpu / 1e6,
	    (double)rounds * NCELLS / t, 100 * cpu / t);
	printf("sensitive %u, found %zu; others with findings %zu\n", nsens,
	    found, fp);
	(void)sink;
	buf_free(&arena);
	buf_free(&out);
	free(off);
	free(len);
	free(sens);
	return (found == nsens && fp == 0 ? 0 : 1);
}
