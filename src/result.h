/*
 * result.h: the shape of a statement's result as it flows from a backend
 * through masking and recording to a renderer, one row at a time.
 */
#ifndef RESULT_H
#define RESULT_H

#include <stddef.h>

/* How a column's text is typed in JSON output. */
enum value_kind {
	VALUE_TEXT,	/* JSON string */
	VALUE_INT,	/* up to 32 bits: JSON number */
	VALUE_BIGNUM,	/* int8, numeric, decimal: JSON string */
	VALUE_FLOAT,	/* JSON number; NaN/Infinity become strings */
	VALUE_BOOL,	/* backend text t/f or 1/0: JSON true/false */
	VALUE_BYTES,	/* cell text is lowercase hex, no prefix */
	VALUE_TIME,	/* date/time text; JSON puts 'T' between date and time */
	VALUE_JSON,	/* json text: JSON string (kept verbatim) */
};

struct result_column {
	const char	*name;
	const char	*type;		/* database type name, e.g. "int4" */
	enum value_kind	 kind;
	int		 masked;	/* set by the mask stage */
	/* Origin, for masking (0 / NULL when unknown). */
	unsigned int	 table_oid;	/* PostgreSQL */
	int		 attnum;	/* PostgreSQL, 0 = whole row */
	const char	*org_db;	/* MariaDB */
	const char	*org_table;
	const char	*org_name;
};

/* One cell; data is not NUL-terminated. isnull distinguishes NULL from "". */
struct result_cell {
	const char	*data;
	size_t		 len;
	int		 isnull;
};

enum stmt_status {
	STMT_OK,
	STMT_ERROR,	/* the database reported an error */
	STMT_DENIED,	/* policy said no */
	STMT_APPROVAL,	/* approval required */
	STMT_SKIPPED,	/* not run: an earlier statement failed or was refused */
	STMT_LOST,	/* connection lost: outcome unknown */
	STMT_REFUSED,	/* output refused by the gateway (cell too big, ...) */
};

/* What happened to one statement; all strings may be NULL. */
struct stmt_outcome {
	enum stmt_status	 status;
	const char		*command;	/* command tag: "SELECT 3" */
	long long		 rows;		/* returned or affected, -1 unknown */
	int			 truncated;	/* MaxRows cut the rows */
	long long		 masked;	/* values masked */
	const char		*sqlstate;
	const char		*message;	/* error or refusal text */
	const char		*verdict;	/* allow, warn, approve, deny */
	const char		*policy;	/* policy name */
	const char		*rule;		/* rule that decided */
	const char		*verdict_message; /* the rule's message */
	const char		*request_id;	/* approval request */
	const char *const	*warnings;
	size_t			 nwarnings;
	double			 elapsed_ms;
};

const char	*stmt_status_name(enum stmt_status);

#endif
