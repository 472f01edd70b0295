#!/usr/bin/env bats
# dbgate exec against the real PostgreSQL: output formats, NULLs, parameters,
# errors and transactions, streaming limits, escaping.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	gw_setup
}

teardown() {
	gw_teardown
}

@test "exec csv matches what the database holds" {
	gw_start
	# The email detector (on by default) keeps only the domain.
	want=$(pg_sql -A -F, -c "SELECT id, name,
	    regexp_replace(email, '^[^@]*', '****')
	    FROM customers ORDER BY id LIMIT 3")
	run dbg exec pg -o csv -c "SELECT id, name, email FROM customers ORDER BY id LIMIT 3"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,name,email" ]
	[ "$(printf '%s\n' "${lines[@]:1}")" = "$want" ]
}

@test "csv is the default when stdout is not a terminal" {
	gw_start
	run dbg exec pg -c "SELECT 1 AS one"
	[ "$status" -eq 0 ]
	[ "$output" = $'one\n1' ]
}

@test "json output parses and types values" {
	gw_start
	run --separate-stderr dbg exec pg -o json -c "SELECT 7::int4 AS i, 9007199254740993::int8 AS b, 1.5::numeric AS n, 2.5::float8 AS f, true AS t, '\\x00ff'::bytea AS by, DATE '2024-01-02' AS d, TIMESTAMP '2024-01-02 03:04:05' AS ts, NULL::text AS nul, ''::text AS emp"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.format == "dbgate.exec.v1" and .exit_status == 0'
	echo "$output" | jq -e '.statements | length == 1'
	s='.statements[0]'
	echo "$output" | jq -e "$s.status == \"ok\" and $s.row_count == 1 and $s.truncated == false"
	echo "$output" | jq -e "[$s.columns[].name] == [\"i\",\"b\",\"n\",\"f\",\"t\",\"by\",\"d\",\"ts\",\"nul\",\"emp\"]"
	echo "$output" | jq -e "$s.columns[1].type == \"int8\" and $s.columns[0].masked == false"
	echo "$output" | jq -e "$s.rows[0] == [7, \"9007199254740993\", \"1.5\", 2.5, true, \"00ff\", \"2024-01-02\", \"2024-01-02T03:04:05\", null, \"\"]"
	echo "$output" | jq -e "$s.verdict == \"allow\" and ($s.session | not) and (.session | length) == 16"
}

@test "ndjson streams typed records and ends with the exit status" {
	gw_start
	run --separate-stderr dbg exec pg -o ndjson -c "SELECT id FROM customers ORDER BY id LIMIT 2" -c "UPDATE orders SET status = status WHERE id = 1"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 6 ]
	for l in "${lines[@]}"; do echo "$l" | jq -e . >/dev/null; done
	echo "${lines[0]}" | jq -e '.type == "columns" and .statement == 1 and .columns[0].name == "id"'
	echo "${lines[1]}" | jq -e '.type == "row" and .values == [1]'
	echo "${lines[2]}" | jq -e '.values == [2]'
	echo "${lines[3]}" | jq -e '.type == "result" and .row_count == 2'
	echo "${lines[4]}" | jq -e '.type == "result" and .statement == 2 and .rows_affected == 1 and .command == "UPDATE 1"'
	echo "${lines[5]}" | jq -e '.type == "end" and .exit_status == 0'
}

@test "NULL and the empty string differ in every format" {
	gw_start
	sql="SELECT NULL::text AS a, ''::text AS b"
	run dbg exec pg -o csv -c "$sql"
	[ "$output" = $'a,b\n,""' ]
	run --separate-stderr dbg exec pg -o json -c "$sql"
	echo "$output" | jq -e '.statements[0].rows[0] == [null, ""]'
	run --separate-stderr dbg exec pg -o ndjson -c "$sql"
	echo "${lines[1]}" | jq -e '.values == [null, ""]'
	run dbg exec pg -o table -c "$sql"
	[ "${lines[2]}" = " NULL |" ]
}

