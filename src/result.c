/*
 * result.c: names for the parts of a statement's result that show up in
 * output and transcripts. Handles no untrusted input.
 */
#include <string.h>

#include "dbgate.h"
#include "render.h"
#include "result.h"

/* Return the name of a statement status, as used in JSON and ndjson. */
const char *
stmt_status_name(enum stmt_status status)
{
	switch (status) {
	case STMT_OK:
		return ("ok");
	case STMT_ERROR:
		return ("error");
	case STMT_DENIED:
		return ("denied");
	case STMT_APPROVAL:
		return ("approval-required");
	case STMT_SKIPPED:
		return ("skipped");
	case STMT_LOST:
		return ("lost");
	case STMT_REFUSED:
		return ("refused");
	}
	return ("unknown");
}

static const char *render_format_names[] = {
	[RENDER_TABLE] = "table",
	[RENDER_CSV] = "csv",
	[RENDER_JSON] = "json",
	[RENDER_NDJSON] = "ndjson",
};

/* Parse a format name; 0 and *format set, or -1 if unknown. */
int
render_format_parse(const char *name, enum render_format *format)
{
	size_t	 i;

	for (i = 0; i < nitems(render_format_names); i++) {
		if (strcmp(name, render_format_names[i]) == 0) {
			*format = (enum render_format)i;
			return (0);
		}
	}
	return (-1);
}

/* Return a format's name (static). */
const char *
render_format_name(enum render_format format)
{
	if ((size_t)format >= nitems(render_format_names))
		return ("unknown");
	return (render_format_names[format]);
}
