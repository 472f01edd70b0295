#!/usr/bin/env bats
# dbgate exec against the real MariaDB: credentials from the vault, output
# types, parameters, errors, and LOCAL INFILE switched off.

load helpers

setup() {
	gw_setup
	gw_vault_defaults
}

teardown() {
	gw_teardown
}

@test "exec on MariaDB matches what the database holds" {
	gw_start
	want=$(my_sql -e "SELECT id, name FROM customers ORDER BY id LIMIT 3" | tr '\t' ,)
	run dbg exec my -c "SELECT id, name FROM customers ORDER BY id LIMIT 3"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,name" ]
	[ "$(printf '%s\n' "${lines[@]:1}")" = "$want" ]
}

@test "MariaDB json types and NULL vs empty string" {
	gw_start
	run dbg exec my -o json -c "SELECT 7 AS i, CAST(9007199254740993 AS SIGNED) AS b, CAST(1.5 AS DECIMAL(4,2)) AS n, NULL AS nul, '' AS emp, X'00ff' AS bin, CAST('2024-01-02 03:04:05' AS DATETIME) AS ts"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.statements[0].rows[0] == [7, "9007199254740993", "1.50", null, "", "00ff", "2024-01-02T03:04:05"]'
	run dbg exec my -o csv -c "SELECT NULL AS a, '' AS b"
	[ "$output" = $'a,b\n,""' ]
}

@test "MariaDB --param quotes values safely" {
	gw_start
	email=$(my_sql -e "SELECT email FROM customers ORDER BY id LIMIT 1")
	run dbg exec my --param "$email" -c "SELECT count(*) AS n FROM customers WHERE email = ?"
	[ "$status" -eq 0 ]
	[ "$output" = $'n\n1' ]
	run dbg exec my --param "x' OR '1'='1" -c "SELECT count(*) AS n FROM customers WHERE email = ?"
	[ "$output" = $'n\n0' ]
	run dbg exec my --param "a\\' OR 1=1 -- " -c "SELECT count(*) AS n FROM customers WHERE email = ?"
	[ "$output" = $'n\n0' ]
}

@test "MariaDB errors exit 1 and stop the input; -1 rolls back" {
	gw_start
	my_sql -e "CREATE TABLE t_my (n int) ENGINE=InnoDB"
	run dbg exec my -c "INSERT INTO t_my VALUES (1)" -c "SELECT * FROM no_such_table" -c "INSERT INTO t_my VALUES (3)"
	[ "$status" -eq 1 ]
	[[ "$output" == *"42S02"* ]]
	[ "$(my_sql -e 'SELECT GROUP_CONCAT(n) FROM t_my')" = 1 ]
	run dbg exec my -1 -c "INSERT INTO t_my VALUES (5)" -c "SELECT * FROM no_such_table"
	[ "$status" -eq 1 ]
	[ "$(my_sql -e 'SELECT GROUP_CONCAT(n) FROM t_my')" = 1 ]
	my_sql -e "DROP TABLE t_my"
}

@test "LOCAL INFILE is off at the connector: the gateway host's files stay home" {
	gw_start
	my_sql -e "CREATE TABLE t_inf (line text)"
	run dbg exec my -c "LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE t_inf"
	[ "$status" -ne 0 ]
	[ "$(my_sql -e 'SELECT count(*) FROM t_inf')" = 0 ]
	my_sql -e "DROP TABLE t_inf"
}

@test "MariaDB pins sql_mode without NO_BACKSLASH_ESCAPES and ANSI_QUOTES" {
	my_sql -e "SET GLOBAL sql_mode = CONCAT(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES,ANSI_QUOTES')"
	gw_start
	run dbg exec my -c "SELECT @@SESSION.sql_mode AS m"
	my_sql -e "SET GLOBAL sql_mode = REPLACE(REPLACE(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES', ''), ',ANSI_QUOTES', '')"
	[ "$status" -eq 0 ]
	[[ "$output" != *NO_BACKSLASH_ESCAPES* ]]
	[[ "$output" != *ANSI_QUOTES* ]]
}

@test "a MariaDB password lives only in the vault" {
	gw_start
	run dbg exec my -c "SELECT CURRENT_USER() AS u"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == app@* ]]
	"$DBGATE" -F "$CONF" vault delete my
	run dbg exec my -c "SELECT 1"
	[ "$status" -eq 6 ]
	if grep -rqF "$DBG_MY_PASSWORD" "$STATE" "$T/gateway.log"; then false; fi
}

@test "SIGTERM ends a long MariaDB statement quickly and closes the record" {
	gw_start
	dbg exec my -c "SELECT SLEEP(30) AS s" >"$T/out" 2>"$T/err" &
	bg=$!
	for i in $(seq 50); do
		[ -n "$(my_sql -e "SELECT id FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP(30)%'")" ] && break
		sleep 0.1
	done
	start=$SECONDS
	gw_stop
	rc=0
	wait "$bg" || rc=$?
	[ "$rc" -eq 6 ]
	[ $((SECONDS - start)) -lt 5 ]
	rec=$(find "$STATE/sessions" -name '*.dgr')
	tail -1 "$rec" | jq -e '.type == "session-end" and .exit_status == 6'
}
