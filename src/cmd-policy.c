/*
 * cmd-policy.c: dbgate policy explain TARGET: each statement's facts, the
 * rule that matches and the verdict, without touching the database. The
 * gateway side takes its arguments from an untrusted caller.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "dbgate.h"
#ifndef DBGATE_THIN
#include <jansson.h>

#include "backend.h"
#include "guard.h"
#include "policy.h"
#include "session.h"
#endif

static const struct option cmd_policy_longopts[] = {
	{ "command",	required_argument,	NULL, 'c' },
	{ "output",	required_argument,	NULL, 'o' },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL,		0,			NULL, 0 }
};
#define POLICY_SHORTOPTS	"c:o:h"

/* Local side: check the arguments, forward them; stdin if no -c. */
static int
cmd_policy_local(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*format = NULL;
	int		 ch, nsql = 0;

	if (argc < 2 || strcmp(argv[1], "explain") != 0) {
		cmd_usage(&cmd_policy_entry);
		return (EXIT_USAGE);
	}
	optind = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, POLICY_SHORTOPTS,
	    cmd_policy_longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			nsql++;
			break;
		case 'o':
			format = optarg;
			break;
		case 'h':
			cmd_usage(&cmd_policy_entry);
			return (EXIT_OK);
		default:
			cmd_usage(&cmd_policy_entry);
			return (EXIT_USAGE);
		}
	}
	if (optind != argc - 2) {
		cmd_usage(&cmd_policy_entry);
		return (EXIT_USAGE);
	}
	if (format != NULL && strcmp(format, "table") != 0 &&
	    strcmp(format, "json") != 0) {
		fprintf(stderr, "dbgate: policy explain writes table or "
		    "json, not \"%s\"\n", format);
		return (EXIT_USAGE);
	}
	return (client_run(ctx, argc, argv, NULL, 0, nsql == 0));
}

#ifndef DBGATE_THIN
/* Append one statement's explanation for people. */
static void
cmd_policy_text(struct buf *b, size_t idx, const struct sql_stmt *st,
    const struct guard_facts *f, const struct verdict *v)
{
	size_t		 i;
	unsigned int	 k;

	buf_printf(b, "statement %zu (line %d): ", idx, st->line);
	render_escape(b, st->text, st->len);
	buf_printf(b, "\n  kind       %s\n  kinds     ",
	    guard_kind_name(f->kind));
	for (k = 0; k < KIND_MAX; k++) {
		if (f->kinds & ((uint64_t)1 << k))
			buf_printf(b, " %s", guard_kind_name(k));
	}
	buf_adds(b, "\n  flags     ");
	for (k = 0; k < GF_NFLAGS; k++) {
		if (f->flags & (1u << k))
			buf_printf(b, " %s", guard_flag_name(k));
	}
	if (f->flags == 0)
		buf_adds(b, " -");
	buf_adds(b, "\n  relations ");
	for (i = 0; i < f->nrels; i++) {
		buf_adds(b, " ");
		if (f->rels[i].schema != NULL) {
			render_escape(b, f->rels[i].schema,
			    strlen(f->rels[i].schema));
			buf_addc(b, '.');
		}
		render_escape(b, f->rels[i].name, strlen(f->rels[i].name));
		buf_printf(b, " (%s%s)", f->rels[i].access ==
		    (GUARD_READ | GUARD_WRITE) ? "read, write" :
		    f->rels[i].access == GUARD_WRITE ? "write" : "read",
		    f->rels[i].schema == NULL ? ", schema not resolved" : "");
		buf_adds(b, i + 1 < f->nrels ? "," : "");
	}
	if (f->nrels == 0)
		buf_adds(b, " -");
	buf_adds(b, "\n  functions ");
	for (i = 0; i < f->nfuncs; i++) {
		buf_adds(b, " ");
		if (f->funcs[i].schema != NULL) {
			render_escape(b, f->funcs[i].schema,
			    strlen(f->funcs[i].schema));
			buf_addc(b, '.');
		}
		render_escape(b, f->funcs[i].name, strlen(f->funcs[i].name));
		buf_printf(b, "()%s%s", f->funcs[i].opaque ? " opaque" : "",
		    i + 1 < f->nfuncs ? "," : "");
	}
	if (f->nfuncs == 0)
		buf_adds(b, " -");
	if (f->setting != NULL) {
		buf_adds(b, "\n  setting    ");
		render_escape(b, f->setting, strlen(f->setting));
	}
	if (f->why != NULL) {
		buf_adds(b, "\n  why        ");
		render_escape(b, f->why, strlen(f->why));
	}
	buf_printf(b, "\n  verdict    %s, policy \"%s\", rule \"",
	    verdict_name(v->action), v->policy);
	render_escape(b, v->rule, strlen(v->rule));
	buf_adds(b, "\"");
	if (v->message != NULL) {
		buf_adds(b, "\n  message    ");
		render_escape(b, v->message, strlen(v->message));
	}
	buf_adds(b, "\n\n");
}

