/*
 * pipeline.h: the statement pipeline of design.md section 2: check bytes,
 * split and classify, policy, approval, execute, mask, record, render. Every
 * way in (exec, the REPL) runs statements through here.
 */
#ifndef PIPELINE_H
#define PIPELINE_H

#include "render.h"

struct session;

struct pipeline_input {
	const char	*text;
	size_t		 len;
};

struct pipeline_opts {
	enum render_format	 format;
	char *const		*params;	/* --param values */
	size_t			 nparams;
	int			 single_txn;	/* -1 */
	int			 expanded;	/* table: \x, \G */
	size_t			 fit;		/* table: terminal width, or 0 */
	int			 internal;	/* the gateway's own catalog
						   query (backslash commands):
						   classified and recorded,
						   not judged by policy */
	size_t			*executed;	/* if set: how many statements
						   were sent to the backend */
};

/*
 * Run the inputs (each -c, or the input stream) as one request on the
 * session's open backend. Output goes to the client as it is produced.
 * Returns the exit status (dbgate(1) EXIT STATUS).
 */
int	 pipeline_exec(struct session *, const struct pipeline_input *,
	    size_t n, const struct pipeline_opts *);

#endif
