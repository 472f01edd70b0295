/*
 * pipeline.c: runs a request's statements through every stage in order:
 * check the bytes, split and classify, policy (the most severe verdict over
 * all statements decides whether anything runs), approval, execute, mask,
 * record, render. Rows stream from the backend to the client one at a
 * time; nothing here holds a whole result. Handles untrusted input.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "approval.h"
#include "guard.h"
#include "mask.h"
#include "maskcat.h"
#include "pipeline.h"
#include "policy.h"
#include "session.h"
#include "transcript.h"

#define PIPELINE_MAX_WARNINGS	100

/* Per-statement state shared with the backend's sink callbacks. */
struct pipeline_run {
	struct session		*s;
	struct render		*r;
	struct mask		*m;
	const struct config_limits *limits;
	struct result_column	*cols;
	size_t			 ncols;
	struct result_cell	*cells;
	size_t			 ncells;
	long long		 rows;
	long long		 masked;
	int			 truncated;
	int			 out_failed;	/* client or record failed */
	char			*refused;	/* why output was refused */
	char			*warnings[PIPELINE_MAX_WARNINGS];
	size_t			 nwarnings;
};

/* One statement of the request, with its facts and verdict. */
struct pipeline_stmt {
	struct sql_stmt		*st;
	struct guard_facts	 facts;
	struct verdict		 verdict;
	char			*request_id;
};

/* Milliseconds since start. */
static double
pipeline_elapsed(const struct timespec *start)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ((now.tv_sec - start->tv_sec) * 1e3 +
	    (now.tv_nsec - start->tv_nsec) / 1e6);
}

/* Sink: column metadata arrives. */
static int
pipeline_columns(void *arg, const struct result_column *cols, size_t n)
{
	struct pipeline_run	*run = arg;
	char			*err = NULL;
	int			 rc;

	run->cols = xreallocarray(run->cols, n ? n : 1, sizeof *run->cols);
	memcpy(run->cols, cols, n * sizeof *cols);
	run->ncols = n;
	run->cells = xreallocarray(run->cells, n ? n : 1, sizeof *run->cells);
	run->ncells = n;
	if (mask_columns(run->m, run->cols, n, &err) != 0) {
		xasprintf(&run->refused, "output refused: masking failed: %s",
		    err);
		free(err);
		return (1);
	}
	rc = render_columns(run->r, run->cols, n);
	if (rc == RENDER_EMULTI) {
		run->refused = xstrdup("-o csv holds one result set and this "
		    "request returns several; use -o json or -o ndjson");
		return (1);
	}
	if (rc != 0) {
		run->out_failed = 1;
		return (1);
	}
	return (0);
}

/* Sink: one row arrives. */
static int
pipeline_row(void *arg, const struct result_cell *cells, size_t n)
{
	struct pipeline_run	*run = arg;
	char			*err = NULL;
	size_t			 i;
	int			 masked;

	if (run->s->terminate)
		return (1);
	if (run->limits->max_rows > 0 && run->rows >= run->limits->max_rows) {
		run->truncated = 1;
		return (1);
	}
	if (n != run->ncells) {
		run->refused = xstrdup("output refused: row shape changed");
		return (1);
	}
	for (i = 0; i < n; i++) {
		if (run->limits->max_cell_bytes > 0 &&
		    (long long)cells[i].len > run->limits->max_cell_bytes) {
			xasprintf(&run->refused, "output refused: a value in "
			    "column \"%s\" of row %lld is %zu bytes, over "
			    "MaxCellBytes (%lld)", run->cols[i].name,
			    run->rows + 1, cells[i].len,
			    run->limits->max_cell_bytes);
			return (1);
		}
	}
	memcpy(run->cells, cells, n * sizeof *cells);
	if ((masked = mask_row(run->m, run->cells, n, &err)) < 0) {
		xasprintf(&run->refused, "output refused: masking failed: %s",
		    err);
		free(err);
		return (1);
	}
	run->masked += masked;
	if (render_row(run->r, run->cells, n) != 0 ||
	    out_maybe_flush(&run->s->out) != 0) {
		run->out_failed = 1;
		return (1);
	}
	run->rows++;
	return (0);
}

