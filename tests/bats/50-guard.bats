#!/usr/bin/env bats
# Guardrails end to end on both real servers: denied and held statements
# leave the database as it was, allowed ones run, Policy rules and
# ReadOnly, the messages and exit statuses, the record, policy explain.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	gw_setup
	gw_vault_defaults
}

teardown() {
	gw_teardown
}

# A fingerprint of the PostgreSQL demo tables: they exist, with these rows.
pg_state() {
	pg_sql -c "SELECT (SELECT count(*) FROM customers) || '/' ||
	    (SELECT count(*) FROM orders) || '/' ||
	    (SELECT md5(string_agg(c::text, ',' ORDER BY id)) FROM customers c)"
}

my_state() {
	my_sql -e "SELECT CONCAT((SELECT count(*) FROM customers), '/',
	    (SELECT count(*) FROM orders), '/',
	    (SELECT md5(group_concat(CONCAT_WS(':', id, name, email) ORDER BY id)) FROM customers))"
}

@test "PostgreSQL: denied and held statements change nothing" {
	gw_start
	before=$(pg_state)
	[ -n "$before" ]
	# expect-status<TAB>sql
	while IFS=$'\t' read -r want sql; do
		run dbg exec pg -c "$sql"
		if [ "$status" -ne "$want" ]; then
			echo "status $status, want $want: $sql"
			echo "$output"
			return 1
		fi
		[ "$(pg_state)" = "$before" ] || { echo "changed by: $sql"; return 1; }
	done <<-'EOF'
		3	DROP TABLE customers
		3	TRUNCATE orders
		3	SELECT 1; DROP TABLE orders
		3	/* x */ DrOp/**/TABLE "customers"
		3	select 'a\'; drop table orders; --'
		4	DELETE FROM orders
		4	delete from orders where true
		4	UPDATE customers SET name = 'x' WHERE 1 = 1
		4	WITH d AS (DELETE FROM orders RETURNING *) SELECT count(*) FROM d
		4	EXPLAIN ANALYZE DELETE FROM orders
		4	PREPARE p AS DELETE FROM orders; EXECUTE p
		4	DO $$ BEGIN DELETE FROM orders; END $$
		4	DO $x$ BEGIN EXECUTE 'DELETE FROM ' || 'orders'; END $x$
		4	SELECT setval('orders_id_seq', 1)
		4	LOCK TABLE customers
		3	COPY customers TO '/tmp/dbgate-guard-leak'
		3	COPY customers FROM PROGRAM 'true'
		3	SELECT pg_read_file('/etc/hostname')
		3	GRANT ALL ON customers TO PUBLIC
		3	CREATE ROLE intruder
		3	ALTER SYSTEM SET work_mem = '1MB'
		3	SET standard_conforming_strings = off
		3	RESET ALL
		3	SELECT set_config('client_encoding', 'SJIS', false)
		3	CREATE EXTENSION IF NOT EXISTS dblink
		3	SET ROLE postgres
	EOF
	[ ! -e /tmp/dbgate-guard-leak ]
}

@test "PostgreSQL: keywords in strings, comments and names do not block" {
	gw_start
	run dbg exec pg -c "SELECT 'DROP TABLE customers' AS s /* truncate */ -- grant"
	[ "$status" -eq 0 ]
	[ "$output" = $'s\nDROP TABLE customers' ]
	run dbg exec pg -c 'SELECT lower(name) AS "drop" FROM customers WHERE id = 1'
	[ "$status" -eq 0 ]
	run dbg exec pg -c "UPDATE orders SET status = status WHERE id = 1" -c "SELECT \$\$ DELETE FROM orders \$\$ AS d"
	[ "$status" -eq 0 ]
	[[ "$output" == *"DELETE FROM orders"* ]]
	run dbg exec pg -c "SET search_path = public" -c "SELECT count(*) AS n FROM customers"
	[ "$status" -eq 0 ]
}

