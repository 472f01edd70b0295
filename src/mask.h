/*
 * mask.h: the masking stage between a backend and the renderers. A column
 * or value that cannot be masked is refused, never passed raw. Pure: the
 * catalog it consults (maskcat.h) is read before a statement runs.
 */
#ifndef MASK_H
#define MASK_H

#include "config.h"
#include "guard.h"
#include "result.h"

struct mask;
struct maskcat;

/* key: MASK_KEY_BYTES for the hash strategy (or NULL). mc may be NULL. */
struct mask	*mask_new(const struct config *, const struct config_target *,
		    struct maskcat *mc, const unsigned char *key);
void		 mask_free(struct mask *);

/*
 * Before a statement runs (the connection idle): its facts and text. Reads
 * the masking catalog if it is not current. 0, or -1 and *err: the
 * statement must then not run.
 */
int	 mask_statement(struct mask *, const struct guard_facts *,
	    const char *sql, size_t len, char **err);
/* Whether the current statement used masked values (errors are cut). */
int	 mask_used_masked(const struct mask *);
/* Whether sql may read the diagnostics the statement before left. */
int	 mask_reads_diagnostics(const char *sql, size_t len);
/* Decide, per column, what is masked (sets masked). 0 or -1 and *err. */
int	 mask_columns(struct mask *, struct result_column *, size_t,
	    char **err);
/*
 * Mask one row in place (cells may be pointed at the mask's own buffer,
 * valid until the next call). Returns the number of values masked, or -1
 * and *err: the row must then not be shown.
 */
int	 mask_row(struct mask *, struct result_cell *, size_t, char **err);
/*
 * An error or notice of the current statement as it may be shown (m may
 * be NULL: detectors only). Returns a new string.
 */
char	*mask_message(struct mask *, const char *);
/* The same for any text: cut (quoted spans, digit runs) if asked, then the
 * detectors in detect (DETECT_*). A new string. */
char	*mask_text(const char *, int cut, unsigned int detect);

#endif