/* Sink: a notice or warning from the server. */
static void
pipeline_notice(void *arg, const char *sqlstate, const char *message)
{
	struct pipeline_run	*run = arg;
	char			*w, *safe;

	safe = mask_message(run->m, message);
	if (sqlstate != NULL && *sqlstate != '\0')
		xasprintf(&w, "%s (SQLSTATE %s)", safe, sqlstate);
	else
		w = xstrdup(safe);
	free(safe);
	session_errorf(run->s, "notice: %s", w);
	if (run->nwarnings < PIPELINE_MAX_WARNINGS)
		run->warnings[run->nwarnings++] = w;
	else
		free(w);
}

/* Forget one statement's sink state. */
static void
pipeline_run_reset(struct pipeline_run *run)
{
	size_t	 i;

	for (i = 0; i < run->nwarnings; i++)
		free(run->warnings[i]);
	run->nwarnings = 0;
	free(run->refused);
	run->refused = NULL;
	run->rows = run->masked = 0;
	run->truncated = run->out_failed = 0;
	run->ncols = 0;
}

/*
 * Whether running a statement with these facts leaves every relation name
 * resolving as before: plain reads and writes do; DDL, settings,
 * transaction control (a rollback can undo a CREATE) and code dbgate cannot
 * see may not.
 */
static int
pipeline_keeps_names(const struct guard_facts *f)
{
	const uint64_t	 keep = (uint64_t)1 << KIND_SELECT |
	    (uint64_t)1 << KIND_INSERT | (uint64_t)1 << KIND_UPDATE |
	    (uint64_t)1 << KIND_DELETE | (uint64_t)1 << KIND_MERGE |
	    (uint64_t)1 << KIND_SHOW | (uint64_t)1 << KIND_EXPLAIN |
	    (uint64_t)1 << KIND_COPY | (uint64_t)1 << KIND_LISTEN |
	    (uint64_t)1 << KIND_NOTIFY;

	return ((f->kinds & ~keep) == 0 &&
	    !(f->flags & (GF_OPAQUE | GF_DYNAMIC | GF_CONTEXT)));
}

/* Decide a classified statement under the session's current config. */
static void
pipeline_decide(struct session *s, struct pipeline_stmt *ps, int internal)
{
	if (internal) {
		/* The gateway's own catalog query, not the caller's SQL. */
		ps->verdict.action = VERDICT_ALLOW;
		ps->verdict.policy = "gateway";
		ps->verdict.rule = xstrdup("gateway: catalog query of a "
		    "backslash command");
		return;
	}
	policy_evaluate(config_find_policy(s->cfg, s->target->policy),
	    s->read_only || policy_read_only(s->target, s->user), &ps->facts,
	    &ps->verdict);
}

/* Record a statement's facts and verdict. */
static int
pipeline_record_verdict(struct session *s, size_t idx,
    const struct pipeline_stmt *ps)
{
	json_t	*ev;

	ev = json_object();
	json_object_set_new(ev, "index", json_integer((json_int_t)idx));
	json_object_set_new(ev, "sql", json_stringn(ps->st->text,
	    ps->st->len));
	json_object_set_new(ev, "kind",
	    json_string(guard_kind_name(ps->facts.kind)));
	json_object_set_new(ev, "facts", guard_facts_json(&ps->facts));
	json_object_set_new(ev, "verdict",
	    json_string(verdict_name(ps->verdict.action)));
	json_object_set_new(ev, "policy", json_string(ps->verdict.policy));
	json_object_set_new(ev, "rule", json_string(ps->verdict.rule));
	if (ps->verdict.message != NULL)
		json_object_set_new(ev, "message",
		    json_string(ps->verdict.message));
	session_record(s, "statement", ev);
	if (s->record_failed) {
		session_errorf(s, "refused: the session record cannot be "
		    "written");
		return (-1);
	}
	return (0);
}

