/*
 * repl.c: the interactive session of dbgate connect. readline runs here,
 * in the session process, straight on the client's byte stream: keys come
 * from the transport (read_some), readline's output goes to the client as
 * recorded stdout, and no pty is involved (the same code serves the unix
 * socket and SSH). The client's terminal is in raw mode, so every "\n"
 * sent during a REPL goes out as "\r\n". Each statement typed runs through
 * the same pipeline as exec, as a request of its own; backslash commands
 * run the gateway's own catalog queries through it too, with the typed
 * names bound as parameters. Nothing here opens a file a caller names,
 * runs a program or reads the environment for the caller. Handles
 * untrusted input: every byte the client types.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <readline/readline.h>
#include <readline/history.h>

#include "detect.h"
#include "pipeline.h"
#include "session.h"

#define REPL_HISTORY_MAX	1000	/* lines kept per user and target */
#define REPL_MAX_DELIM		15

struct repl {
	struct session	*s;
	int		(*send)(struct transport *, int, const void *, size_t);
	FILE		*out;		/* readline's stream: recorded stdout */
	struct buf	 in;		/* typed, not yet taken by readline */
	size_t		 off;
	int		 eof;		/* the client ended its input */
	int		 gone;		/* the client went away */
	int		 cancelled;	/* Ctrl-C at the prompt */
	struct buf	 stmt;		/* the statement being typed */
	char		 delim[REPL_MAX_DELIM + 1];
	int		 expanded;	/* \x */
	int		 timing;	/* \timing */
	int		 history_fd;
	unsigned int	 cols, rows;
};
static struct repl	 repl;

/* Ctrl-C while a statement runs: a thread watches the client. */
struct repl_watch {
	pthread_t	 thread;
	int		 wake[2];
	volatile int	 stop;
	volatile int	 cancel_asked;
	volatile int	 cancel_failed;	/* the driver could not */
};

