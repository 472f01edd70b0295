#!/usr/bin/env bats
# dbgate connect: the interactive session, driven through a real terminal
# (tmux on a private socket). Multi-line statements, backslash commands,
# refusals, a denied statement followed by a working one, Ctrl-C
# cancelling a running query, history across sessions, and MariaDB's
# DELIMITER and \G.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	gw_setup
	command -v tmux >/dev/null || skip "no tmux"
	TMUX_SOCK=dbgt-$$-$BATS_TEST_NUMBER
}

teardown() {
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null || true
	tmux -L "${TMUX_SOCK%-again}" kill-server 2>/dev/null || true
	gw_teardown
}

# Start `dbgate connect TARGET` in a detached tmux window of 120x40.
repl_start() {
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -x 120 -y 40 \
	    "TERM=xterm $DBGATE --socket $SOCK connect $1; echo \"exit=\$?\"; sleep 60"
	repl_wait "$1=>" 100
}

# The pane's text.
repl_screen() {
	tmux -L "$TMUX_SOCK" capture-pane -p -S -200
}

# Wait (N tenths of a second, default 50) until the pane shows TEXT.
repl_wait() {
	local i

	for ((i = 0; i < ${2:-50}; i++)); do
		repl_screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	echo "--- screen, waiting for: $1" >&2
	repl_screen >&2
	gw_show_log >&2
	return 1
}

# Type a line (literally) and Enter. A final ";" goes as a key code:
# tmux would read it as its own command separator.
repl_type() {
	local text=$1

	if [[ "$text" == *";" ]]; then
		tmux -L "$TMUX_SOCK" send-keys -l -- "${text%;}"
		tmux -L "$TMUX_SOCK" send-keys -H 3b
	else
		tmux -L "$TMUX_SOCK" send-keys -l -- "$text"
	fi
	tmux -L "$TMUX_SOCK" send-keys Enter
}

@test "connect: a multi-line statement, a denied one, then a working one" {
	gw_start
	repl_start pg
	repl_type "SELECT name"
	repl_wait "pg->"
	repl_type "FROM customers ORDER BY id LIMIT 2;"
	repl_wait "(2 rows)"
	repl_type "DROP TABLE customers;"
	repl_wait "denied by policy"
	repl_type "SELECT 40 + 2 AS answer;"
	repl_wait " 42"
	repl_type "\\q"
	repl_wait "exit=0"
	# The table is still there.
	run dbg exec pg -o csv -c 'SELECT count(*) FROM customers'
	[ "$status" -eq 0 ]
	[ "${lines[1]}" -gt 0 ]
}

@test "connect: the statements of one line are one request; the prompt names user and target" {
	gw_start
	repl_start pg
	repl_wait "root@pg=>"
	repl_type "SELECT 'first-of-line' AS marker; TRUNCATE orders;"
	repl_wait "denied by policy"
	# Nothing of the line ran: the SELECT was not answered.
	if repl_screen | grep -q "^ *first-of-line"; then false; fi
	repl_type "SELECT 'second' AS m2; SELECT 'third' AS m3;"
	repl_wait "third"
	repl_screen | grep -q "second"
	repl_type "\\q"
	repl_wait "exit=0"
	[ "$(pg_sql -c 'SELECT count(*) > 0 FROM orders')" = t ]
}

@test "connect: \\dt, \\d customers, \\x, and \\! refused" {
	gw_start
	repl_start pg
	repl_type "\\dt"
	repl_wait "orders"
	repl_screen | grep -q "customers"
	repl_type "\\d customers"
	repl_wait "email"
	repl_type "\\!ls /"
	repl_wait "is not available"
	repl_screen | grep -q "exec pg -f FILE"
	if repl_screen | grep -q "^bin$"; then false; fi
	repl_type "\\x"
	repl_wait "Expanded display is on."
	repl_type "SELECT 1 AS one, 2 AS two;"
	repl_wait "RECORD 1"
	repl_screen | grep -q "^two *| 2"
	repl_type "\\conninfo"
	repl_wait "as dbgate user \"root\""
	tmux -L "$TMUX_SOCK" send-keys C-d
	repl_wait "exit=0"
}