/* Record and render one statement's outcome. */
static int
pipeline_finish(struct session *s, struct render *r, size_t idx,
    const struct pipeline_stmt *ps, struct stmt_outcome *o)
{
	json_t	*ev;

	o->verdict = verdict_name(ps->verdict.action);
	o->policy = ps->verdict.policy;
	o->rule = ps->verdict.rule;
	o->verdict_message = ps->verdict.message;
	o->request_id = ps->request_id;
	ev = json_object();
	json_object_set_new(ev, "index", json_integer((json_int_t)idx));
	json_object_set_new(ev, "status",
	    json_string(stmt_status_name(o->status)));
	if (o->command != NULL)
		json_object_set_new(ev, "command", json_string(o->command));
	json_object_set_new(ev, "rows", json_integer(o->rows));
	json_object_set_new(ev, "truncated", json_boolean(o->truncated));
	json_object_set_new(ev, "masked_values", json_integer(o->masked));
	if (o->sqlstate != NULL)
		json_object_set_new(ev, "sqlstate", json_string(o->sqlstate));
	if (o->message != NULL)
		json_object_set_new(ev, "message", json_string(o->message));
	json_object_set_new(ev, "elapsed_ms", json_real(o->elapsed_ms));
	session_record_queue(s, "result", ev);
	if (s->record_failed) {
		session_errorf(s, "the session record cannot be written");
		return (-1);
	}
	if (render_statement_end(r, o) != 0 || out_flush(&s->out) != 0)
		return (-1);
	return (0);
}

/* Run one statement text on the backend, without rendering. */
static int
pipeline_plain(struct session *s, const char *sql, char **err)
{
	struct backend_result	 res;
	struct backend_sink	 sink;
	int			 rc = 0;

	memset(&sink, 0, sizeof sink);
	memset(&res, 0, sizeof res);
	/* Transaction control: a rollback can undo a CREATE. */
	session_forget_resolved(s);
	if (s->bops->exec(s->backend, sql, strlen(sql), NULL, 0, &sink,
	    &res) != 0 || res.status != BACKEND_OK) {
		xasprintf(err, "%s failed: %s", sql, res.message != NULL ?
		    res.message : "connection lost");
		rc = res.status == BACKEND_LOST ? -2 : -1;
	}
	backend_result_clear(&res);
	return (rc);
}

/* Render statements that will not run, from index from on. */
static void
pipeline_skip_rest(struct session *s, struct render *r,
    struct pipeline_stmt *ps, size_t from, size_t n)
{
	struct stmt_outcome	 o;
	size_t			 i;

	for (i = from; i < n; i++) {
		memset(&o, 0, sizeof o);
		o.status = STMT_SKIPPED;
		o.rows = -1;
		o.message = "not run: an earlier statement failed";
		render_statement(r, ps[i].st->text, ps[i].st->len);
		pipeline_finish(s, r, i + 1, &ps[i], &o);
	}
}

