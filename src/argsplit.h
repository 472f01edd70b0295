/*
 * argsplit.h: split a command line received as one string (an SSH exec
 * request) into arguments by a fixed, POSIX-shell-like grammar that never
 * expands anything. Handles untrusted input; pure.
 */
#ifndef ARGSPLIT_H
#define ARGSPLIT_H

#include <stddef.h>

/*
 * Rules: unquoted blanks (space, tab, newline) separate words; '...' keeps
 * everything literally; "..." keeps everything literally except that a
 * backslash before " \ $ ` or newline escapes it; outside quotes a
 * backslash escapes the next character (backslash-newline is removed).
 * $, `, *, ?, ~, $(...), ;, |, &, <, > and # are ordinary characters:
 * nothing is expanded, substituted or redirected. '' and "" make an empty
 * word. NUL bytes are refused.
 *
 * Returns 0 and sets *argv (NULL-terminated, caller frees with
 * argsplit_free) and *argc, or -1 and *err (caller frees) for an
 * unterminated quote, a trailing backslash, a NUL byte, or more than
 * ARGSPLIT_MAX words.
 */
#define ARGSPLIT_MAX	4096
int	 argsplit(const char *s, size_t len, char ***argv, int *argc,
	    char **err);
void	 argsplit_free(char **argv);

#endif
