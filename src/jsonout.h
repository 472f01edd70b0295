/*
 * jsonout.h: compact JSON encoding into a struct buf, byte for byte what
 * jansson's json_dumpb(v, JSON_COMPACT | JSON_ENCODE_ANY) writes (object
 * members in insertion order; reals with JSON_REAL_PRECISION(prec)), at a
 * fraction of its cost: no callback per token, no loop-check table, no
 * printf for integers. For the hot paths (the session record, the json
 * and ndjson renderers).
 */
#ifndef JSONOUT_H
#define JSONOUT_H

#include <jansson.h>

#include "dbgate.h"

/* Append len bytes of valid UTF-8 as a JSON string. */
void	 jsonout_string(struct buf *, const char *, size_t);
/* Append a string key and its colon. */
void	 jsonout_key(struct buf *, const char *);
void	 jsonout_integer(struct buf *, long long);
/* Append a real with prec significant digits (0: 17); -1 if it is not
 * finite (nothing appended). */
int	 jsonout_real(struct buf *, double, int prec);
/* Append the real k / 1000.0 (a count of microseconds as milliseconds)
 * as jsonout_real(b, k / 1000.0, 15) would, without printf. */
void	 jsonout_millis(struct buf *, long long k);
/* Append v; -1 if it holds something JSON cannot (b is then as before). */
int	 jsonout_value(struct buf *, const json_t *, int prec);

#endif
