/*
 * sql-mysql.h: the MariaDB/MySQL lexer's token interface, for the
 * classifier (guard-mysql.c). Pure; handles untrusted input.
 *
 * The tokenizer reads a statement as one particular server reads it: its
 * version and flavour decide which executable comments are code, its
 * sql_mode how quotes and backslashes are read. Comments and whitespace
 * are dropped; what is left is the code that server parses.
 */
#ifndef SQL_MYSQL_H
#define SQL_MYSQL_H

#include <stddef.h>
#include <stdint.h>

struct buf;

enum sql_mytok_kind {
	SQL_MYTOK_WORD = 1,	/* keyword or unquoted identifier */
	SQL_MYTOK_QIDENT,	/* `quoted` ("quoted" under ANSI_QUOTES) */
	SQL_MYTOK_STRING,	/* '...', "...", N'...' */
	SQL_MYTOK_NUMBER,	/* 12, 1.5, 1e3, .5 */
	SQL_MYTOK_HEX,		/* X'..', 0x.., B'..', 0b.. */
	SQL_MYTOK_USERVAR,	/* @name, @'name', @`name` */
	SQL_MYTOK_SYSVAR,	/* @@ (the name follows as tokens) */
	SQL_MYTOK_PARAM,	/* ? */
	SQL_MYTOK_OP,		/* operators and punctuation */
	SQL_MYTOK_SEMI,		/* ; */
	SQL_MYTOK_NULL,		/* \N, the server's short NULL */
	SQL_MYTOK_BACKSLASH,	/* any other backslash outside quotes */
};

#define SQL_MYTOKF_GAP		0x01	/* not adjacent to the one before */
#define SQL_MYTOKF_ESCAPE	0x02	/* quoted text has escapes or doubled
					 * quotes */

struct sql_mytok {
	uint32_t	 start;		/* byte offset in the statement */
	uint32_t	 len;
	uint16_t	 kw;		/* for the caller (keyword id) */
	uint8_t		 kind;		/* enum sql_mytok_kind */
	uint8_t		 flags;		/* SQL_MYTOKF_* */
};

/* How version-gated comments are read. */
enum sql_myread_mode {
	SQL_MYREAD_EXACT,	/* as the server of the given version */
	SQL_MYREAD_ALLCODE,	/* every gated comment is code */
	SQL_MYREAD_ALLCOMMENT,	/* every gated comment is a comment */
};

/* How many digits of a version after slash-star-bang are read. */
enum sql_myread_digits {
	SQL_MYDIGITS_5,		/* MySQL before 8.1: exactly five */
	SQL_MYDIGITS_6,		/* MariaDB: a sixth digit if there is one */
	SQL_MYDIGITS_6SPACE,	/* MySQL 8.1 on: six if a space follows */
};

struct sql_mysql_reading {
	unsigned long	 version;	/* MAJOR*10000+MINOR*100+PATCH */
	int		 mariadb;	/* reads slash-star-M-bang comments */
	int		 mode;		/* enum sql_myread_mode */
	int		 digits;	/* enum sql_myread_digits */
	int		 wsrep;		/* Galera: runs version 99997 */
	int		 dollar;	/* refuse $ at a token start (MySQL 9
					 * dollar quotes) */
	int		 ansi_quotes;
	int		 no_backslash_escapes;
};

#define SQL_MYTOKS_LOCAL	128

struct sql_mytoks {
	struct sql_mytok	*tok;	/* local, or allocated past it */
	size_t			 n;
	size_t			 cap;
	int			 gated;	/* met a version- or flavour-gated
					 * comment: readings may differ */
	int			 hint;	/* an optimizer hint sets a variable
					 * or a time limit (SET_VAR...) */
	struct sql_mytok	 local[SQL_MYTOKS_LOCAL];
};

/*
 * Tokenize one statement as the reading says. Returns 0, or -1 and *err
 * (caller frees) for text the server would refuse to lex (unterminated
 * quote or comment, a bad hex literal...). Release with
 * sql_mysql_toks_free in either case.
 */
int	 sql_mysql_tokenize(const char *, size_t,
	    const struct sql_mysql_reading *, struct sql_mytoks *, char **err);
void	 sql_mysql_toks_free(struct sql_mytoks *);

/*
 * Append the value of a STRING, QIDENT or quoted USERVAR token of s to b,
 * undoing escapes and doubled quotes as the server does.
 */
void	 sql_mysql_unquote(const char *s, const struct sql_mytok *,
	    const struct sql_mysql_reading *, struct buf *);

#endif
