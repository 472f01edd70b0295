/*
 * approval.h: just-in-time approval of statements whose verdict is
 * "approve". Requests are filed through the monitor, which alone may record
 * decisions.
 */
#ifndef APPROVAL_H
#define APPROVAL_H

#include "policy.h"
#include "sql.h"

/*
 * Ask for approval of stmt. Returns 1 if an earlier grant covers it, 0 if
 * approval is required (then *request_id, caller frees, may be set), -1 and
 * *err on failure.
 */
int	 approval_check(const char *user, const char *target,
	    const struct sql_stmt *, const struct verdict *,
	    char **request_id, char **err);

#endif