@test "a denial names the policy, the rule and the statement; the record has the facts" {
	gw_start
	run --separate-stderr dbg exec pg -c "SELECT 1" -c "TRUNCATE orders"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *'denied by policy "builtin" rule "builtin: deny truncate"'*'TRUNCATE orders'* ]]
	# Nothing ran: the SELECT was skipped, not answered.
	[[ "$output" != *"?column?"* ]]
	f=$(find "$STATE/sessions" -name '*.dgr' | head -1)
	grep '"type":"statement"' "$f" | jq -se '.[1].verdict == "deny" and .[1].facts.kind == "truncate" and (.[1].facts.relations[0].name == "orders") and (.[1].facts.relations[0].schema == "public") and .[0].verdict == "allow"'
	run --separate-stderr dbg exec pg -o json -c "DELETE FROM orders"
	[ "$status" -eq 4 ]
	[[ "$stderr" == *"approval required"* ]]
	echo "$output" | jq -e '.statements[0].status == "approval-required" and .statements[0].verdict == "approve" and (.statements[0].rule | test("write-without-where"))'
}

@test "Policy rules: first match wins, builtin after, warn runs and says so" {
	gw_conf "Target pgp" "    Driver postgresql" \
	    "    Connect \"host=$DBG_PG_SOCKDIR port=$DBG_PG_PORT dbname=app user=app\"" \
	    "    AllowGroups engineers" "    Policy p" \
	    "Policy p" \
	    "    Deny write:public.customers Message \"customers are written by the app\"" \
	    "    Warn read:public.orders Message \"orders are audited\"" \
	    "    Approve select relation:customers"
	gw_start
	before=$(pg_state)
	run --separate-stderr dbg exec pgp -c "UPDATE customers SET name = name WHERE id = 1"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *'policy "p" rule "Deny write:public.customers Message'*'customers are written by the app'* ]]
	run --separate-stderr dbg exec pgp -o json -c "SELECT count(*) AS n FROM orders"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *'warning from policy "p"'*'orders are audited'* ]]
	echo "$output" | jq -e '.statements[0].verdict == "warn" and .statements[0].verdict_message == "orders are audited" and .statements[0].rows[0][0] > 0'
	run dbg exec pgp -c "SELECT * FROM customers"
	[ "$status" -eq 4 ]
	# builtin still applies after the block's rules.
	run dbg exec pgp -c "DROP TABLE orders"
	[ "$status" -eq 3 ]
	[ "$(pg_state)" = "$before" ]
	run dbg exec pgp -c "UPDATE orders SET status = status WHERE id = 1"
	[ "$status" -eq 0 ]
}

@test "ReadOnly holds in the database, even for a write hidden in a function" {
	pg_sql -q -c "DROP TABLE IF EXISTS guard_scratch" \
	    -c "CREATE TABLE guard_scratch (v int)" \
	    -c "GRANT ALL ON guard_scratch TO app" \
	    -c "CREATE OR REPLACE FUNCTION public.sneaky() RETURNS int LANGUAGE sql AS 'INSERT INTO guard_scratch VALUES (1) RETURNING v'"
	gw_conf "Target pgro" "    Driver postgresql" \
	    "    Connect \"host=$DBG_PG_SOCKDIR port=$DBG_PG_PORT dbname=app user=app\"" \
	    "    AllowGroups engineers" "    Policy trusting" "    ReadOnly yes" \
	    "Policy trusting" "    Allow function:sneaky"
	gw_start
	run --separate-stderr dbg exec pgro -c "SELECT sneaky()"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"read-only transaction"* ]]
	run --separate-stderr dbg exec pgro -c "INSERT INTO guard_scratch VALUES (2)"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *'policy "ReadOnly"'* ]]
	run dbg exec pgro -c "SET default_transaction_read_only = off"
	[ "$status" -eq 3 ]
	run dbg exec pgro -c "BEGIN READ WRITE"
	[ "$status" -eq 3 ]
	run dbg exec pgro -c "SELECT count(*) AS n FROM guard_scratch"
	[ "$status" -eq 0 ]
	[ "$output" = $'n\n0' ]
	[ "$(pg_sql -c 'SELECT count(*) FROM guard_scratch')" = 0 ]
	# Not read-only: the trusted function runs.
	gw_stop
	gw_conf "Target pgrw" "    Driver postgresql" \
	    "    Connect \"host=$DBG_PG_SOCKDIR port=$DBG_PG_PORT dbname=app user=app\"" \
	    "    AllowGroups engineers" "    Policy trusting"
	gw_start
	run dbg exec pgrw -c "SELECT sneaky() AS v"
	[ "$status" -eq 0 ]
	[ "$output" = $'v\n1' ]
	pg_sql -q -c "DROP TABLE guard_scratch" -c "DROP FUNCTION public.sneaky()"
}