/* Run a request. */
int
pipeline_exec(struct session *s, const struct pipeline_input *in, size_t nin,
    const struct pipeline_opts *opts)
{
	struct render_info	 info;
	struct render		*r;
	struct sql_script	*scripts;
	struct pipeline_stmt	*ps = NULL;
	struct pipeline_run	 run;
	struct backend_sink	 sink;
	struct backend_result	 res;
	struct stmt_outcome	 o;
	struct timespec		 start;
	enum verdict_action	 worst = VERDICT_ALLOW;
	size_t			 i, j, n = 0, k;
	char			*err = NULL;
	unsigned int		 changes = s->config_changes;
	int			 status = EXIT_OK, in_txn = 0, rc;

	info.target = s->target->name;
	info.session_id = s->id;
	info.user = s->user->name;
	r = render_new(opts->format, &s->out, &info);
	render_set_expanded(r, opts->expanded);
	render_set_fit(r, opts->fit);
	memset(&run, 0, sizeof run);
	run.s = s;
	run.r = r;
	run.m = mask_new(s->cfg, s->target, s->maskcat, s->mask_key);
	run.limits = &s->target->limits;
	scripts = xcalloc(nin ? nin : 1, sizeof *scripts);
	if (opts->executed != NULL)
		*opts->executed = 0;
	render_begin(r);

	/* 1-2. Check the bytes and split every input. */
	for (i = 0; i < nin; i++) {
		if (guard_check_bytes(in[i].text, in[i].len, &err) != 0 ||
		    sql_split(s->bops->dialect, in[i].text, in[i].len,
		    &scripts[i], &err) != 0) {
			struct pipeline_stmt	 bad;
			struct sql_stmt		 whole;
			char			*msg;

			xasprintf(&msg, "%s%s", err,
			    s->bops->dialect == SQL_POSTGRESQL &&
			    strncmp(err, "input", 5) != 0 ?
			    " (dbgate parses SQL with the PostgreSQL 15 "
			    "grammar)" : "");
			free(err);
			session_errorf(s, "denied: %s", msg);
			memset(&bad, 0, sizeof bad);
			memset(&whole, 0, sizeof whole);
			whole.text = (char *)in[i].text;
			whole.len = in[i].len;
			bad.st = &whole;
			bad.verdict.action = VERDICT_DENY;
			bad.verdict.policy = "builtin";
			bad.verdict.rule = "builtin: deny unparsable input";
			memset(&o, 0, sizeof o);
			o.status = STMT_DENIED;
			o.rows = -1;
			o.message = msg;
			if (pipeline_record_verdict(s, 1, &bad) == 0) {
				render_statement(r, in[i].text, in[i].len);
				pipeline_finish(s, r, 1, &bad, &o);
			}
			free(msg);
			status = EXIT_DENIED;
			goto out;
		}
		n += scripts[i].n;
	}
	if (n == 0) {
		session_errorf(s, "no SQL statement in the input");
		status = EXIT_USAGE;
		goto out;
	}

	/* 2-3. Classify and decide every statement before running any. */
	ps = xcalloc(n, sizeof *ps);
	for (i = k = 0; i < nin; i++)
		for (j = 0; j < scripts[i].n; j++)
			ps[k++].st = &scripts[i].stmts[j];
	for (i = 0; i < n; i++) {
		if ((size_t)ps[i].st->nparams > opts->nparams) {
			session_errorf(s, "statement %zu uses %d parameters "
			    "but %zu --param values were given", i + 1,
			    ps[i].st->nparams, opts->nparams);
			status = EXIT_USAGE;
			goto out;
		}
		guard_classify(&s->guard, ps[i].st, &ps[i].facts);
		pipeline_decide(s, &ps[i], opts->internal);
		if (s->maskcat != NULL && maskcat_failed(s->maskcat) != NULL) {
			/* What is masked is not known: nothing runs. */
			verdict_clear(&ps[i].verdict);
			ps[i].verdict.action = VERDICT_DENY;
			ps[i].verdict.policy = "builtin";
			ps[i].verdict.rule = xstrdup("builtin: deny when "
			    "masking cannot be decided");
			ps[i].verdict.message =
			    xstrdup(maskcat_failed(s->maskcat));
		}
		if (ps[i].verdict.action == VERDICT_APPROVE &&
		    approval_check(s->user->name, s->target->name, ps[i].st,
		    &ps[i].verdict, &ps[i].request_id, &err) == 1)
			ps[i].verdict.action = VERDICT_ALLOW;
		if (pipeline_record_verdict(s, i + 1, &ps[i]) != 0) {
			status = EXIT_INTERNAL;
			goto out;
		}
		if (ps[i].verdict.action > worst)
			worst = ps[i].verdict.action;
	}
	if (worst >= VERDICT_APPROVE) {
		for (i = 0; i < n; i++) {
			memset(&o, 0, sizeof o);
			o.rows = -1;
			render_statement(r, ps[i].st->text, ps[i].st->len);
			if (ps[i].verdict.action == worst) {
				o.status = worst == VERDICT_DENY ?
				    STMT_DENIED : STMT_APPROVAL;
				o.message = ps[i].verdict.message;
				session_errorf(s, "%s by policy \"%s\" rule "
				    "\"%s\"%s%s: %.*s", worst == VERDICT_DENY ?
				    "denied" : "approval required",
				    ps[i].verdict.policy, ps[i].verdict.rule,
				    o.message ? ": " : "",
				    o.message ? o.message : "",
				    (int)ps[i].st->len, ps[i].st->text);
			} else {
				o.status = STMT_SKIPPED;
				o.message = "not run: another statement of "
				    "the request was refused";
			}
			pipeline_finish(s, r, i + 1, &ps[i], &o);
		}
		status = worst == VERDICT_DENY ? EXIT_DENIED : EXIT_APPROVAL;
		goto out;
	}

	/* 4-8. Execute, mask, record and render, statement by statement. */
	sink.columns = pipeline_columns;
	sink.row = pipeline_row;
	sink.notice = pipeline_notice;
	sink.arg = &run;
	if (opts->single_txn) {
		if ((rc = pipeline_plain(s, s->bops->begin_sql, &err)) != 0) {
			session_errorf(s, "%s", err);
			free(err);
			status = rc == -2 ? EXIT_UNREACH : EXIT_DBERROR;
			goto out;
		}
		in_txn = 1;
	}
	for (i = 0; i < n; i++) {
		if (session_poll_monitor(s) != 0 || s->terminate) {
			if (s->revoked != NULL)
				session_errorf(s, "%s", s->revoked);
			pipeline_skip_rest(s, r, ps, i, n);
			status = s->revoked ? EXIT_AUTH : EXIT_UNREACH;
			goto out;
		}
		if (s->config_changes != changes) {
			/* A reload applies from the next statement on. */
			changes = s->config_changes;
			run.limits = &s->target->limits;
			mask_free(run.m);
			run.m = mask_new(s->cfg, s->target, s->maskcat,
			    s->mask_key);
			verdict_clear(&ps[i].verdict);
			pipeline_decide(s, &ps[i], opts->internal);
			if (pipeline_record_verdict(s, i + 1, &ps[i]) != 0) {
				status = EXIT_INTERNAL;
				goto out;
			}
			if (ps[i].verdict.action >= VERDICT_APPROVE) {
				session_errorf(s, "%s by policy \"%s\" rule "
				    "\"%s\" after a configuration reload: %.*s",
				    ps[i].verdict.action == VERDICT_DENY ?
				    "denied" : "approval required",
				    ps[i].verdict.policy, ps[i].verdict.rule,
				    (int)ps[i].st->len, ps[i].st->text);
				memset(&o, 0, sizeof o);
				o.rows = -1;
				o.status = ps[i].verdict.action == VERDICT_DENY ?
				    STMT_DENIED : STMT_APPROVAL;
				o.message = ps[i].verdict.message;
				render_statement(r, ps[i].st->text,
				    ps[i].st->len);
				pipeline_finish(s, r, i + 1, &ps[i], &o);
				pipeline_skip_rest(s, r, ps, i + 1, n);
				status = ps[i].verdict.action == VERDICT_DENY ?
				    EXIT_DENIED : EXIT_APPROVAL;
				break;
			}
		}
		if (ps[i].verdict.action == VERDICT_WARN)
			session_errorf(s, "warning from policy \"%s\" rule "
			    "\"%s\"%s%s", ps[i].verdict.policy,
			    ps[i].verdict.rule, ps[i].verdict.message ?
			    ": " : "", ps[i].verdict.message ?
			    ps[i].verdict.message : "");
		pipeline_run_reset(&run);
		render_statement(r, ps[i].st->text, ps[i].st->len);
		free(err);
		err = NULL;
		if ((s->diag_masked && mask_reads_diagnostics(ps[i].st->text,
		    ps[i].st->len) && (err = xstrdup("the statement before "
		    "used masked values: its warnings and errors are not "
		    "shown again uncut")) != NULL) ||
		    mask_statement(run.m, &ps[i].facts, ps[i].st->text,
		    ps[i].st->len, &err) != 0) {
			memset(&o, 0, sizeof o);
			o.rows = -1;
			o.status = STMT_REFUSED;
			xasprintf(&run.refused, "refused: %s", err);
			free(err);
			err = NULL;
			o.message = run.refused;
			session_errorf(s, "%s", o.message);
			pipeline_finish(s, r, i + 1, &ps[i], &o);
			pipeline_skip_rest(s, r, ps, i + 1, n);
			status = EXIT_DENIED;
			break;
		}
		memset(&res, 0, sizeof res);
		clock_gettime(CLOCK_MONOTONIC, &start);
		if (opts->executed != NULL)
			(*opts->executed)++;
		rc = s->bops->exec(s->backend, ps[i].st->text, ps[i].st->len,
		    (const char *const *)opts->params,
		    (size_t)ps[i].st->nparams, &sink, &res);
		s->diag_masked = mask_used_masked(run.m);
		if (!pipeline_keeps_names(&ps[i].facts))
			session_forget_resolved(s);
		if (s->terminate)
			(void)session_poll_monitor(s);	/* why: revocation? */
		memset(&o, 0, sizeof o);
		o.elapsed_ms = pipeline_elapsed(&start);
		o.command = res.command[0] != '\0' ? res.command : NULL;
		o.rows = res.status == BACKEND_STOPPED ? run.rows : res.rows;
		o.warnings = (const char *const *)run.warnings;
		o.nwarnings = run.nwarnings;
		o.masked = run.masked;
		if (rc != 0) {
			o.status = STMT_ERROR;
			o.message = "internal error running the statement";
			session_errorf(s, "%s", o.message);
			status = EXIT_INTERNAL;
		} else if (s->terminate && res.status != BACKEND_OK) {
			/* Cancelled by SIGTERM: shutdown or revocation. */
			o.status = STMT_LOST;
			o.message = s->revoked ? s->revoked :
			    "the gateway is shutting down; the outcome of "
			    "this statement is unknown";
			session_errorf(s, "%s", o.message);
			status = s->revoked ? EXIT_AUTH : EXIT_UNREACH;
		} else if (res.status == BACKEND_OK) {
			o.status = STMT_OK;
			if (ps[i].facts.kind == KIND_SELECT || run.ncols > 0)
				o.rows = run.rows;
		} else if (res.status == BACKEND_ERROR ||
		    res.status == BACKEND_CANCELLED) {
			o.status = STMT_ERROR;
			o.sqlstate = res.sqlstate[0] ? res.sqlstate : NULL;
			if (res.message != NULL) {
				char	*safe = mask_message(run.m,
				    res.message);

				free(res.message);
				res.message = safe;
			}
			o.message = res.message;
			session_errorf(s, "ERROR: %s%s%s%s",
			    res.message ? res.message : "unknown error",
			    o.sqlstate ? " (SQLSTATE " : "",
			    o.sqlstate ? o.sqlstate : "",
			    o.sqlstate ? ")" : "");
			status = EXIT_DBERROR;
		} else if (res.status == BACKEND_LOST) {
			o.status = STMT_LOST;
			o.message = "the connection to the database was lost; "
			    "the outcome of this statement is unknown";
			session_errorf(s, "%s%s%s", o.message,
			    res.message ? ": " : "",
			    res.message ? res.message : "");
			status = EXIT_UNREACH;
		} else if (run.truncated) {
			o.status = STMT_OK;
			o.truncated = 1;
			session_errorf(s, "warning: output truncated at %lld "
			    "rows (MaxRows)", s->target->limits.max_rows);
		} else if (run.refused != NULL) {
			o.status = STMT_REFUSED;
			o.message = run.refused;
			session_errorf(s, "%s", run.refused);
			status = EXIT_DENIED;
		} else {
			/* The client went away or the record failed. */
			o.status = STMT_REFUSED;
			o.message = "output could not be recorded or sent";
			status = s->record_failed ? EXIT_INTERNAL :
			    EXIT_UNREACH;
		}
		if (pipeline_finish(s, r, i + 1, &ps[i], &o) != 0 &&
		    status == EXIT_OK)
			status = s->record_failed ? EXIT_INTERNAL :
			    EXIT_UNREACH;
		backend_result_clear(&res);
		if (status != EXIT_OK) {
			pipeline_skip_rest(s, r, ps, i + 1, n);
			break;
		}
	}
	if (in_txn) {
		const char *end = status == EXIT_OK ? s->bops->commit_sql :
		    s->bops->rollback_sql;

		if (status != EXIT_UNREACH &&
		    (rc = pipeline_plain(s, end, &err)) != 0) {
			session_errorf(s, "%s", err);
			free(err);
			if (status == EXIT_OK)
				status = rc == -2 ? EXIT_UNREACH :
				    EXIT_DBERROR;
		}
	}
out:
	render_end(r, status);
	if ((out_flush(&s->out) != 0 || session_drain_out(s) != 0) &&
	    status == EXIT_OK)
		status = s->record_failed ? EXIT_INTERNAL : EXIT_UNREACH;
	pipeline_run_reset(&run);
	free(run.cols);
	free(run.cells);
	mask_free(run.m);
	render_free(r);
	for (i = 0; ps != NULL && i < n; i++) {
		guard_facts_clear(&ps[i].facts);
		verdict_clear(&ps[i].verdict);
		free(ps[i].request_id);
	}
	free(ps);
	for (i = 0; i < nin; i++)
		sql_script_free(&scripts[i]);
	free(scripts);
	return (status);
}