@test "--param binds values and cannot inject SQL" {
	gw_start
	email=$(pg_sql -c "SELECT email FROM customers ORDER BY id LIMIT 1")
	name=$(pg_sql -c "SELECT name FROM customers ORDER BY id LIMIT 1")
	run dbg exec pg --param "$email" -c 'SELECT name FROM customers WHERE email = $1'
	[ "$status" -eq 0 ]
	[ "$output" = "name"$'\n'"$name" ]
	run dbg exec pg --param "x' OR '1'='1" -c 'SELECT count(*) AS n FROM customers WHERE email = $1'
	[ "$status" -eq 0 ]
	[ "$output" = $'n\n0' ]
	run dbg exec pg --param 1 -c 'SELECT $1::int + $2::int'
	[ "$status" -eq 2 ]
	[[ "$output" == *"uses 2 parameters but 1 --param"* ]]
}

@test "a database error exits 1 with the SQLSTATE, and execution stops there" {
	gw_start
	pg_app "CREATE TABLE t_stop (n int)"
	run --separate-stderr dbg exec pg -o json -c "INSERT INTO t_stop VALUES (1)" -c "SELECT * FROM no_such_table" -c "INSERT INTO t_stop VALUES (3)"
	[ "$status" -eq 1 ]
	echo "$output" | jq -e '.exit_status == 1'
	echo "$output" | jq -e '.statements[1].status == "error" and .statements[1].sqlstate == "42P01"'
	echo "$output" | jq -e '.statements[2].status == "skipped"'
	[ "$(pg_sql -c "SELECT string_agg(n::text, ',') FROM t_stop")" = "1" ]
	run dbg exec pg -c "SELECT * FROM no_such_table"
	[ "$status" -eq 1 ]
	[[ "$output" == *"no_such_table"*"42P01"* ]]
	pg_app "DROP TABLE t_stop"
}

@test "-1 rolls the whole input back when a statement fails" {
	gw_start
	pg_app "CREATE TABLE t_txn (n int)"
	run dbg exec pg -1 -c "INSERT INTO t_txn VALUES (1); INSERT INTO t_txn VALUES (2)" -c "SELECT 1/0"
	[ "$status" -eq 1 ]
	[ "$(pg_sql -c 'SELECT count(*) FROM t_txn')" = 0 ]
	run dbg exec pg -1 -c "INSERT INTO t_txn VALUES (1); INSERT INTO t_txn VALUES (2)"
	[ "$status" -eq 0 ]
	[ "$(pg_sql -c 'SELECT count(*) FROM t_txn')" = 2 ]
	pg_app "DROP TABLE t_txn"
}

@test "SQL on stdin and from -f files" {
	gw_start
	run bash -c "echo 'SELECT 41 + 1 AS answer;' | '$DBGATE' --socket '$SOCK' exec pg"
	[ "$status" -eq 0 ]
	[ "$output" = $'answer\n42' ]
	printf 'SELECT 2 AS two;\n' >"$T/q.sql"
	run dbg exec pg -f "$T/q.sql"
	[ "$status" -eq 0 ]
	[ "$output" = $'two\n2' ]
	run dbg exec pg -f "$T/missing.sql"
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot read $T/missing.sql"* ]]
}

@test "syntax errors are refused before anything runs" {
	gw_start
	pg_app "CREATE TABLE t_syn (n int)"
	run dbg exec pg -c "INSERT INTO t_syn VALUES (1); SELEC 2"
	[ "$status" -eq 3 ]
	[[ "$output" == *'syntax error at or near "SELEC"'*"PostgreSQL 15"* ]]
	[ "$(pg_sql -c 'SELECT count(*) FROM t_syn')" = 0 ]
	pg_app "DROP TABLE t_syn"
}