/* The dbname of a Connect string, or NULL (caller frees). */
static char *
cmd_policy_dbname(const char *connect)
{
	char	**keys, **vals, *err = NULL, *db = NULL;
	size_t	  n, i;

	if (connect_parse(connect != NULL ? connect : "", &keys, &vals, &n,
	    &err) != 0) {
		free(err);
		return (NULL);
	}
	for (i = 0; i < n; i++) {
		if (strcmp(keys[i], "dbname") == 0 && db == NULL)
			db = xstrdup(vals[i]);
	}
	connect_free(keys, vals, n);
	return (db);
}

/* Explain one input (one -c, or stdin) into out (or stmts). */
static enum verdict_action
cmd_policy_input(struct session *s, const struct config_target *t,
    struct guard_ctx *ctx, int ro, const char *text, size_t len,
    size_t *idx, struct buf *out, json_t *stmts)
{
	struct sql_script	 sc;
	struct guard_facts	 f;
	struct verdict		 v;
	enum verdict_action	 worst = VERDICT_ALLOW;
	json_t			*o;
	char			*err = NULL;
	size_t			 i;

	memset(&sc, 0, sizeof sc);
	if (guard_check_bytes(text, len, &err) != 0 ||
	    sql_split(ctx->dialect, text, len, &sc, &err) != 0) {
		if (ctx->dialect == SQL_POSTGRESQL &&
		    strncmp(err, "input", 5) != 0) {
			char	*e = err;

			xasprintf(&err, "%s (dbgate parses SQL with the "
			    "PostgreSQL 15 grammar)", e);
			free(e);
		}
		++*idx;
		if (stmts != NULL) {
			o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s}", "index",
			    (int)*idx, "error", err, "verdict", "deny",
			    "policy", "builtin", "rule",
			    "builtin: deny unparsable input", "message", err);
			json_array_append_new(stmts, o);
		} else {
			buf_printf(out, "input %zu: ", *idx);
			render_escape(out, err, strlen(err));
			buf_adds(out, "\n  verdict    deny, policy \"builtin\", "
			    "rule \"builtin: deny unparsable input\"\n\n");
		}
		free(err);
		return (VERDICT_DENY);
	}
	for (i = 0; i < sc.n; i++) {
		++*idx;
		guard_classify(ctx, &sc.stmts[i], &f);
		policy_evaluate(config_find_policy(s->cfg, t->policy), ro, &f,
		    &v);
		if (v.action > worst)
			worst = v.action;
		if (stmts != NULL) {
			o = json_pack("{s:i, s:i, s:s%, s:o, s:s, s:s, s:s, "
			    "s:s?}", "index", (int)*idx, "line",
			    sc.stmts[i].line, "sql", sc.stmts[i].text,
			    sc.stmts[i].len, "facts", guard_facts_json(&f),
			    "verdict", verdict_name(v.action), "policy",
			    v.policy, "rule", v.rule, "message", v.message);
			json_array_append_new(stmts, o);
		} else
			cmd_policy_text(out, *idx, &sc.stmts[i], &f, &v);
		verdict_clear(&v);
		guard_facts_clear(&f);
	}
	sql_script_free(&sc);
	return (worst);
}

