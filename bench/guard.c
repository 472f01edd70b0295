/*
 * bench/guard.c: classification plus verdict (the built-in policy) for a
 * mix of typical OLTP statements, per dialect, on one core. Prints
 * "DIALECT N statements/s". Built and run by bench/guard.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dbgate.h"
#include "guard.h"
#include "policy.h"

static const char *pg_mix[] = {
	"SELECT id, name, email FROM customers WHERE id = $1",
	"UPDATE accounts SET balance = balance - $1 WHERE id = $2",
	"INSERT INTO orders (customer_id, total, created_at) "
	    "VALUES ($1, $2, now())",
	"SELECT o.id, o.total, c.name FROM orders o JOIN customers c "
	    "ON c.id = o.customer_id WHERE o.created_at > now() - "
	    "interval '1 day' ORDER BY o.id LIMIT 50",
	"DELETE FROM sessions WHERE expires_at < now()",
	"BEGIN",
	"COMMIT",
};

static const char *my_mix[] = {
	"SELECT id, name, email FROM customers WHERE id = 42",
	"UPDATE accounts SET balance = balance - 10 WHERE id = 7",
	"INSERT INTO orders (customer_id, total, created_at) "
	    "VALUES (42, 19.99, NOW())",
	"SELECT o.id, o.total, c.name FROM orders o JOIN customers c "
	    "ON c.id = o.customer_id WHERE o.created_at > NOW() - "
	    "INTERVAL 1 DAY ORDER BY o.id LIMIT 50",
	"DELETE FROM sessions WHERE expires_at < NOW()",
	"START TRANSACTION",
	"COMMIT",
};

/* Seconds since an arbitrary start. */
static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/* Run the mix for about secs seconds; returns statements per second. */
static double
run(enum sql_dialect d, const char **mix, size_t n, double secs)
{
	struct guard_ctx	 ctx;
	struct sql_stmt		 st;
	struct guard_facts	 f;
	struct verdict		 v;
	double			 start, t;
	unsigned long		 count = 0;
	size_t			 i;
	int			 bad = 0;

	guard_ctx_init(&ctx, d);
	ctx.server_version = 101106;
	ctx.mariadb = 1;
	guard_ctx_set_database(&ctx, "app");
	start = now();
	do {
		for (i = 0; i < n; i++) {
			memset(&st, 0, sizeof st);
			st.text = (char *)mix[i];
			st.len = strlen(mix[i]);
			guard_classify(&ctx, &st, &f);
			policy_evaluate(NULL, 0, &f, &v);
			bad |= f.kind == KIND_UNKNOWN;
			verdict_clear(&v);
			guard_facts_clear(&f);
		}
		count += n;
		t = now() - start;
	} while (t < secs);
	guard_ctx_free(&ctx);
	if (bad) {
		fprintf(stderr, "guard: a statement of the mix is unknown\n");
		exit(1);
	}
	return (count / t);
}

int
main(int argc, char **argv)
{
	double	 secs = 3;
	char	*end;

	if (argc > 1) {
		secs = strtod(argv[1], &end);
		if (*end != '\0' || !(secs > 0 && secs <= 3600)) {
			fprintf(stderr, "usage: guard [SECONDS]\n");
			return (2);
		}
	}

	printf("postgresql %.0f statements/s\n",
	    run(SQL_POSTGRESQL, pg_mix, nitems(pg_mix), secs));
	printf("mariadb %.0f statements/s\n",
	    run(SQL_MYSQL, my_mix, nitems(my_mix), secs));
	return (0);
}
