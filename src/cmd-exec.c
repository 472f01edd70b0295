/*
 * cmd-exec.c: dbgate exec TARGET: run SQL without a terminal. The local
 * side reads -f files itself (the gateway never opens a path a caller
 * names) and forwards them as -c text (or, to a gateway host over SSH, a
 * single file as input); the gateway side opens the target
 * and runs the request through the pipeline. Arguments on the gateway side
 * come from an untrusted caller.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "dbgate.h"
#include "render.h"
#ifndef DBGATE_THIN
#include "pipeline.h"
#include "session.h"
#endif

#define EXEC_MAX_CORRELATION	128
#define EXEC_SSH_INLINE_MAX	(64 * 1024)	/* longer -c: as input */

static const struct option cmd_exec_longopts[] = {
	{ "command",		required_argument,	NULL, 'c' },
	{ "file",		required_argument,	NULL, 'f' },
	{ "output",		required_argument,	NULL, 'o' },
	{ "param",		required_argument,	NULL, 'p' },
	{ "single-transaction",	no_argument,		NULL, '1' },
	{ "correlation-id",	required_argument,	NULL, 'C' },
	{ "help",		no_argument,		NULL, 'h' },
	{ NULL,			0,			NULL, 0 }
};
#define EXEC_SHORTOPTS	"c:f:o:1h"

/* A correlation id is printable ASCII without spaces, at most 128. */
static int
cmd_exec_valid_correlation(const char *id)
{
	size_t	 i, n = strlen(id);

	if (n == 0 || n > EXEC_MAX_CORRELATION)
		return (0);
	for (i = 0; i < n; i++)
		if (id[i] <= ' ' || id[i] > '~')
			return (0);
	return (1);
}

/* Read a whole file (or stdin for "-") that this user can read. */
static char *
cmd_exec_read_file(const char *path, size_t *lenp)
{
	struct buf	 b;
	char		 tmp[65536];
	ssize_t		 r;
	int		 fd;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY|O_CLOEXEC)) < 0) {
		fprintf(stderr, "dbgate: cannot read %s: %s\n", path,
		    strerror(errno));
		return (NULL);
	}
	buf_init(&b);
	for (;;) {
		r = read(fd, tmp, sizeof tmp);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "dbgate: cannot read %s: %s\n", path,
			    strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		if (b.len + (size_t)r > DBGATE_MAX_INPUT) {
			fprintf(stderr, "dbgate: %s is larger than %d bytes\n",
			    path, DBGATE_MAX_INPUT);
			goto fail;
		}
		buf_add(&b, tmp, (size_t)r);
	}
	if (fd != STDIN_FILENO)
		close(fd);
	*lenp = b.len;
	return (buf_cstr(&b));
fail:
	if (fd != STDIN_FILENO)
		close(fd);
	buf_free(&b);
	return (NULL);
}