/* Gateway side: classify and decide, print, run nothing. */
static int
cmd_policy_session(struct session *s, int argc, char **argv)
{
	const struct config_target	*t;
	struct guard_ctx		 ctx;
	enum verdict_action		 worst = VERDICT_ALLOW, w;
	struct buf			 input, out;
	json_t				*doc = NULL, *stmts = NULL;
	char				*err = NULL, *db, *js, **texts;
	size_t				 ntexts = 0, i, idx = 0;
	int				 ch, json = 0, rc = EXIT_USAGE, ro;

	buf_init(&input);
	buf_init(&out);
	texts = xcalloc((size_t)argc + 1, sizeof *texts);
	if (argc < 2 || strcmp(argv[1], "explain") != 0)
		goto usage;
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, POLICY_SHORTOPTS,
	    cmd_policy_longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			texts[ntexts++] = optarg;
			break;
		case 'o':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "table") != 0)
				goto usage;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 2)
		goto usage;
	if ((t = config_find_target(s->cfg, argv[optind + 1])) == NULL ||
	    !config_user_allowed(s->user, t)) {
		session_errorf(s, "user %s may not use target \"%s\" (see "
		    "\"dbgate targets\")", s->user->name, argv[optind + 1]);
		rc = EXIT_AUTH;
		goto out;
	}
	if (ntexts == 0) {
		if (s->tr->read_input(s->tr, &input, DBGATE_MAX_INPUT,
		    &s->terminate, &err) != 0) {
			session_errorf(s, "reading the input: %s", err);
			free(err);
			goto out;
		}
		buf_addc(&input, '\0');
		texts[ntexts++] = input.data;
	}

	ro = policy_read_only(t, s->user);
	guard_ctx_init(&ctx, backend_ops_for(t->driver)->dialect);
	ctx.read_only = ro;
	if (ctx.dialect == SQL_MYSQL) {
		/* No connection: version-gated comments are read both ways. */
		db = cmd_policy_dbname(t->connect);
		guard_ctx_set_database(&ctx, db);
		free(db);
	}
	if (json) {
		doc = json_object();
		json_object_set_new(doc, "format",
		    json_string("dbgate.explain.v1"));
		json_object_set_new(doc, "target", json_string(t->name));
		json_object_set_new(doc, "read_only", json_boolean(ro));
		stmts = json_array();
		json_object_set_new(doc, "statements", stmts);
	}
	for (i = 0; i < ntexts; i++) {
		w = cmd_policy_input(s, t, &ctx, ro, texts[i],
		    texts[i] == input.data ? input.len - 1 : strlen(texts[i]),
		    &idx, &out, stmts);
		if (w > worst)
			worst = w;
	}
	guard_ctx_free(&ctx);
	if (json) {
		json_object_set_new(doc, "verdict",
		    json_string(verdict_name(worst)));
		js = json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII);
		buf_adds(&out, js);
		buf_addc(&out, '\n');
		free(js);
		json_decref(doc);
	} else
		buf_printf(&out, "request verdict: %s\n", verdict_name(worst));
	rc = session_send_out(s, out.data, out.len) == 0 ? EXIT_OK :
	    EXIT_UNREACH;
	goto out;
usage:
	session_errorf(s, "usage: policy %s", cmd_policy_entry.usage);
out:
	free(texts);
	buf_free(&input);
	buf_free(&out);
	return (rc);
}
#endif /* !DBGATE_THIN */

const struct cmd_entry cmd_policy_entry = {
	"policy", "explain TARGET [-c SQL]... [-o table|json]",
	"show a statement's facts and verdict without running it",
	CMD_CLIENT, cmd_policy_local, CMD_FN(cmd_policy_session)
};
