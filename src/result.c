/*
 * result.c: names for the parts of a statement's result that show up in
 * output and transcripts. Handles no untrusted input.
 */
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