/* Local side: parse, read files, forward to the gateway. */
static int
cmd_exec_local(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum render_format	 fmt;
	const char		*format = NULL, *corr;
	char			**fwd, *text, *host, *input = NULL;
	int			 nfwd = 0, ch, nsql = 0, rc, single = 0;
	int			 sql_at = -1, sql_file = 0, i;
	size_t			 len, sql_len = 0;

	fwd = xcalloc((size_t)argc * 2 + 8, sizeof *fwd);
	fwd[nfwd++] = xstrdup("exec");
	corr = getenv("DBGATE_CORRELATION_ID");
	optind = 0;
	while ((ch = getopt_long(argc, argv, EXEC_SHORTOPTS,
	    cmd_exec_longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			sql_at = nfwd;
			sql_file = 0;
			sql_len = strlen(optarg);
			fwd[nfwd++] = xstrdup("-c");
			fwd[nfwd++] = xstrdup(optarg);
			nsql++;
			break;
		case 'f':
			if ((text = cmd_exec_read_file(optarg, &len)) == NULL)
				goto usage;
			if (memchr(text, '\0', len) != NULL) {
				fprintf(stderr, "dbgate: %s holds a NUL byte; "
				    "SQL input must be text\n", optarg);
				free(text);
				goto usage;
			}
			sql_at = nfwd;
			sql_file = 1;
			sql_len = len;
			fwd[nfwd++] = xstrdup("-c");
			fwd[nfwd++] = text;
			nsql++;
			break;
		case 'o':
			if (render_format_parse(optarg, &fmt) != 0) {
				fprintf(stderr, "dbgate: unknown output format "
				    "\"%s\" (table, csv, json, ndjson)\n",
				    optarg);
				goto usage;
			}
			format = optarg;
			break;
		case 'p':
			fwd[nfwd++] = xstrdup("--param");
			fwd[nfwd++] = xstrdup(optarg);
			break;
		case '1':
			single = 1;
			break;
		case 'C':
			corr = optarg;
			break;
		case 'h':
			cmd_usage(&cmd_exec_entry);
			rc = EXIT_OK;
			goto out;
		default:
			cmd_usage(&cmd_exec_entry);
			goto usage;
		}
	}
	if (optind != argc - 1) {
		cmd_usage(&cmd_exec_entry);
		goto usage;
	}
	if (corr != NULL && !cmd_exec_valid_correlation(corr)) {
		fprintf(stderr, "dbgate: a correlation id is 1 to %d printable "
		    "characters without spaces\n", EXEC_MAX_CORRELATION);
		goto usage;
	}
	if (format == NULL)
		format = isatty(STDOUT_FILENO) ? "table" : "csv";
	fwd[nfwd++] = xstrdup("-o");
	fwd[nfwd++] = xstrdup(format);
	if (single)
		fwd[nfwd++] = xstrdup("-1");
	if (corr != NULL) {
		fwd[nfwd++] = xstrdup("--correlation-id");
		fwd[nfwd++] = xstrdup(corr);
	}
	fwd[nfwd++] = xstrdup(argv[optind]);
	/*
	 * Through a gateway host the command line travels in an SSH request
	 * of limited size: one file (or one long -c) goes as input instead,
	 * which the gateway reads exactly as it reads -c.
	 */
	if ((rc = client_gateway(ctx, &host)) < 0)
		goto usage;
	free(host);
	if (rc == 1 && nsql == 1 && (sql_file ||
	    sql_len > EXEC_SSH_INLINE_MAX)) {
		free(fwd[sql_at]);
		input = fwd[sql_at + 1];
		for (i = sql_at; i + 2 < nfwd; i++)
			fwd[i] = fwd[i + 2];
		nfwd -= 2;
	}
	rc = client_run(ctx, nfwd, fwd, input, sql_len, nsql == 0);
	free(input);
	goto out;
usage:
	rc = EXIT_USAGE;
out:
	while (nfwd > 0)
		free(fwd[--nfwd]);
	free(fwd);
	return (rc);
}

#ifndef DBGATE_THIN
/* Gateway side: open the target and run the request. */
static int
cmd_exec_session(struct session *s, int argc, char **argv)
{
	struct pipeline_input	*in;
	struct pipeline_opts	 opts;
	struct buf		 input;
	char			**params, *err = NULL;
	size_t			 nin = 0, nparams = 0;
	int			 ch, rc;

	memset(&opts, 0, sizeof opts);
	/* As the local client chooses: a table for a terminal. */
	opts.format = s->tr->tty ? RENDER_TABLE : RENDER_CSV;
	in = xcalloc((size_t)argc + 1, sizeof *in);
	params = xcalloc((size_t)argc + 1, sizeof *params);
	buf_init(&input);
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, EXEC_SHORTOPTS,
	    cmd_exec_longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			in[nin].text = optarg;
			in[nin++].len = strlen(optarg);
			break;
		case 'f':
			session_errorf(s, "-f is read by the dbgate client on "
			    "your machine; over other ways in, send the file "
			    "on standard input");
			rc = EXIT_USAGE;
			goto out;
		case 'o':
			if (render_format_parse(optarg, &opts.format) != 0) {
				session_errorf(s, "unknown output format \"%s\" "
				    "(table, csv, json, ndjson)", optarg);
				rc = EXIT_USAGE;
				goto out;
			}
			break;
		case 'p':
			params[nparams++] = optarg;
			break;
		case '1':
			opts.single_txn = 1;
			break;
		case 'C':
			if (!cmd_exec_valid_correlation(optarg)) {
				session_errorf(s, "bad correlation id");
				rc = EXIT_USAGE;
				goto out;
			}
			s->correlation_id = optarg;
			break;
		default:
			session_errorf(s, "usage: exec %s",
			    cmd_exec_entry.usage);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (optind != argc - 1) {
		session_errorf(s, "usage: exec %s", cmd_exec_entry.usage);
		rc = EXIT_USAGE;
		goto out;
	}
	opts.params = params;
	opts.nparams = nparams;

	/* Everything below runs with privileges dropped. */
	if ((rc = session_open(s, argv[optind])) != EXIT_OK)
		goto out;
	if (nin == 0) {
		if (s->tr->read_input(s->tr, &input, DBGATE_MAX_INPUT,
		    &s->terminate, &err) != 0) {
			session_errorf(s, "reading the input: %s", err);
			free(err);
			rc = s->terminate ? EXIT_UNREACH : EXIT_USAGE;
			goto out;
		}
		in[0].text = input.data != NULL ? input.data : "";
		in[0].len = input.len;
		nin = 1;
	}
	rc = pipeline_exec(s, in, nin, &opts);
out:
	buf_free(&input);
	free(params);
	free(in);
	return (rc);
}

#endif /* !DBGATE_THIN */

const struct cmd_entry cmd_exec_entry = {
	"exec",
	"TARGET [-c SQL]... [-f FILE]... [-o table|csv|json|ndjson] "
	"[--param VALUE]... [-1] [--correlation-id ID]",
	"run SQL on a target without a terminal",
	CMD_CLIENT|CMD_TARGET, cmd_exec_local, CMD_FN(cmd_exec_session)
};
