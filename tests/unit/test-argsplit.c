/*
 * test-argsplit.c: the command-line splitter, table-driven: quoting,
 * escapes, shell metacharacters kept literal, errors and limits.
 */
#include <stdlib.h>
#include <string.h>

#include "dbgate.h"
#include "argsplit.h"
#include "tap.h"

#define MAXW	8

struct argsplit_case {
	const char	*name;
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	const char	*err;		/* expected error, or NULL */
	int		 argc;
	const char	*argv[MAXW];
};

static const struct argsplit_case cases[] = {
	/* Plain words and blanks. */
	{ "empty", "", 0, NULL, 0, { NULL } },
	{ "only blanks", " \t\n  ", 0, NULL, 0, { NULL } },
	{ "one word", "exec", 0, NULL, 1, { "exec" } },
	{ "three words", "exec prod -c", 0, NULL, 3,
	    { "exec", "prod", "-c" } },
	{ "several blanks", "  exec    prod  ", 0, NULL, 2,
	    { "exec", "prod" } },
	{ "tab separates", "a\tb", 0, NULL, 2, { "a", "b" } },
	{ "newline separates", "a\nb\n", 0, NULL, 2, { "a", "b" } },
	{ "mixed blanks", "\t a \n\t b\t", 0, NULL, 2, { "a", "b" } },
	{ "CR is not a blank", "a\rb", 0, NULL, 1, { "a\rb" } },

	/* Single quotes. */
	{ "single quoted", "'a b'", 0, NULL, 1, { "a b" } },
	{ "single quotes keep backslash", "'a\\b\\'", 0, NULL, 1,
	    { "a\\b\\" } },
	{ "single quotes keep double quote", "'say \"hi\"'", 0, NULL, 1,
	    { "say \"hi\"" } },
	{ "single quotes keep dollar", "'$HOME $(id)'", 0, NULL, 1,
	    { "$HOME $(id)" } },
	{ "single quotes keep newline", "'a\nb'", 0, NULL, 1,
	    { "a\nb" } },
	{ "sql in single quotes", "exec prod -c 'SELECT 1; SELECT 2'", 0,
	    NULL, 4, { "exec", "prod", "-c", "SELECT 1; SELECT 2" } },

	/* Double quotes and each escape. */
	{ "double quoted", "\"a b\"", 0, NULL, 1, { "a b" } },
	{ "dq escaped quote", "\"a\\\"b\"", 0, NULL, 1, { "a\"b" } },
	{ "dq escaped backslash", "\"a\\\\b\"", 0, NULL, 1, { "a\\b" } },
	{ "dq escaped dollar", "\"\\$HOME\"", 0, NULL, 1, { "$HOME" } },
	{ "dq escaped backtick", "\"\\`id\\`\"", 0, NULL, 1, { "`id`" } },
	{ "dq backslash-newline removed", "\"a\\\nb\"", 0, NULL, 1,
	    { "ab" } },
	{ "dq other backslash kept", "\"a\\nb\\'\"", 0, NULL, 1,
	    { "a\\nb\\'" } },
	{ "dq keeps single quote", "\"it's\"", 0, NULL, 1, { "it's" } },
	{ "dq keeps newline and tab", "\"a\n\tb\"", 0, NULL, 1,
	    { "a\n\tb" } },
	{ "dq dollar not expanded", "\"$HOME $(id) `id`\"", 0, NULL, 1,
	    { "$HOME $(id) `id`" } },

	/* Backslash outside quotes. */
	{ "backslash escapes blank", "a\\ b", 0, NULL, 1, { "a b" } },
	{ "backslash escapes quote", "\\'a\\\"", 0, NULL, 1, { "'a\"" } },
	{ "backslash escapes backslash", "a\\\\b", 0, NULL, 1, { "a\\b" } },
	{ "backslash escapes letter", "\\n", 0, NULL, 1, { "n" } },
	{ "backslash-newline joins", "ab\\\ncd", 0, NULL, 1, { "abcd" } },
	{ "backslash-newline alone is no word", "a \\\n b", 0, NULL, 2,
	    { "a", "b" } },
	{ "escaped tab", "a\\\tb", 0, NULL, 1, { "a\tb" } },

	/* Words made of several parts; empty words. */
	{ "adjacent parts", "a'b'\"c\"", 0, NULL, 1, { "abc" } },
	{ "adjacent parts with blanks", "x'a b'\" c\"\\ d y", 0, NULL, 2,
	    { "xa b c d", "y" } },
	{ "empty single", "''", 0, NULL, 1, { "" } },
	{ "empty double", "\"\"", 0, NULL, 1, { "" } },
	{ "empty words between", "a '' \"\" b", 0, NULL, 4,
	    { "a", "", "", "b" } },
	{ "empty quote glued to word", "a''b\"\"", 0, NULL, 1, { "ab" } },

	/* Shell metacharacters stay literal. */
	{ "command substitution", "$(id)", 0, NULL, 1, { "$(id)" } },
	{ "backticks", "`id`", 0, NULL, 1, { "`id`" } },
	{ "variable", "$HOME ${PATH}", 0, NULL, 2, { "$HOME", "${PATH}" } },
	{ "glob star", "* ?.c [ab]", 0, NULL, 3, { "*", "?.c", "[ab]" } },
	{ "tilde", "~ ~root/x", 0, NULL, 2, { "~", "~root/x" } },
	{ "semicolon", "a;b ;", 0, NULL, 2, { "a;b", ";" } },
	{ "pipe", "a|b | c", 0, NULL, 3, { "a|b", "|", "c" } },
	{ "and-and", "true&&false &", 0, NULL, 2, { "true&&false", "&" } },
	{ "redirections", "a>b < c 2>&1", 0, NULL, 4,
	    { "a>b", "<", "c", "2>&1" } },
	{ "hash is no comment", "a #b #", 0, NULL, 3, { "a", "#b", "#" } },
	{ "braces and parens", "(a) {b}", 0, NULL, 2, { "(a)", "{b}" } },
	{ "equals", "X=1 cmd", 0, NULL, 2, { "X=1", "cmd" } },

	/* Bytes above 127 pass through untouched. */
	{ "utf-8", "caf\xc3\xa9 '\xe2\x82\xac 5' \xf0\x9f\x98\x80", 0, NULL,
	    3, { "caf\xc3\xa9", "\xe2\x82\xac 5", "\xf0\x9f\x98\x80" } },
	{ "invalid utf-8 kept", "\xff\xfe", 0, NULL, 1, { "\xff\xfe" } },

	/* The length, not a NUL, ends the input. */
	{ "length shorter than string", "ab cd", 2, NULL, 1, { "ab" } },
	{ "length cuts a quote", "'ab' cd", 3, "unterminated single quote",
	    0, { NULL } },

	/* Errors. */
	{ "unterminated single", "exec 'abc", 0,
	    "unterminated single quote", 0, { NULL } },
	{ "lone single quote", "'", 0, "unterminated single quote", 0,
	    { NULL } },
	{ "unterminated double", "exec \"abc", 0,
	    "unterminated double quote", 0, { NULL } },
	{ "double ends in escaped quote", "\"abc\\\"", 0,
	    "unterminated double quote", 0, { NULL } },
	{ "double ends in backslash", "\"abc\\", 0,
	    "unterminated double quote", 0, { NULL } },
	{ "single inside double does not close", "\"a'", 0,
	    "unterminated double quote", 0, { NULL } },
	{ "trailing backslash", "abc\\", 0, "trailing backslash", 0,
	    { NULL } },
	{ "lone backslash", "\\", 0, "trailing backslash", 0, { NULL } },
	{ "NUL byte", "a\0b", 3, "NUL byte in command line", 0, { NULL } },
	{ "NUL byte in quotes", "'a\0b'", 5, "NUL byte in command line", 0,
	    { NULL } },
	{ "NUL byte at end", "ab\0", 3, "NUL byte in command line", 0,
	    { NULL } },
};