@test "connect: Ctrl-C cancels a running statement within two seconds" {
	gw_start
	repl_start pg
	repl_type "SELECT pg_sleep(60);"
	sleep 1
	t0=$(date +%s%N)
	tmux -L "$TMUX_SOCK" send-keys C-c
	repl_wait "canceling statement due to user request" 20
	t1=$(date +%s%N)
	[ $(( (t1 - t0) / 1000000 )) -lt 2000 ]
	# The session goes on.
	repl_type "SELECT 'still here' AS s;"
	repl_wait "still here"
	# Ctrl-C at the prompt drops the statement being typed.
	repl_type "SELECT 'dropped'"
	tmux -L "$TMUX_SOCK" send-keys C-c
	repl_wait "^C"
	repl_type "SELECT 'next' AS n;"
	repl_wait "(1 row)"
	if repl_screen | grep -q "^ dropped"; then false; fi
}

@test "connect: history is kept per user and target, mode 0600" {
	gw_start
	repl_start pg
	repl_type "SELECT 'remember me' AS h;"
	repl_wait "(1 row)"
	repl_type "\\q"
	repl_wait "exit=0"
	f=$STATE/history/root/pg
	[ -f "$f" ]
	[ "$(stat -c %a "$f")" = 600 ]
	grep -q "remember me" "$f"
	tmux -L "$TMUX_SOCK" kill-server
	TMUX_SOCK=$TMUX_SOCK-again
	repl_start pg
	# The last line was \q; the one before it is the query.
	tmux -L "$TMUX_SOCK" send-keys Up Up
	repl_wait "pg=> SELECT 'remember me' AS h;"
}

@test "connect: MariaDB with DELIMITER and \\G" {
	gw_vault_defaults
	gw_start
	repl_start my
	repl_type "DELIMITER //"
	repl_type "SELECT 7 * 6 AS answer //"
	repl_wait " 42"
	repl_type "DELIMITER ;"
	repl_type "SELECT 'x' AS a, 'y' AS b\\G"
	repl_wait "RECORD 1"
	repl_screen | grep -q "^b *| y"
	repl_type "\\q"
	repl_wait "exit=0"
}

@test "connect: without a terminal it says to use exec" {
	gw_start
	run dbg connect pg </dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"connect needs a terminal"* ]]
}

@test "connect: a relation is resolved again once DDL may have changed it" {
	gw_conf "Target pgddl" "    Driver postgresql" \
	    "    Connect \"host=$DBG_PG_SOCKDIR port=$DBG_PG_PORT dbname=app user=app\"" \
	    "    AllowGroups engineers" "    Policy ddl" \
	    "Policy ddl" "    Allow ddl"
	gw_start
	repl_start pgddl
	repl_type "SELECT count(*) AS n FROM customers;"
	repl_wait "(1 row)"
	repl_type "CREATE TEMP TABLE customers (x int);"
	repl_wait "CREATE TABLE"
	repl_type "SELECT count(*) AS m FROM customers;"
	repl_wait " m "
	repl_type "\\q"
	repl_wait "exit=0"
	f=$(find "$STATE/sessions" -name '*.dgr' | head -1)
	# The first read is public's table, the last the session's own.
	grep '"type":"statement"' "$f" | jq -se '
	    map(select(.sql | test("count"))) |
	    (.[0].facts.relations[0].schema == "public") and
	    (.[1].facts.relations[0].schema | startswith("pg_temp"))'
}

