/*
 * mask.h: the masking stage between a backend and the renderers. A column
 * or value that cannot be masked is refused, never passed raw. Pure.
 */
#ifndef MASK_H
#define MASK_H

#include "config.h"
#include "result.h"

struct mask;

struct mask	*mask_new(const struct config *, const struct config_target *);
void		 mask_free(struct mask *);

/* Decide, per column, what is masked (sets masked). 0 or -1 and *err. */
int	 mask_columns(struct mask *, struct result_column *, size_t,
	    char **err);
/*
 * Mask one row in place (cells may be pointed at the mask's own buffer,
 * valid until the next call). Returns the number of values masked, or -1
 * and *err: the row must then not be shown.
 */
int	 mask_row(struct mask *, struct result_cell *, size_t, char **err);

#endif