/* Run one table case; returns 1 if everything matched. */
static int
run_case(const struct argsplit_case *tc)
{
	char	**argv = (char **)-1, *err = (char *)-1;
	size_t	  len = tc->len != 0 ? tc->len : strlen(tc->in);
	int	  argc = -2, r, ok, i;

	r = argsplit(tc->in, len, &argv, &argc, &err);
	if (tc->err != NULL) {
		ok = r == -1 && err != (char *)-1 && err != NULL &&
		    strcmp(err, tc->err) == 0 &&
		    argv == (char **)-1 && argc == -2;
		if (!ok)
			printf("#   r=%d err=\"%s\" want \"%s\"\n", r,
			    r == -1 && err != NULL ? err : "(none)", tc->err);
		if (r == -1)
			free(err);
		else
			argsplit_free(argv);
		return (ok);
	}
	if (r != 0) {
		printf("#   unexpected error \"%s\"\n", err);
		free(err);
		return (0);
	}
	ok = err == (char *)-1 && argc == tc->argc;
	if (argc != tc->argc)
		printf("#   argc %d, want %d\n", argc, tc->argc);
	for (i = 0; ok && i < argc; i++) {
		if (argv[i] == NULL || strcmp(argv[i], tc->argv[i]) != 0) {
			printf("#   argv[%d] \"%s\", want \"%s\"\n", i,
			    argv[i] ? argv[i] : "(null)", tc->argv[i]);
			ok = 0;
		}
	}
	if (ok && argv[argc] != NULL) {
		printf("#   argv[%d] is not NULL\n", argc);
		ok = 0;
	}
	argsplit_free(argv);
	return (ok);
}