# Start `ssh -t carol@gateway connect TARGET` in tmux, as repl_start does.
repl_start_ssh() {
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -x 120 -y 40 \
	    "TERM=xterm $(dbgate_ssh) -t carol@127.0.0.1 connect $1; echo \"exit=\$?\"; sleep 60"
	repl_wait "carol@$1=>" 100
}

@test "connect over ssh -t: a statement, a denied one, \\q exits 0" {
	ssh_setup
	ssh_start
	repl_start_ssh pg
	repl_type "SELECT name"
	repl_wait "carol@pg->"
	repl_type "FROM customers ORDER BY id LIMIT 2;"
	repl_wait "(2 rows)"
	repl_type "DROP TABLE customers;"
	repl_wait "denied by policy"
	repl_type "SELECT 40 + 2 AS answer;"
	repl_wait " 42"
	repl_type "\\!ls /"
	repl_wait "is not available"
	repl_type "\\q"
	repl_wait "exit=0"
}

@test "connect over ssh: Ctrl-C cancels; without -t it is refused" {
	ssh_setup
	ssh_start
	repl_start_ssh pg
	repl_type "SELECT pg_sleep(60);"
	sleep 1
	t0=$(date +%s%N)
	tmux -L "$TMUX_SOCK" send-keys C-c
	repl_wait "canceling statement due to user request" 20
	t1=$(date +%s%N)
	[ $(( (t1 - t0) / 1000000 )) -lt 2000 ]
	repl_type "SELECT 'still here' AS s;"
	repl_wait "still here"
	tmux -L "$TMUX_SOCK" send-keys C-d
	repl_wait "exit=0"
	run --separate-stderr ssh_gw carol carol -T -- connect pg </dev/null
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"connect needs a terminal (ssh -t)"* ]]
}

@test "dbgate connect --gateway runs ssh -t and the REPL over it" {
	ssh_setup
	ssh_start
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -x 120 -y 40 \
	    "TERM=xterm DBGATE_SSH='$(dbgate_ssh)' $DBGATE --gateway carol@127.0.0.1 connect pg; echo \"exit=\$?\"; sleep 60"
	repl_wait "carol@pg=>" 100
	repl_type "SELECT 'via-gateway' AS g;"
	repl_wait "(1 row)"
	repl_screen | grep -q "via-gateway"
	repl_type "\\q"
	repl_wait "exit=0"
}

@test "ssh -t with no command: choose a target by number or name, then the REPL" {
	ssh_setup
	gw_vault_defaults
	ssh_start
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -x 120 -y 40 \
	    "TERM=xterm $(dbgate_ssh) -t carol@127.0.0.1; echo \"exit=\$?\"; sleep 60"
	repl_wait "Target (number or name" 100
	repl_screen | grep -q ") pg (postgresql)"
	repl_type "nosuch"
	repl_wait "No such target"
	# pg's number in the list.
	n=$(repl_screen | sed -n 's/^ *\([0-9]*\)) pg (postgresql)$/\1/p')
	[ -n "$n" ]
	repl_type "$n"
	repl_wait "carol@pg=>" 100
	repl_type "SELECT 'chosen' AS c;"
	repl_wait "(1 row)"
	repl_type "\\q"
	repl_wait "exit=0"
	# By name; Ctrl-D at the chooser leaves with status 0.
	tmux -L "$TMUX_SOCK" kill-server
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -x 120 -y 40 \
	    "TERM=xterm $(dbgate_ssh) -t carol@127.0.0.1; echo \"exit=\$?\"; sleep 60"
	repl_wait "Target (number or name" 100
	repl_type "my"
	repl_wait "carol@my=>" 100
	repl_type "\\q"
	repl_wait "exit=0"
	tmux -L "$TMUX_SOCK" kill-server
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -x 120 -y 40 \
	    "TERM=xterm $(dbgate_ssh) -t dave@127.0.0.1; echo \"exit=\$?\"; sleep 60"
	repl_wait "exit=0" 100
	repl_screen | grep -q "You may use no target"
	tmux -L "$TMUX_SOCK" kill-server
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -x 120 -y 40 \
	    "TERM=xterm $(dbgate_ssh) -t carol@127.0.0.1; echo \"exit=\$?\"; sleep 60"
	repl_wait "Target (number or name" 100
	tmux -L "$TMUX_SOCK" send-keys C-d
	repl_wait "exit=0"
}