/* Send to the client with "\n" as "\r\n": its terminal is raw. */
static int
repl_send(struct transport *tr, int stream, const void *data, size_t len)
{
	const char	*p = data, *nl;
	struct buf	 b;
	int		 rc;

	if (memchr(p, '\n', len) == NULL)
		return (repl.send(tr, stream, p, len));
	buf_init(&b);
	while (len > 0 && (nl = memchr(p, '\n', len)) != NULL) {
		buf_add(&b, p, (size_t)(nl - p));
		if (nl == p || nl[-1] != '\r')
			buf_addc(&b, '\r');
		buf_addc(&b, '\n');
		len -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
	buf_add(&b, p, len);
	rc = repl.send(tr, stream, b.data, b.len);
	buf_free(&b);
	return (rc);
}

/* readline's output: recorded, then sent. */
static ssize_t
repl_cookie_write(void *cookie, const char *p, size_t len)
{
	(void)cookie;
	if (repl.gone || session_send_out(repl.s, p, len) != 0) {
		repl.gone = 1;
		return (-1);
	}
	return ((ssize_t)len);
}

/* readline reads nothing through its stream: see repl_getc. */
static ssize_t
repl_cookie_read(void *cookie, char *p, size_t len)
{
	(void)cookie;
	(void)p;
	(void)len;
	return (0);
}

/* Tell readline the client's window size, if it changed. */
static void
repl_resize(void)
{
	struct transport	*tr = repl.s->tr;

	if (tr->cols == 0 || tr->rows == 0 || tr->cols > 1000 ||
	    tr->rows > 1000 || (tr->cols == repl.cols && tr->rows == repl.rows))
		return;
	repl.cols = tr->cols;
	repl.rows = tr->rows;
	rl_set_screen_size((int)repl.rows, (int)repl.cols);
}

static void	repl_printf(const char *, ...) printflike(1, 2);

/* A message to the client's terminal (not SQL output), recorded. */
static void
repl_printf(const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	if (!repl.gone && session_send_out(repl.s, msg, strlen(msg)) != 0)
		repl.gone = 1;
	free(msg);
}

/* readline's next key: typed bytes from the client, waiting if need be. */
static int
repl_getc(FILE *f)
{
	struct session	*s = repl.s;
	char		*err = NULL;
	int		 r;

	(void)f;
	fflush(repl.out);
	for (;;) {
		if (repl.off < repl.in.len)
			return ((unsigned char)repl.in.data[repl.off++]);
		buf_reset(&repl.in);
		repl.off = 0;
		if (repl.eof || repl.gone || s->terminate)
			return (EOF);
		r = s->tr->read_some(s->tr, &repl.in, s->monitor_fd,
		    &repl.eof, &err);
		if (r < 0) {
			log_info("%s", err);
			free(err);
			repl.gone = 1;
			return (EOF);
		}
		if (session_poll_monitor(s) != 0)
			return (EOF);
		repl_resize();
	}
}

/* Whether typed input is waiting (readline's key sequence timeouts). */
static int
repl_input_available(void)
{
	return (repl.off < repl.in.len);
}

/* The terminal is the client's, already raw: nothing to prepare. */
static void
repl_prep_term(int meta)
{
	(void)meta;
	/* The client's terminal does not echo: readline does. */
	rl_tty_set_echoing(1);
}

static void
repl_deprep_term(void)
{
}

/* Ctrl-C at the prompt: drop the statement being typed. */
static int
repl_key_cancel(int count, int key)
{
	(void)count;
	(void)key;
	rl_replace_line("", 0);
	repl.cancelled = 1;
	rl_done = 1;
	return (0);
}

static const char *const repl_words[] = {
	"ALTER", "AND", "AS", "ASC", "BEGIN", "BETWEEN", "BY", "CASE",
	"COMMIT", "COUNT", "CREATE", "CROSS", "DELETE", "DESC", "DISTINCT",
	"ELSE", "END", "EXISTS", "EXPLAIN", "FROM", "FULL", "GROUP", "HAVING",
	"IN", "INNER", "INSERT", "INTO", "IS", "JOIN", "LEFT", "LIKE", "LIMIT",
	"NOT", "NULL", "OFFSET", "ON", "OR", "ORDER", "OUTER", "RETURNING",
	"RIGHT", "ROLLBACK", "SELECT", "SET", "SHOW", "TABLE", "THEN",
	"UNION", "UPDATE", "USE", "USING", "VALUES", "WHEN", "WHERE", "WITH",
	"\\?", "\\conninfo", "\\d", "\\df", "\\dn", "\\dt", "\\q", "\\timing",
	"\\x", NULL
};
static char	**repl_names;	/* relation names, for completion */
static size_t	  repl_nnames;

/* Completion candidates: keywords, backslash commands, relations. */
static char *
repl_complete_word(const char *text, int state)
{
	static size_t	 i;
	size_t		 len = strlen(text), n, k;
	const char	*w;
	char		*m;
	int		 lower = len > 0 && islower((unsigned char)text[0]);

	if (state == 0)
		i = 0;
	n = sizeof repl_words / sizeof repl_words[0] - 1;
	while (i < n + repl_nnames) {
		w = i < n ? repl_words[i] : repl_names[i - n];
		i++;
		if (strncasecmp(w, text, len) != 0)
			continue;
		m = xstrdup(w);
		if (lower && i <= n)
			for (k = 0; m[k] != '\0'; k++)
				m[k] = (char)tolower((unsigned char)m[k]);
		return (m);
	}
	return (NULL);
}

/* Complete from our own words only, never file names on the gateway. */
static char **
repl_complete(const char *text, int start, int end)
{
	(void)start;
	(void)end;
	rl_attempted_completion_over = 1;
	return (rl_completion_matches(text, repl_complete_word));
}

/* Never complete file names. */
static char *
repl_complete_none(const char *text, int state)
{
	(void)text;
	(void)state;
	return (NULL);
}

/*
 * Sink that collects the first column, for completion names. A name the
 * value detectors flag is masking's business, not completion's: dropped.
 */
static int
repl_names_row(void *arg, const struct result_cell *cells, size_t n)
{
	struct buf	*scratch = arg;

	if (n < 1 || cells[0].isnull || repl_nnames >= 10000)
		return (0);
	if (detect_mask(DETECT_ALL, cells[0].data, cells[0].len, scratch,
	    NULL) > 0)
		return (0);
	repl_names = xreallocarray(repl_names, repl_nnames + 1,
	    sizeof *repl_names);
	repl_names[repl_nnames++] = xstrndup(cells[0].data, cells[0].len);
	return (0);
}

/*
 * Load relation and column names for completion: the gateway's own
 * catalog query, recorded as such; names are schema metadata, not values,
 * and go to nobody but readline's completion.
 */
static void
repl_load_names(struct session *s)
{
	struct backend_sink	 sink;
	struct backend_result	 res;
	struct buf		 scratch;
	const char		*sql;

	/* Relations the search path sees, and their columns. */
	sql = s->bops->dialect == SQL_POSTGRESQL ?
	    "SELECT c.relname::pg_catalog.text FROM pg_catalog.pg_class c "
	    "WHERE c.relkind OPERATOR(pg_catalog.=) ANY "
	    "('{r,p,v,m,f}'::pg_catalog.\"char\"[]) "
	    "AND pg_catalog.pg_table_is_visible(c.oid) "
	    "UNION SELECT a.attname::pg_catalog.text "
	    "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c "
	    "ON c.oid OPERATOR(pg_catalog.=) a.attrelid "
	    "WHERE a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped "
	    "AND c.relkind OPERATOR(pg_catalog.=) ANY "
	    "('{r,p,v,m,f}'::pg_catalog.\"char\"[]) "
	    "AND pg_catalog.pg_table_is_visible(c.oid) "
	    "ORDER BY 1 LIMIT 10000" :
	    "SELECT table_name FROM information_schema.tables WHERE "
	    "table_schema = DATABASE() UNION SELECT column_name FROM "
	    "information_schema.columns WHERE table_schema = DATABASE() "
	    "ORDER BY 1 LIMIT 10000";
	memset(&sink, 0, sizeof sink);
	memset(&res, 0, sizeof res);
	buf_init(&scratch);
	sink.row = repl_names_row;
	sink.arg = &scratch;
	session_record(s, "catalog", json_pack("{s:s, s:s}", "purpose",
	    "completion", "sql", sql));
	(void)s->bops->exec(s->backend, sql, strlen(sql), NULL, 0, &sink,
	    &res);
	backend_result_clear(&res);
	buf_free(&scratch);
}

/*
 * History per user and target, in StateDir/history (opened by session_open
 * before privileges are dropped: s->history_fd). One line per entry.
 */
static void
repl_history_load(int fd)
{
	struct buf	 b;
	char		 tmp[8192], *p, *nl;
	ssize_t		 r;

	if (fd < 0)
		return;
	buf_init(&b);
	while ((r = read(fd, tmp, sizeof tmp)) > 0 && b.len < 4 * 1024 * 1024)
		buf_add(&b, tmp, (size_t)r);
	buf_addc(&b, '\0');
	for (p = b.data; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		*nl = '\0';
		if (*p != '\0')
			add_history(p);
	}
	buf_free(&b);
	stifle_history(REPL_HISTORY_MAX);
}

/* Write the history back (the last REPL_HISTORY_MAX lines). */
static void
repl_history_save(int fd)
{
	HIST_ENTRY	**list;
	struct buf	 b;
	int		 i;

	if (fd < 0 || (list = history_list()) == NULL)
		return;
	buf_init(&b);
	for (i = 0; list[i] != NULL; i++) {
		buf_adds(&b, list[i]->line);
		buf_addc(&b, '\n');
	}
	if (lseek(fd, 0, SEEK_SET) == 0 && ftruncate(fd, 0) == 0 &&
	    write(fd, b.data, b.len) != (ssize_t)b.len)
		log_warn("cannot write the REPL history: %s", strerror(errno));
	buf_free(&b);
}

/* The watcher: reads the client while a statement runs; Ctrl-C cancels. */
static void *
repl_watch_main(void *arg)
{
	struct repl_watch	*w = arg;
	struct session		*s = repl.s;
	char			*err = NULL, *c;
	size_t			 before;
	int			 r;

	while (!w->stop && !repl.eof) {
		before = repl.in.len;
		r = s->tr->read_some(s->tr, &repl.in, w->wake[0], &repl.eof,
		    &err);
		if (r < 0) {
			free(err);
			repl.gone = 1;
			s->bops->cancel(s->backend);
			break;
		}
		if (r == 0 || repl.in.len == before)
			continue;
		c = memchr(repl.in.data + before, 0x03, repl.in.len - before);
		if (c == NULL)
			continue;
		/* What was typed ahead of the Ctrl-C goes with it. */
		repl.off = (size_t)(c - repl.in.data) + 1;
		w->cancel_asked = 1;
		if (s->bops->cancel_query(s->backend) != 0)
			w->cancel_failed = 1;
	}
	return (NULL);
}

/* Run one request typed at the prompt. Returns the exit status. */
static int
repl_request(const char *text, size_t len, int vertical, int internal,
    char *const *params, size_t nparams)
{
	struct session		*s = repl.s;
	struct pipeline_input	 in;
	struct pipeline_opts	 o;
	struct guard_ctx	 snap;
	struct repl_watch	 w;
	struct timespec		 t0, t1;
	sigset_t		 all, old;
	size_t			 executed = 0;
	int			 status, watching = 0;

	memset(&o, 0, sizeof o);
	o.format = RENDER_TABLE;
	o.expanded = repl.expanded || vertical;
	o.fit = repl.cols;
	o.internal = internal;
	o.params = params;
	o.nparams = nparams;
	o.executed = &executed;
	in.text = text;
	in.len = len;
	guard_ctx_copy(&snap, &s->guard);

	memset(&w, 0, sizeof w);
	if (pipe(w.wake) == 0) {
		/* Signals stay with the main thread. */
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		watching = pthread_create(&w.thread, NULL, repl_watch_main,
		    &w) == 0;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	status = pipeline_exec(s, &in, 1, &o);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (watching) {
		w.stop = 1;
		(void)write(w.wake[1], "", 1);
		pthread_join(w.thread, NULL);
	}
	if (w.wake[0] >= 0 && watching) {
		close(w.wake[0]);
		close(w.wake[1]);
	}

	/* Nothing ran: what classifying it changed did not happen. */
	if (executed == 0) {
		guard_ctx_free(&s->guard);
		s->guard = snap;
	} else
		guard_ctx_free(&snap);
	if (w.cancel_failed)
		repl_printf("Ctrl-C: cancelling a running statement is not "
		    "available on this %s session; StatementTimeout limits "
		    "it\n", s->bops->name);
	if (repl.timing && !internal)
		repl_printf("Time: %.3f ms\n", (t1.tv_sec - t0.tv_sec) * 1e3 +
		    (t1.tv_nsec - t0.tv_nsec) / 1e6);
	return (status);
}

/*
 * Find where the statement in p ends: the first delimiter, \g or \G
 * outside quotes and comments. Returns its offset, with *tlen its length
 * and *vertical set for \G, or -1 while the statement goes on.
 */
static long
repl_scan(const char *p, size_t len, int mysql, const char *delim,
    size_t *tlen, int *vertical)
{
	size_t	 i = 0, j, dl = strlen(delim), tag;
	int	 depth, esc;
	char	 q;

	while (i < len) {
		if (p[i] == '\'' || p[i] == '"' || (mysql && p[i] == '`')) {
			q = p[i];
			esc = mysql ? q != '`' : q == '\'' && i > 0 &&
			    (p[i - 1] == 'E' || p[i - 1] == 'e') &&
			    (i < 2 || !(isalnum((unsigned char)p[i - 2]) ||
			    p[i - 2] == '_'));
			for (i++; i < len; i++) {
				if (esc && p[i] == '\\') {
					i++;
					continue;
				}
				if (p[i] != q)
					continue;
				if (i + 1 < len && p[i + 1] == q) {
					i++;
					continue;
				}
				break;
			}
			if (i >= len)
				return (-1);
			i++;
			continue;
		}
		if ((p[i] == '-' && i + 1 < len && p[i + 1] == '-' && (!mysql ||
		    i + 2 >= len || isspace((unsigned char)p[i + 2]))) ||
		    (mysql && p[i] == '#')) {
			while (i < len && p[i] != '\n')
				i++;
			continue;
		}
		if (p[i] == '/' && i + 1 < len && p[i + 1] == '*') {
			depth = 1;
			for (i += 2; i < len && depth > 0; i++) {
				if (p[i] == '*' && i + 1 < len &&
				    p[i + 1] == '/') {
					depth--;
					i++;
				} else if (!mysql && p[i] == '/' &&
				    i + 1 < len && p[i + 1] == '*') {
					depth++;
					i++;
				}
			}
			if (depth > 0)
				return (-1);
			continue;
		}
		if (!mysql && p[i] == '$' && (i == 0 ||
		    !(isalnum((unsigned char)p[i - 1]) || p[i - 1] == '_'))) {
			for (j = i + 1; j < len && (isalnum((unsigned char)p[j])
			    || p[j] == '_'); j++)
				;
			if (j < len && p[j] == '$' &&
			    !isdigit((unsigned char)p[i + 1])) {
				tag = j - i + 1;
				for (j++; j + tag <= len; j++) {
					if (memcmp(p + j, p + i, tag) == 0)
						break;
				}
				if (j + tag > len)
					return (-1);
				i = j + tag;
				continue;
			}
		}
		if (p[i] == '\\' && i + 1 < len &&
		    (p[i + 1] == 'g' || p[i + 1] == 'G')) {
			*tlen = 2;
			*vertical = p[i + 1] == 'G';
			return ((long)i);
		}
		if (dl > 0 && i + dl <= len && memcmp(p + i, delim, dl) == 0) {
			*tlen = dl;
			*vertical = 0;
			return ((long)i);
		}
		i++;
	}
	return (-1);
}

/* Whether n bytes at p are all white space. */
static int
repl_blank(const char *p, size_t n)
{
	while (n > 0 && isspace((unsigned char)*p)) {
		p++;
		n--;
	}
	return (n == 0);
}

/* Typed text made safe for the terminal (caller frees). */
static char *
repl_escape(const char *s)
{
	struct buf	 b;

	buf_init(&b);
	render_escape(&b, s, strlen(s));
	return (buf_cstr(&b));
}

/* LIKE pattern from a psql-style one: * and ? are wildcards. */
static char *
repl_like(const char *pat)
{
	struct buf	 b;

	buf_init(&b);
	for (; *pat != '\0'; pat++) {
		if (*pat == '*')
			buf_addc(&b, '%');
		else if (*pat == '?')
			buf_addc(&b, '_');
		else {
			if (*pat == '%' || *pat == '_' || *pat == '\\')
				buf_addc(&b, '\\');
			buf_addc(&b, *pat);
		}
	}
	return (buf_cstr(&b));
}

#define REPL_PG_REL \
	"SELECT n.nspname AS \"Schema\", c.relname AS \"Name\", " \
	"CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN " \
	"'partitioned table' WHEN 'v' THEN 'view' WHEN 'm' THEN " \
	"'materialized view' WHEN 'f' THEN 'foreign table' WHEN 'S' THEN " \
	"'sequence' ELSE c.relkind::text END AS \"Type\", " \
	"pg_catalog.pg_get_userbyid(c.relowner) AS \"Owner\" " \
	"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n " \
	"ON n.oid = c.relnamespace WHERE c.relkind IN (%s) " \
	"AND n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema' " \
	"AND n.nspname !~ '^pg_toast' AND %s ORDER BY 1, 2"

/* A catalog query of a backslash command, with at most one parameter. */
static int
repl_catalog(const char *sql, const char *param)
{
	char	*params[1];

	params[0] = (char *)param;
	return (repl_request(sql, strlen(sql), 0, 1, params,
	    param != NULL ? 1 : 0));
}

/* \dt, \d, \dn, \df. */
static int
repl_describe(const char *cmd, const char *arg)
{
	struct session	*s = repl.s;
	int		 pg = s->bops->dialect == SQL_POSTGRESQL;
	char		*sql = NULL, *like = NULL;
	int		 status;

	if (strcmp(cmd, "d") == 0 && arg != NULL) {
		sql = xstrdup(pg ?
		    "SELECT a.attname AS \"Column\", "
		    "pg_catalog.format_type(a.atttypid, a.atttypmod) AS \"Type\", "
		    "CASE WHEN a.attnotnull THEN 'not null' ELSE '' END "
		    "AS \"Nullable\", "
		    "pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS \"Default\" "
		    "FROM pg_catalog.pg_attribute a LEFT JOIN "
		    "pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND "
		    "d.adnum = a.attnum WHERE a.attrelid = "
		    "pg_catalog.to_regclass($1) AND a.attnum > 0 AND NOT "
		    "a.attisdropped ORDER BY a.attnum" :
		    "SELECT column_name AS `Column`, column_type AS `Type`, "
		    "is_nullable AS `Null`, column_key AS `Key`, "
		    "column_default AS `Default` FROM information_schema.columns "
		    "WHERE table_schema = DATABASE() AND table_name = ? "
		    "ORDER BY ordinal_position");
		repl_printf("Table \"%s\"\n", arg);
		status = repl_catalog(sql, arg);
		free(sql);
		return (status);
	}
	if (strcmp(cmd, "dt") == 0 || strcmp(cmd, "d") == 0) {
		if (arg != NULL)
			like = repl_like(arg);
		if (pg)
			xasprintf(&sql, REPL_PG_REL, strcmp(cmd, "dt") == 0 ?
			    "'r','p'" : "'r','p','v','m','f','S'",
			    like != NULL ? "c.relname LIKE $1" :
			    "pg_catalog.pg_table_is_visible(c.oid)");
		else
			xasprintf(&sql, "SELECT table_name AS `Name`, "
			    "table_type AS `Type` FROM "
			    "information_schema.tables WHERE table_schema = "
			    "DATABASE()%s ORDER BY table_name", like != NULL ?
			    " AND table_name LIKE ?" : "");
	} else if (strcmp(cmd, "dn") == 0) {
		sql = xstrdup(pg ?
		    "SELECT n.nspname AS \"Name\", "
		    "pg_catalog.pg_get_userbyid(n.nspowner) AS \"Owner\" "
		    "FROM pg_catalog.pg_namespace n WHERE n.nspname !~ '^pg_' "
		    "AND n.nspname <> 'information_schema' ORDER BY 1" :
		    "SELECT schema_name AS `Name` FROM "
		    "information_schema.schemata ORDER BY 1");
	} else {
		sql = xstrdup(pg ?
		    "SELECT n.nspname AS \"Schema\", p.proname AS \"Name\", "
		    "pg_catalog.pg_get_function_result(p.oid) AS "
		    "\"Result data type\", "
		    "pg_catalog.pg_get_function_arguments(p.oid) AS "
		    "\"Argument data types\" FROM pg_catalog.pg_proc p JOIN "
		    "pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
		    "WHERE n.nspname <> 'pg_catalog' AND n.nspname <> "
		    "'information_schema' ORDER BY 1, 2" :
		    "SELECT routine_name AS `Name`, routine_type AS `Type`, "
		    "data_type AS `Returns` FROM information_schema.routines "
		    "WHERE routine_schema = DATABASE() ORDER BY 1");
	}
	status = repl_catalog(sql, like);
	free(sql);
	free(like);
	return (status);
}

/* Turn a \x or \timing switch on, off, or over. */
static int
repl_toggle(int *v, const char *arg, const char *what)
{
	if (arg == NULL)
		*v = !*v;
	else if (strcasecmp(arg, "on") == 0)
		*v = 1;
	else if (strcasecmp(arg, "off") == 0)
		*v = 0;
	else {
		repl_printf("unrecognized value \"%s\": on or off\n", arg);
		return (0);
	}
	repl_printf("%s is %s.\n", what, *v ? "on" : "off");
	return (0);
}

static const char *const repl_refused[] = {
	"!", "i", "ir", "include", "include_relative", "o", "out", "e",
	"edit", "ef", "ev", "copy", "w", "write", "s", "cd", "setenv",
	"lo_import", "lo_export", "g", "gexec", "gset", "watch", "password",
	"c", "connect", "source", "system", "tee", "pager", ".", NULL
};

/*
 * Say that a client command (what, as typed: "\\!", "system") that would
 * touch files, programs or the environment does not exist here, and how
 * to do the same on the user's own machine.
 */
static void
repl_refuse(const char *what)
{
	struct session	*s = repl.s;
	char		*esc;

	esc = repl_escape(what);
	session_messagef(s, 0, "%s is not available: this session runs on "
	    "the gateway, which opens no files, runs no programs and switches "
	    "no targets for you; use \"dbgate exec %s -f FILE\" or \"-o "
	    "csv\" on your machine (or end this session and connect again)",
	    esc, s->target->name);
	free(esc);
}

/*
 * MariaDB's client commands typed as words at the start of a statement
 * (system, source): refused as their backslash forms are. 1 if line was
 * one.
 */
static int
repl_client_word(const char *line)
{
	static const char *const words[] = { "system", "source", NULL };
	const char	*p = line;
	size_t		 i, n;

	while (isspace((unsigned char)*p))
		p++;
	for (i = 0; words[i] != NULL; i++) {
		n = strlen(words[i]);
		if (strncasecmp(p, words[i], n) == 0 &&
		    (p[n] == '\0' || isspace((unsigned char)p[n]))) {
			repl_refuse(words[i]);
			return (1);
		}
	}
	return (0);
}

/*
 * A backslash command line. Returns 1 to end the session, 0 to go on.
 * What touches files, programs or the environment is refused: the REPL
 * runs on the gateway host.
 */
static int
repl_command(const char *line)
{
	struct session	*s = repl.s;
	char		*copy, *cmd, *arg, *end, *free_cmd = NULL, *esc;
	size_t		 i;
	int		 rc = 0;

	copy = xstrdup(line + 1);
	cmd = copy;
	for (end = cmd; *end != '\0' && !isspace((unsigned char)*end); end++)
		if (!isalnum((unsigned char)*end) && *end != '_') {
			/* \! and \? are one character: "\!ls" is \! ls. */
			if (end == cmd)
				end++;
			break;
		}
	arg = NULL;
	if (*end != '\0') {
		if (isspace((unsigned char)*end))
			*end++ = '\0';
		else {
			/* Keep the argument: move the command name out. */
			cmd = xstrndup(copy, (size_t)(end - copy));
			free_cmd = cmd;
		}
		while (isspace((unsigned char)*end))
			end++;
		if (*end != '\0') {
			arg = end;
			for (end = arg + strlen(arg); end > arg &&
			    isspace((unsigned char)end[-1]); end--)
				;
			*end = '\0';
		}
	}
	if (strcmp(cmd, "q") == 0 || strcmp(cmd, "quit") == 0)
		rc = 1;
	else if (strcmp(cmd, "?") == 0 || strcmp(cmd, "h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		repl_printf(
		    "  \\dt [PATTERN]   list tables\n"
		    "  \\d [NAME]       describe a table, view or sequence "
		    "(or list relations)\n"
		    "  \\dn             list schemas\n"
		    "  \\df             list functions\n"
		    "  \\x [on|off]     expanded output (one line per "
		    "column)\n"
		    "  \\timing [on|off] show how long each statement took\n"
		    "  \\conninfo       this session's target, user and id\n"
		    "  \\q              quit (or Ctrl-D)\n"
		    "  \\g, \\G          end a statement (\\G: expanded)\n"
		    "%s"
		    "Statements end with %s. Ctrl-C drops the statement being "
		    "typed, or cancels the running one.\n"
		    "Files, programs and the environment are out of reach here: "
		    "use dbgate exec -f FILE or -o csv on your machine.\n",
		    s->bops->dialect == SQL_POSTGRESQL ? "" :
		    "  DELIMITER STR   end statements with STR instead of ;\n",
		    repl.delim);
	} else if (strcmp(cmd, "x") == 0)
		rc = repl_toggle(&repl.expanded, arg, "Expanded display");
	else if (strcmp(cmd, "timing") == 0)
		rc = repl_toggle(&repl.timing, arg, "Timing");
	else if (strcmp(cmd, "conninfo") == 0)
		repl_printf("You are connected to target \"%s\" (%s, server "
		    "%s) as dbgate user \"%s\"; session %s.\n",
		    s->target->name, s->bops->name,
		    s->bops->server_version(s->backend), s->user->name, s->id);
	else if (strcmp(cmd, "dt") == 0 || strcmp(cmd, "d") == 0 ||
	    strcmp(cmd, "dn") == 0 || strcmp(cmd, "df") == 0) {
		if (repl_describe(cmd, arg) == EXIT_UNREACH)
			rc = 1;
	} else {
		for (i = 0; repl_refused[i] != NULL; i++) {
			if (strcmp(cmd, repl_refused[i]) == 0)
				break;
		}
		if (repl_refused[i] != NULL) {
			xasprintf(&esc, "\\%s", cmd);
			repl_refuse(esc);
		} else {
			esc = repl_escape(cmd);
			session_messagef(s, 0, "invalid command \\%s; try \\? "
			    "for help", esc);
		}
		free(esc);
	}
	free(free_cmd);
	free(copy);
	return (rc);
}

/* MariaDB's DELIMITER: a line of its own, with the statement empty. */
static int
repl_delimiter(const char *line)
{
	const char	*p = line, *e;

	while (isspace((unsigned char)*p))
		p++;
	if (strncasecmp(p, "delimiter", 9) != 0 ||
	    !isspace((unsigned char)p[9]))
		return (0);
	for (p += 9; isspace((unsigned char)*p); p++)
		;
	for (e = p; *e != '\0' && !isspace((unsigned char)*e); e++)
		;
	if (e == p || (size_t)(e - p) > REPL_MAX_DELIM ||
	    memchr(p, '\\', (size_t)(e - p)) != NULL ||
	    memchr(p, '\'', (size_t)(e - p)) != NULL ||
	    memchr(p, '"', (size_t)(e - p)) != NULL)
		session_errorf(repl.s, "DELIMITER takes 1 to %d characters, "
		    "without quotes or backslashes", REPL_MAX_DELIM);
	else {
		memcpy(repl.delim, p, (size_t)(e - p));
		repl.delim[e - p] = '\0';
	}
	return (1);
}

/* Whether the session must end after a request's status. */
static int
repl_stop(int status)
{
	return (status == EXIT_UNREACH || status == EXIT_INTERNAL ||
	    repl.s->terminate || repl.gone);
}

/* Run the statements gathered in batch as one request, and empty it. */
static int
repl_batch(struct buf *batch)
{
	int	 status = 0;

	if (batch->len > 0)
		status = repl_request(batch->data, batch->len, 0, 0, NULL, 0);
	buf_reset(batch);
	return (status);
}

/*
 * Take one typed line: a backslash command, a DELIMITER, or more of the
 * statement, running every statement it completes. Returns 1 to end.
 */
static int
repl_line(const char *line)
{
	struct session	*s = repl.s;
	struct buf	 batch;
	const char	*p = line;
	size_t		 tlen;
	long		 at;
	int		 vertical, status, mysql;

	mysql = s->bops->dialect != SQL_POSTGRESQL;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\\' && p[1] != 'g' && p[1] != 'G')
		return (repl_command(p));
	if (mysql && repl_blank(repl.stmt.data, repl.stmt.len) &&
	    (repl_delimiter(line) || repl_client_word(line)))
		return (0);
	if (repl.stmt.len + strlen(line) + 1 > DBGATE_MAX_INPUT) {
		session_errorf(s, "statement longer than %d bytes: dropped",
		    DBGATE_MAX_INPUT);
		buf_reset(&repl.stmt);
		return (0);
	}
	buf_adds(&repl.stmt, line);
	buf_addc(&repl.stmt, '\n');
	/*
	 * The ";"-ended statements a line completes are one request, as with
	 * exec: if one is denied, none runs. A statement ended by \g, \G or
	 * another DELIMITER runs on its own.
	 */
	buf_init(&batch);
	while ((at = repl_scan(repl.stmt.data, repl.stmt.len, mysql,
	    repl.delim, &tlen, &vertical)) >= 0) {
		size_t	 n = (size_t)at, rest;
		int	 plain = tlen == 1 && repl.delim[0] == ';' && !vertical;

		/* A plain ";" stays with the statement; others go. */
		if (plain)
			n++;
		if (!repl_blank(repl.stmt.data, (size_t)at)) {
			if (plain)
				buf_add(&batch, repl.stmt.data, n);
			else {
				if (repl_stop(repl_batch(&batch)))
					goto stop;
				status = repl_request(repl.stmt.data, n,
				    vertical, 0, NULL, 0);
				if (repl_stop(status))
					goto stop;
			}
		} else if (tlen == 2)
			session_errorf(s, "no statement to run");
		rest = repl.stmt.len - (size_t)at - tlen;
		memmove(repl.stmt.data, repl.stmt.data + at + tlen, rest);
		repl.stmt.len = rest;
		if (repl_blank(repl.stmt.data, repl.stmt.len))
			buf_reset(&repl.stmt);
	}
	if (repl_stop(repl_batch(&batch)))
		goto stop;
	buf_free(&batch);
	return (0);
stop:
	buf_free(&batch);
	return (1);
}

/* Set readline up on the client's stream. */
static int
repl_setup(struct session *s)
{
	static cookie_io_functions_t	 io = {
		repl_cookie_read, repl_cookie_write, NULL, NULL
	};
	const char			*term = s->tr->term;

	repl.out = fopencookie(NULL, "r+", io);
	if (repl.out == NULL)
		return (-1);
	/* Nothing from the gateway host's files or environment. */
	setenv("INPUTRC", "/dev/null", 1);
	unsetenv("COLUMNS");
	unsetenv("LINES");
	(void)setlocale(LC_CTYPE, "C.UTF-8");
	rl_readline_name = "dbgate";
	rl_instream = repl.out;
	rl_outstream = repl.out;
	rl_getc_function = repl_getc;
	rl_input_available_hook = repl_input_available;
	rl_prep_term_function = repl_prep_term;
	rl_deprep_term_function = repl_deprep_term;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_terminal_name = term != NULL ? term : "dumb";
	rl_attempted_completion_function = repl_complete;
	rl_completion_entry_function = repl_complete_none;
	rl_initialize();
	rl_bind_key(0x03, repl_key_cancel);
	using_history();
	repl_resize();
	if (repl.cols == 0)
		rl_set_screen_size(24, 80);
	return (0);
}

/* Run the interactive session. */
int
repl_run(struct session *s)
{
	char	*line, *prompt;
	int	 status = EXIT_OK;

	memset(&repl, 0, sizeof repl);
	repl.s = s;
	repl.history_fd = s->history_fd;
	repl.send = s->tr->send;
	s->tr->send = repl_send;
	snprintf(repl.delim, sizeof repl.delim, ";");
	buf_init(&repl.in);
	buf_init(&repl.stmt);
	if (repl_setup(s) != 0) {
		session_errorf(s, "cannot start the interactive session");
		return (EXIT_INTERNAL);
	}
	repl_history_load(repl.history_fd);
	repl_load_names(s);
	repl_printf("dbgate: target \"%s\" (%s %s), session %s. Type \\? for "
	    "help, \\q or Ctrl-D to quit.\n", s->target->name, s->bops->name,
	    s->bops->server_version(s->backend), s->id);
	for (;;) {
		xasprintf(&prompt, "%s@%s%s ", s->user->name, s->target->name,
		    repl.stmt.len == 0 ? "=>" : "->");
		line = readline(prompt);
		free(prompt);
		if (repl.cancelled) {
			repl.cancelled = 0;
			buf_reset(&repl.stmt);
			repl_printf("^C\n");
			free(line);
			continue;
		}
		if (line == NULL) {
			if (!repl.gone)
				repl_printf("\n");
			break;
		}
		if (*line != '\0') {
			HIST_ENTRY	*h = history_get(history_base +
			    history_length - 1);

			if (h == NULL || strcmp(h->line, line) != 0)
				add_history(line);
		}
		if (repl_line(line) != 0) {
			free(line);
			break;
		}
		free(line);
		if (s->terminate || repl.gone)
			break;
	}
	if (s->terminate && s->revoked != NULL)
		session_errorf(s, "%s", s->revoked);
	if (s->terminate)
		status = s->revoked != NULL ? EXIT_AUTH : EXIT_UNREACH;
	repl_history_save(repl.history_fd);
	fflush(repl.out);
	s->tr->send = repl.send;
	return (status);
}