/* Build n words "w0 w1 ..." separated by sep. */
static char *
make_words(int n, const char *sep, size_t *len)
{
	struct buf	 b;
	int		 i;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (i != 0)
			buf_adds(&b, sep);
		buf_printf(&b, "w%d", i);
	}
	buf_cstr(&b);
	*len = b.len;
	return (b.data);
}

/* The word limit: exactly ARGSPLIT_MAX works, one more does not. */
static void
test_limit(void)
{
	char	**argv, *err = NULL, *s, want[32];
	size_t	  len;
	int	  argc = 0, r, ok, i;

	s = make_words(ARGSPLIT_MAX, " ", &len);
	r = argsplit(s, len, &argv, &argc, &err);
	ok = r == 0 && argc == ARGSPLIT_MAX;
	for (i = 0; ok && i < argc; i++) {
		snprintf(want, sizeof want, "w%d", i);
		ok = strcmp(argv[i], want) == 0;
	}
	tap_ok(ok && argv[ARGSPLIT_MAX] == NULL,
	    "%d words are accepted, in order", ARGSPLIT_MAX);
	if (r == 0)
		argsplit_free(argv);
	free(s);

	s = make_words(ARGSPLIT_MAX + 1, " ", &len);
	err = NULL;
	r = argsplit(s, len, &argv, &argc, &err);
	tap_ok(r == -1, "%d words are refused", ARGSPLIT_MAX + 1);
	tap_is(err, "too many arguments", "error for too many words");
	free(err);
	free(s);

	/* The excess word being empty or at the end changes nothing. */
	s = make_words(ARGSPLIT_MAX, "\t", &len);
	s = xreallocarray(s, 1, len + 4);
	memcpy(s + len, " ''", 4);
	err = NULL;
	r = argsplit(s, len + 3, &argv, &argc, &err);
	tap_ok(r == -1, "an extra empty word beyond the limit is refused");
	tap_is(err, "too many arguments", "error for the extra empty word");
	free(err);
	free(s);

	/* Blanks are not words: many of them around few words are fine. */
	s = xmalloc(3 * ARGSPLIT_MAX + 4);
	memset(s, ' ', 3 * ARGSPLIT_MAX);
	memcpy(s + 3 * ARGSPLIT_MAX, "a b", 4);
	r = argsplit(s, strlen(s), &argv, &argc, &err);
	tap_ok(r == 0 && argc == 2, "many blanks do not count as words");
	if (r == 0)
		argsplit_free(argv);
	free(s);
}

/* One long word goes through whole. */
static void
test_long_word(void)
{
	char	**argv, *err = NULL, *s;
	size_t	  n = 1024 * 1024;
	int	  argc = 0, r;

	s = xmalloc(n + 3);
	s[0] = '"';
	memset(s + 1, 'x', n);
	s[n + 1] = '"';
	s[n + 2] = '\0';
	r = argsplit(s, n + 2, &argv, &argc, &err);
	tap_ok(r == 0 && argc == 1 && strlen(argv[0]) == n &&
	    argv[0][0] == 'x' && argv[0][n - 1] == 'x',
	    "a 1 MiB quoted word is kept whole");
	if (r == 0)
		argsplit_free(argv);
	else
		free(err);
	free(s);
}

/* An empty input gives an empty, NULL-terminated list. */
static void
test_empty(void)
{
	char	**argv = NULL, *err = NULL;
	int	  argc = -1, r;

	r = argsplit(NULL, 0, &argv, &argc, &err);
	tap_ok(r == 0 && argc == 0 && argv != NULL && argv[0] == NULL,
	    "NULL with length 0 gives argc 0 and argv {NULL}");
	if (r == 0)
		argsplit_free(argv);
	argsplit_free(NULL);	/* must not crash */
}

int
main(void)
{
	size_t	 i;

	for (i = 0; i < nitems(cases); i++)
		tap_ok(run_case(&cases[i]), "%s", cases[i].name);
	test_limit();
	test_long_word();
	test_empty();
	return (tap_done());
}