@test "invalid UTF-8 input is refused" {
	gw_start
	printf 'SELECT \xff\xfe;' >"$T/bad.sql"
	run dbg exec pg -f "$T/bad.sql"
	[ "$status" -eq 3 ]
	[[ "$output" == *"not valid UTF-8"* ]]
}

@test "table output escapes ESC, bidi and zero-width characters" {
	gw_start
	run dbg exec pg -o table -c "SELECT E'\\x1b[31mred' || chr(8238) || 'txt' || chr(8203) AS x"
	[ "$status" -eq 0 ]
	[[ "$output" == *'\x1B[31mred\u{202E}txt\u{200B}'* ]]
	if printf '%s' "$output" | grep -q $'\x1b'; then false; fi
	if printf '%s' "$output" | grep -q $'\xe2\x80\xae'; then false; fi
}

@test "MaxRows truncation is flagged in every format" {
	gw_conf_global "MaxRows 5"
	gw_start
	sql="SELECT g FROM generate_series(1, 100) g"
	run dbg exec pg -o csv -c "$sql"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 7 ]
	[[ "$output" == *"truncated at 5 rows"* ]]
	run --separate-stderr dbg exec pg -o json -c "$sql"
	echo "$output" | jq -e '.statements[0].truncated == true and (.statements[0].rows | length) == 5'
	run --separate-stderr dbg exec pg -o ndjson -c "$sql"
	echo "$output" | grep '"type":"result"' | jq -e '.truncated == true and .row_count == 5'
	run dbg exec pg -o table -c "$sql"
	[[ "$output" == *"(5 rows, truncated by MaxRows)"* ]]
	# The connection stays usable after the cut.
	run --separate-stderr dbg exec pg -o ndjson -c "$sql" -c "SELECT 'after' AS x"
	[ "$status" -eq 0 ]
	echo "${lines[-2]}" | jq -e '.type == "result" and .statement == 2 and .row_count == 1'
	[[ "$output" == *'"values":["after"]'* ]]
}

@test "a value over MaxCellBytes refuses the output" {
	gw_conf_global "MaxCellBytes 100"
	gw_start
	run dbg exec pg -c "SELECT repeat('x', 50) AS ok"
	[ "$status" -eq 0 ]
	run dbg exec pg -c "SELECT repeat('y', 500) AS big"
	[ "$status" -eq 3 ]
	[[ "$output" == *"MaxCellBytes"* ]]
	[[ "$output" != *yyyyyyyyyy* ]]
}

@test "application_name shows who is behind a backend" {
	gw_start
	run dbg exec pg -c "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" =~ ^dbgate:root:[0-9a-f]{16}$ ]]
}

@test "the pinned settings are in effect" {
	gw_conf_global "StatementTimeout 7s" "LockTimeout 3s"
	gw_start
	run dbg exec pg -c "SELECT current_setting('standard_conforming_strings') AS scs, current_setting('client_encoding') AS enc, current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "on,UTF8,7s,3s" ]
}

@test "StatementTimeout cancels a long statement" {
	gw_conf_global "StatementTimeout 1s"
	gw_start
	run dbg exec pg -c "SELECT pg_sleep(5)"
	[ "$status" -eq 1 ]
	[[ "$output" == *"57014"* ]]
}

@test "targets lists what the caller may use" {
	gw_start
	run dbg targets
	[ "$status" -eq 0 ]
	[[ "$output" == *"pg"*"postgresql"* ]]
	[[ "$output" == *"my"*"mariadb"* ]]
}

@test "a refused request does not wait for input that never ends" {
	gw_start
	mkfifo "$T/in"
	exec 7<>"$T/in"
	run timeout 5 "$DBGATE" --socket "$SOCK" exec nosuch <"$T/in" 7<&-
	exec 7>&-
	[ "$status" -eq 5 ]
	[[ "$output" == *'may not use target "nosuch"'* ]]
}
