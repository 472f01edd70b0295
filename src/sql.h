/*
 * sql.h: splitting SQL input into statements, per dialect. Pure: handles
 * untrusted input, never prints or exits.
 */
#ifndef SQL_H
#define SQL_H

#include <stddef.h>

enum sql_dialect {
	SQL_POSTGRESQL,
	SQL_MYSQL,
};

struct sql_stmt {
	char	*text;		/* the statement, without the terminating ';' */
	size_t	 len;
	int	 nparams;	/* highest $N (PostgreSQL) or count of ? */
	int	 line;		/* 1-based line in the input where it starts */
};

struct sql_script {
	struct sql_stmt	*stmts;
	size_t		 n;
};

/*
 * Split text into statements (empty and comment-only ones dropped). Returns
 * 0 and fills *out (caller frees with sql_script_free), or -1 and sets
 * *err (caller frees) if the input cannot be split: a PostgreSQL syntax
 * error, an unterminated quote or comment.
 */
int	 sql_split(enum sql_dialect, const char *text, size_t len,
	    struct sql_script *out, char **err);
int	 sql_split_pg(const char *, size_t, struct sql_script *, char **);
int	 sql_split_mysql(const char *, size_t, struct sql_script *, char **);
void	 sql_script_free(struct sql_script *);

/*
 * MariaDB/MySQL: replace each ? placeholder outside strings, identifiers and
 * comments with the matching value, quoted by quote(), which must return a
 * complete SQL string literal (caller frees). Returns a new string (caller
 * frees) or NULL and *err when the statement has more placeholders than
 * values.
 */
char	*sql_mysql_bind(const char *sql, size_t len, const char *const *vals,
	    size_t nvals, char *(*quote)(void *, const char *), void *arg,
	    char **err);

#endif