@test "connect: Ctrl-C cancels SELECT SLEEP(60) on MariaDB within two seconds" {
	gw_vault_defaults
	gw_start
	repl_start my
	repl_type "SELECT SLEEP(60) AS slept;"
	sleep 1
	t0=$(date +%s%N)
	tmux -L "$TMUX_SOCK" send-keys C-c
	repl_wait "Query execution was interrupted" 20
	t1=$(date +%s%N)
	[ $(( (t1 - t0) / 1000000 )) -lt 2000 ]
	if repl_screen | grep -q "is not available"; then false; fi
	# The session goes on, on the same connection.
	repl_type "SELECT 'still here' AS s;"
	repl_wait "still here"
	repl_type "\\q"
	repl_wait "exit=0"
}

@test "connect: MariaDB system and source typed as words are refused before the pipeline" {
	gw_vault_defaults
	gw_start
	repl_start my
	repl_type "system ls /"
	repl_wait "system is not available"
	repl_screen | grep -q "exec my -f FILE"
	repl_type "SOURCE /etc/passwd"
	repl_wait "source is not available"
	repl_type "\\. /etc/passwd"
	repl_wait "\\. is not available"
	repl_type "\\! ls /"
	repl_wait "\\! is not available"
	# None of them reached the pipeline: nothing was denied, nothing runs.
	if repl_screen | grep -q "denied by policy"; then false; fi
	if repl_screen | grep -q "^root:"; then false; fi
	# A statement still runs.
	repl_type "SELECT 'after' AS a;"
	repl_wait "(1 row)"
	repl_type "\\q"
	repl_wait "exit=0"
}

@test "connect: a result wider than the terminal is shown as records" {
	gw_start
	repl_start pg
	repl_type "SELECT 1 AS narrow;"
	repl_wait "(1 row)"
	if repl_screen | grep -q "RECORD 1"; then false; fi
	# 120 columns: two 80-character values cannot fit side by side.
	repl_type "SELECT repeat('x', 80) AS wide_a, repeat('y', 80) AS wide_b;"
	repl_wait "RECORD 1"
	repl_screen | grep -q "^wide_a | xxxxxxxx"
	repl_screen | grep -q "^wide_b | yyyyyyyy"
	repl_type "\\q"
	repl_wait "exit=0"
}

@test "connect: Tab completes keywords, table names and column names" {
	gw_start
	repl_start pg
	# A unique match is completed and followed by a space.
	tmux -L "$TMUX_SOCK" send-keys -l -- "SELEC"
	tmux -L "$TMUX_SOCK" send-keys Tab
	tmux -L "$TMUX_SOCK" send-keys -l -- "emai"
	tmux -L "$TMUX_SOCK" send-keys Tab
	tmux -L "$TMUX_SOCK" send-keys -l -- ", amoun"
	tmux -L "$TMUX_SOCK" send-keys Tab
	tmux -L "$TMUX_SOCK" send-keys -l -- "FROM ord"
	tmux -L "$TMUX_SOCK" send-keys Tab
	# "ord" completes to the common prefix of ORDER and orders.
	repl_wait "SELECT email , amount FROM order"
	tmux -L "$TMUX_SOCK" send-keys -l -- "s o JOIN customers c ON c.id = o.customer_id LIMIT 1"
	tmux -L "$TMUX_SOCK" send-keys -H 3b
	tmux -L "$TMUX_SOCK" send-keys Enter
	repl_wait "(1 row)"
	repl_type "\\q"
	repl_wait "exit=0"
}
