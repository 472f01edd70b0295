/*
 * render.h: output renderers (table, csv, json, ndjson). A renderer is
 * driven statement by statement and row by row and writes into an out
 * stream; it never holds a whole result (table buffers a bounded sample to
 * size its columns). Pure: no printing, no exiting.
 */
#ifndef RENDER_H
#define RENDER_H

#include "dbgate.h"
#include "result.h"

enum render_format {
	RENDER_TABLE,
	RENDER_CSV,
	RENDER_JSON,
	RENDER_NDJSON,
};

/* An output stream: renderers append to buf, then call out_maybe_flush. */
struct out {
	struct buf	 buf;
	/* Deliver len bytes (whole rows); 0 or -1 on failure. */
	int		(*flush)(struct out *, const char *, size_t);
	void		*arg;
	int		 failed;	/* a flush failed: stop producing */
};
#define OUT_FLUSH_AT	(256 * 1024)

void	 out_init(struct out *, int (*)(struct out *, const char *, size_t),
	    void *);
/* Flush if buf holds at least OUT_FLUSH_AT bytes; -1 if the stream failed. */
int	 out_maybe_flush(struct out *);
/* Flush everything; -1 if the stream failed. */
int	 out_flush(struct out *);
void	 out_free(struct out *);

struct render_info {
	const char	*target;
	const char	*session_id;
	const char	*user;
};

struct render;

int		 render_format_parse(const char *, enum render_format *);
const char	*render_format_name(enum render_format);

/* Returns a renderer writing to out (not owned). */
struct render	*render_new(enum render_format, struct out *,
		    const struct render_info *);
void		 render_free(struct render *);
/* Table format: one line per column for each row (psql \x). */
void		 render_set_expanded(struct render *, int);
void		 render_set_fit(struct render *, size_t cols);

/* Return 0, or -1 if the output failed (out->failed) or, for
 * render_columns, RENDER_EMULTI when CSV output would get a second result
 * set with columns. */
#define RENDER_EMULTI	(-2)
int	 render_begin(struct render *);
int	 render_statement(struct render *, const char *sql, size_t len);
int	 render_columns(struct render *, const struct result_column *,
	    size_t);
int	 render_row(struct render *, const struct result_cell *, size_t);
int	 render_statement_end(struct render *, const struct stmt_outcome *);
int	 render_end(struct render *, int exit_status);

/*
 * Append s to b with every byte or character that could drive a terminal
 * made visible: C0 controls and DEL as \xNN (except that \t and \n are
 * shown as \t and \n), C1 controls, bidi controls (U+202A-202E,
 * U+2066-2069, U+200E/200F, U+061C), zero-width characters (U+200B-200D,
 * U+2060, U+FEFF) as \u{XXXX}, a backslash as \\, invalid UTF-8 bytes as
 * \xNN. Returns the display width appended (one column per character).
 */
size_t	 render_escape(struct buf *, const char *s, size_t len);

#endif
