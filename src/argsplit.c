/*
 * argsplit.c: split one command-line string (an SSH exec request, or a
 * command sent over the unix socket) into words by a fixed POSIX-shell-like
 * quoting grammar. Nothing is ever expanded, substituted or redirected.
 *
 * Handles untrusted input from the network: the input is a byte range that
 * need not be NUL-terminated, NUL bytes are refused, the word count is
 * bounded by ARGSPLIT_MAX, and no word can be longer than the input. The
 * scanner is a single loop over the input, without recursion.
 */
#include <stdlib.h>
#include <string.h>

#include "dbgate.h"
#include "argsplit.h"

struct argsplit_words {
	char	**v;
	size_t	  n;
	size_t	  cap;
};

/* Say whether c separates words outside quotes. */
static int
argsplit_is_blank(char c)
{
	return (c == ' ' || c == '\t' || c == '\n');
}

/* Say whether a backslash before c escapes it inside double quotes. */
static int
argsplit_dq_escapable(char c)
{
	return (c == '"' || c == '\\' || c == '$' || c == '`' || c == '\n');
}

/*
 * Move the word collected in w to the end of the list, leaving w empty.
 * Returns -1 when the list already holds ARGSPLIT_MAX words.
 */
static int
argsplit_push(struct argsplit_words *words, struct buf *w)
{
	char	*copy;

	if (words->n >= ARGSPLIT_MAX)
		return (-1);
	if (words->n + 1 >= words->cap) {
		words->cap = words->cap == 0 ? 8 : words->cap * 2;
		if (words->cap > ARGSPLIT_MAX + 1)
			words->cap = ARGSPLIT_MAX + 1;
		words->v = xreallocarray(words->v, words->cap,
		    sizeof *words->v);
	}
	copy = xmalloc(w->len + 1);
	if (w->len != 0)
		memcpy(copy, w->data, w->len);
	copy[w->len] = '\0';
	words->v[words->n++] = copy;
	words->v[words->n] = NULL;
	buf_reset(w);
	return (0);
}

/* Split s (len bytes) into words; see argsplit.h for the grammar. */
int
argsplit(const char *s, size_t len, char ***argv, int *argc, char **err)
{
	struct argsplit_words	 words = { NULL, 0, 0 };
	struct buf		 w;
	const char		*e = NULL, *q;
	size_t			 i;
	int			 inword = 0;
	char			 c;

	buf_init(&w);
	if (len != 0 && memchr(s, '\0', len) != NULL) {
		e = "NUL byte in command line";
		goto out;
	}

	i = 0;
	while (i < len) {
		c = s[i];
		if (argsplit_is_blank(c)) {
			if (inword && argsplit_push(&words, &w) != 0) {
				e = "too many arguments";
				goto out;
			}
			inword = 0;
			i++;
		} else if (c == '\\') {
			if (i + 1 >= len) {
				e = "trailing backslash";
				goto out;
			}
			/* Backslash-newline is a line continuation. */
			if (s[i + 1] != '\n') {
				buf_addc(&w, s[i + 1]);
				inword = 1;
			}
			i += 2;
		} else if (c == '\'') {
			q = memchr(s + i + 1, '\'', len - i - 1);
			if (q == NULL) {
				e = "unterminated single quote";
				goto out;
			}
			buf_add(&w, s + i + 1, (size_t)(q - (s + i + 1)));
			inword = 1;
			i = (size_t)(q - s) + 1;
		} else if (c == '"') {
			inword = 1;
			for (i++; i < len && s[i] != '"'; i++) {
				if (s[i] == '\\' && i + 1 < len &&
				    argsplit_dq_escapable(s[i + 1])) {
					i++;
					if (s[i] != '\n')
						buf_addc(&w, s[i]);
				} else
					buf_addc(&w, s[i]);
			}
			if (i >= len) {
				e = "unterminated double quote";
				goto out;
			}
			i++;	/* the closing quote */
		} else {
			buf_addc(&w, c);
			inword = 1;
			i++;
		}
	}
	if (inword && argsplit_push(&words, &w) != 0) {
		e = "too many arguments";
		goto out;
	}
	if (words.v == NULL)
		words.v = xcalloc(1, sizeof *words.v);

out:
	buf_free(&w);
	if (e != NULL) {
		argsplit_free(words.v);
		*err = xstrdup(e);
		return (-1);
	}
	*argv = words.v;
	*argc = (int)words.n;
	return (0);
}

/* Free a word list returned by argsplit; NULL is a no-op. */
void
argsplit_free(char **argv)
{
	size_t	 i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}
