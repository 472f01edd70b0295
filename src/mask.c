/*
 * mask.c: the masking stage. Origins, strategies and detectors come with
 * the masking work; this is the seam every result already passes through,
 * and for now it masks nothing. Pure.
 */
#include <stdlib.h>

#include "dbgate.h"
#include "mask.h"

struct mask {
	const struct config_target	*target;
};

/* Start masking results for target. */
struct mask *
mask_new(const struct config *cfg, const struct config_target *target)
{
	struct mask	*m;

	(void)cfg;
	m = xcalloc(1, sizeof *m);
	m->target = target;
	return (m);
}

/* Release a mask. */
void
mask_free(struct mask *m)
{
	free(m);
}

/* Decide which columns are masked. */
int
mask_columns(struct mask *m, struct result_column *cols, size_t n,
    char **err)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		cols[i].masked = 0;
	return (0);
}

/* Mask one row in place. */
int
mask_row(struct mask *m, struct result_cell *cells, size_t n, char **err)
{
	return (0);
}