@test "MariaDB: denied and held statements change nothing" {
	gw_start
	before=$(my_state)
	[ -n "$before" ]
	while IFS=$'\t' read -r want sql; do
		run dbg exec my -c "$sql"
		if [ "$status" -ne "$want" ]; then
			echo "status $status, want $want: $sql"
			echo "$output"
			return 1
		fi
		[ "$(my_state)" = "$before" ] || { echo "changed by: $sql"; return 1; }
	done <<-'EOF'
		3	DROP TABLE customers
		3	TRUNCATE orders
		3	SELECT 1; DROP TABLE orders
		3	SELECT 1 /*! ; DROP TABLE orders */
		3	/*!99999 SELECT 1; */ DROP TABLE orders
		3	SELECT 'a\''; DROP TABLE orders; -- '
		4	DELETE FROM orders
		4	DELETE FROM orders WHERE 1 LIMIT 5
		4	UPDATE customers SET name = 'x' WHERE 1=1
		4	UPDATE customers c JOIN orders o ON o.customer_id = c.id SET c.name = 'x'
		4	LOCK TABLES orders WRITE
		4	SELECT GET_LOCK('x', 1)
		3	SELECT LOAD_FILE('/etc/hostname')
		3	SELECT * FROM customers INTO OUTFILE '/tmp/dbgate-guard-leak'
		3	LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE orders
		3	SET GLOBAL max_connections = 5
		3	SET sql_mode = 'NO_BACKSLASH_ESCAPES'
		3	SET NAMES gbk
		3	GRANT ALL ON *.* TO 'app'@'%'
		3	CREATE USER intruder
		3	SHUTDOWN
		3	INSTALL SONAME 'ha_example'
		3	system id
	EOF
	[ ! -e /tmp/dbgate-guard-leak ]
}

@test "MariaDB: executable comments are read as the server reads them" {
	gw_start
	# A version below the server's: the content is code, and runs.
	run dbg exec my -c "SELECT 1 /*!50000 + 1 */ AS n"
	[ "$status" -eq 0 ]
	[ "$output" = $'n\n2' ]
	# Above the server's: a comment, classified as one.
	run dbg exec my -c "SELECT 1 /*!999999 + 1 */ AS n"
	[ "$status" -eq 0 ]
	[ "$output" = $'n\n1' ]
	# Keywords in strings and identifiers do not block.
	run dbg exec my -c "SELECT 'DROP TABLE orders' AS \`delete\`"
	[ "$status" -eq 0 ]
	[ "$output" = $'delete\nDROP TABLE orders' ]
	run dbg exec my -c "UPDATE orders SET status = status WHERE id = 1"
	[ "$status" -eq 0 ]
}

@test "MariaDB ReadOnly holds in the database" {
	gw_conf "Target myro" "    Driver mariadb" \
	    "    Connect \"socket=$DBG_MY_SOCKET dbname=app user=app\"" \
	    "    AllowGroups engineers" "    ReadOnly yes"
	gw_vault_set myro "$DBG_MY_PASSWORD"
	gw_start
	run --separate-stderr dbg exec myro -c "UPDATE orders SET status = status WHERE id = 1"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *'policy "ReadOnly"'* ]]
	run dbg exec myro -c "SET SESSION TRANSACTION READ WRITE"
	[ "$status" -eq 3 ]
	run dbg exec myro -c "SELECT @@SESSION.tx_read_only AS ro"
	[ "$status" -eq 0 ]
	[ "$output" = $'ro\n1' ]
}

