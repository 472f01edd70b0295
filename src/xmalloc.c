/*
 * xmalloc.c: allocation wrappers that end the program when memory runs out,
 * for program code. Pure modules use them too: running out of memory is
 * not an error they could report usefully.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dbgate.h"

/* Allocate size bytes. */
void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		size = 1;
	if ((p = malloc(size)) == NULL)
		fatal("out of memory allocating %zu bytes", size);
	return (p);
}

/* Allocate n zeroed elements of size bytes. */
void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		n = size = 1;
	if ((p = calloc(n, size)) == NULL)
		fatal("out of memory allocating %zu x %zu bytes", n, size);
	return (p);
}

/* Resize p to n elements of size bytes, checking for overflow. */
void *
xreallocarray(void *p, size_t n, size_t size)
{
	void	*np;

	if (size != 0 && n > SIZE_MAX / size)
		fatalx("allocation overflow: %zu x %zu", n, size);
	if (n * size == 0)
		n = size = 1;
	if ((np = realloc(p, n * size)) == NULL)
		fatal("out of memory allocating %zu x %zu bytes", n, size);
	return (np);
}

/* Copy a string. */
char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		fatal("out of memory copying a string");
	return (p);
}

/* Copy at most n bytes of a string and terminate it. */
char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	if ((p = strndup(s, n)) == NULL)
		fatal("out of memory copying a string");
	return (p);
}

/* Format into a new string. */
int
xvasprintf(char **ret, const char *fmt, va_list ap)
{
	int	 n;

	if ((n = vasprintf(ret, fmt, ap)) < 0)
		fatal("out of memory formatting a string");
	return (n);
}

/* Format into a new string. */
int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(ret, fmt, ap);
	va_end(ap);
	return (n);
}

/* Copy src into dst of size bytes, always terminated; returns strlen(src). */
size_t
strlcpy_(char *dst, const char *src, size_t size)
{
	size_t	 len = strlen(src);

	if (size != 0) {
		size_t	 n = len >= size ? size - 1 : len;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return (len);
}