@test "policy explain shows facts and verdicts without running anything" {
	gw_start
	before=$(pg_state)
	run dbg policy explain pg -c "WITH d AS (DELETE FROM orders RETURNING *) SELECT count(*) FROM d; DROP TABLE customers"
	[ "$status" -eq 0 ]
	[[ "$output" == *"kinds      select delete"* ]]
	[[ "$output" == *"write-without-where"* ]]
	[[ "$output" == *'verdict    deny, policy "builtin", rule "builtin: deny drop"'* ]]
	[[ "$output" == *"request verdict: deny"* ]]
	[ "$(pg_state)" = "$before" ]
	run dbg policy explain pg -o json -c "SELECT lower(name), sneaky_fn() FROM customers"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.format == "dbgate.explain.v1" and .verdict == "approve"'
	echo "$output" | jq -e '.statements[0].facts.functions | map(select(.opaque)) | map(.name) == ["sneaky_fn"]'
	echo "$output" | jq -e '.statements[0].facts.relations[0] == {"schema": null, "name": "customers", "access": "read"}'
	run dbg policy explain my -o json -c "SELECT 1 /*!99999 ; DROP TABLE t */"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.verdict == "deny"'
	# Not for a target the user may not use.
	need_test_users
	run dbg_as bob policy explain pg -c "SELECT 1"
	[ "$status" -eq 5 ]
}

@test "MariaDB: one classified statement never runs as two, even when a policy lets it through" {
	# A policy that lets everything through: the server path is the backstop.
	gw_conf "Target myall" "    Driver mariadb" \
	    "    Connect \"socket=$DBG_MY_SOCKET dbname=app user=app\"" \
	    "    AllowGroups engineers" "    Policy anything" \
	    "Policy anything" \
	    "    Allow unknown drop truncate select client client-command dynamic-sql opaque"
	gw_vault_set myall "$DBG_MY_PASSWORD"
	gw_start
	before=$(my_state)
	for sql in "SELECT 1 /*! ; DROP TABLE orders */" \
	    "SELECT 1 /*!10000 ; DROP TABLE orders */" \
	    "SELECT 1 /*M! ; DROP TABLE orders */"; do
		run --separate-stderr dbg exec myall -c "$sql"
		[ "$status" -eq 1 ] || { echo "status $status: $sql"; return 1; }
		[[ "$stderr" == *"SQLSTATE 42000"* ]]
		[ "$(my_state)" = "$before" ]
	done
}

@test "PostgreSQL syntax newer than 15 is denied as such" {
	gw_start
	run --separate-stderr dbg exec pg -c "MERGE INTO orders o USING orders s ON o.id = s.id WHEN MATCHED THEN DO NOTHING RETURNING o.id"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"denied"*"PostgreSQL 15 grammar"* ]]
	run dbg policy explain pg -c "MERGE INTO orders o USING orders s ON o.id = s.id WHEN MATCHED THEN DO NOTHING RETURNING o.id"
	[ "$status" -eq 0 ]
	[[ "$output" == *"PostgreSQL 15 grammar"*"verdict    deny"* ]]
}

@test "a new table is resolved to the schema it will be created in" {
	gw_conf "Target pgnew" "    Driver postgresql" \
	    "    Connect \"host=$DBG_PG_SOCKDIR port=$DBG_PG_PORT dbname=app user=app\"" \
	    "    AllowGroups engineers" "    Policy p" \
	    "Policy p" "    Deny write:secret.* Message \"secret is read-only\"" \
	    "    Allow ddl"
	pg_sql -q -c "DROP TABLE IF EXISTS public.guard_new"
	gw_start
	# Not in secret: created in public, the first schema of the path.
	run --separate-stderr dbg exec pgnew -c "CREATE TABLE guard_new (x int)"
	[ "$status" -eq 0 ]
	f=$(find "$STATE/sessions" -name '*.dgr' | head -1)
	grep '"type":"statement"' "$f" | jq -se '.[0].facts.relations[0] == {"schema": "public", "name": "guard_new", "access": "write"}'
	# Qualified into secret: denied.
	run --separate-stderr dbg exec pgnew -c "CREATE TABLE secret.guard_new (x int)"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"secret is read-only"* ]]
	pg_sql -q -c "DROP TABLE public.guard_new"
}
