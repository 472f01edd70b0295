#!/usr/bin/env bats
# The daemon: identities, privilege separation, limits, reload, stop,
# state directory and vault permissions, and the admin commands.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	gw_setup
}

teardown() {
	gw_teardown
}

# The pid of the PostgreSQL backend a gateway session runs MARKER on.
session_pid_of() {
	pg_sql -c "SELECT pid FROM pg_stat_activity WHERE query LIKE '%$1%' AND application_name LIKE 'dbgate:%' AND pid <> pg_backend_pid()" | head -1
}

# Wait (up to 5 s) until a gateway session runs MARKER; fail otherwise.
wait_backend() {
	local i

	for i in $(seq 50); do
		[ -n "$(session_pid_of "$1")" ] && return 0
		sleep 0.1
	done
	echo "no session ran $1 within 5 s" >&2
	return 1
}

# Send a raw request (argv words) to the gateway socket, print what comes
# back (frame payloads as text, then exit=N), as a hostile client would.
raw_request() {
	python3 - "$SOCK" "${RAW_WAIT:-}" "$@" <<'PY'
import os, socket, struct, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
# With RAW_WAIT=FILE: connected, make FILE, send only once it is removed.
if sys.argv[2]:
    open(sys.argv[2], "w").close()
    while os.path.exists(sys.argv[2]): time.sleep(0.05)
argv = b"".join(a.encode() + b"\0" for a in sys.argv[3:])
s.sendall(b"A" + struct.pack(">I", len(argv)) + argv)
s.sendall(b"i" + struct.pack(">I", 0))
buf = b""
while True:
    d = s.recv(65536)
    if not d: break
    buf += d
out = b""
while len(buf) >= 5:
    t, n = buf[0:1], struct.unpack(">I", buf[1:5])[0]
    body, buf = buf[5:5 + n], buf[5 + n:]
    if t == b"X": out += b"exit=%d\n" % struct.unpack(">I", body)[0]
    else: out += body
sys.stdout.write(out.decode("utf-8", "replace"))
PY
}

@test "gateway down: exit 6 with a clear message" {
	run dbg exec pg -c "SELECT 1"
	[ "$status" -eq 6 ]
	[[ "$output" == *"cannot reach the gateway at $SOCK"* ]]
	run dbg status
	[ "$status" -eq 6 ]
	[[ "$output" == *"not running"* ]]
}

@test "status tells the daemon is up" {
	gw_start
	run dbg status
	[ "$status" -eq 0 ]
	[[ "$output" == *"is running (pid $GW_PID"* ]]
	[[ "$output" == *"sessions: 0"* ]]
}

@test "unknown target and unknown command" {
	gw_start
	run dbg exec nosuch -c "SELECT 1"
	[ "$status" -eq 5 ]
	[[ "$output" == *'may not use target "nosuch"'* ]]
	run dbg exex pg
	[ "$status" -eq 2 ]
	[[ "$output" == *'did you mean "exec"'* ]]
}

@test "a second OS user is identified by the socket peer" {
	need_test_users
	gw_start
	run dbg_as alice exec pg -c "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" =~ ^dbgate:alice: ]]
	grep -q '"user":"alice","os_user":"dbgt-alice"' $(find "$STATE/sessions" -name '*.dgr')
}

@test "a user not allowed on the target gets exit 5, and it is logged" {
	need_test_users
	gw_start
	run dbg_as bob exec pg -c "SELECT 1"
	[ "$status" -eq 5 ]
	[[ "$output" == *'user bob may not use target "pg"'* ]]
	[ "${#lines[@]}" -eq 1 ]
	grep -q 'user bob .* refused on target "pg"' "$T/gateway.log"
	run dbg_as bob targets
	[ "$status" -eq 0 ]
	[[ "$output" != *postgresql* ]]
}

@test "an unknown peer gets exit 5, and it is logged" {
	need_test_users
	gw_start
	run runuser -u nobody -- "$DBGATE" --socket "$SOCK" exec pg -c "SELECT 1"
	[ "$status" -eq 5 ]
	[[ "$output" == *"OS user nobody is not a dbgate user"* ]]
	grep -q "unknown peer: uid [0-9]* (nobody)" "$T/gateway.log"
}

@test "exec -f of a file only root can read is refused by the client" {
	need_test_users
	gw_start
	printf "SELECT 'root-only-marker-4711';\n" >"$T/secret.sql"
	chmod 0600 "$T/secret.sql"
	run dbg_as alice exec pg -f "$T/secret.sql"
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot read $T/secret.sql: Permission denied"* ]]
	# Nothing reached the gateway: no session record, no trace in the log.
	[ -z "$(find "$STATE" -name '*.dgr' 2>/dev/null)" ]
	if grep -q root-only-marker "$T/gateway.log"; then false; fi
	# The gateway refuses -f outright: it never opens a caller's path.
	run raw_request exec pg -f "$T/secret.sql"
	[[ "$output" == *"-f is read by the dbgate client"* ]]
	[[ "$output" == *"exit=2"* ]]
	[[ "$output" != *root-only-marker* ]]
	# Root can read it, so root's own client sends it as data.
	run dbg exec pg -f "$T/secret.sql"
	[ "$status" -eq 0 ]
	[[ "$output" == *root-only-marker-4711* ]]
}

@test "session processes drop privileges and are not dumpable" {
	gw_start
	dbg exec pg -c "SELECT pg_sleep(3) /* privsep-probe */" >/dev/null &
	cpid=$!
	for i in $(seq 50); do
		spid=$(pgrep -P "$GW_PID" | head -1)
		[ -n "$spid" ] && [ "$(stat -c %U /proc/$spid)" = nobody ] && break
		sleep 0.1
	done
	[ -n "$spid" ]
	[ "$(awk '/^Uid:/ {print $2 $3 $4 $5}' /proc/$spid/status)" = "65534655346553465534" ]
	# Non-dumpable: /proc/PID/environ is owned by root and unreadable to
	# the session's own user.
	[ "$(stat -c %U /proc/$spid/environ)" = root ]
	wait "$cpid"
}

@test "per-user session limit" {
	gw_conf_global "MaxSessionsPerUser 1"
	gw_start
	dbg exec pg -c "SELECT pg_sleep(3)" >/dev/null &
	bg=$!
	wait_backend pg_sleep
	run dbg exec pg -c "SELECT 1"
	[ "$status" -eq 6 ]
	[[ "$output" == *"already has 1 sessions"* ]]
	wait "$bg"
	run dbg exec pg -c "SELECT 1"
	[ "$status" -eq 0 ]
}

@test "SIGHUP with a bad config keeps the old one" {
	gw_start
	cp "$CONF" "$T/good.conf"
	echo "Bogus keyword" >>"$CONF"
	gw_reload
	grep -q "reload of $CONF failed" "$T/gateway.log"
	grep -q "unknown keyword \"Bogus\"" "$T/gateway.log"
	run dbg exec pg -c "SELECT 1 AS still"
	[ "$status" -eq 0 ]
	[ "$output" = $'still\n1' ]
}

@test "SIGHUP removing a user's access ends their live session" {
	need_test_users
	gw_start
	dbg_as alice exec pg -c "SELECT pg_sleep(20) /* revoke-probe */" >"$T/out" 2>"$T/err" &
	bg=$!
	wait_backend revoke-probe
	sed -i 's/^    OSUser dbgt-alice$/    OSUser dbgt-alice\n    Groups other/; /^User alice$/,/^User bob$/ s/^    Groups engineers$//' "$CONF"
	start=$SECONDS
	gw_reload
	rc=0
	wait "$bg" || rc=$?
	[ "$rc" -eq 5 ]
	[ $((SECONDS - start)) -lt 10 ]
	grep -q "may no longer use target pg" "$T/err"
	run dbg_as alice exec pg -c "SELECT 1"
	[ "$status" -eq 5 ]
	# Others keep working under the new config.
	run dbg exec pg -c "SELECT 1"
	[ "$status" -eq 0 ]
}

@test "SIGHUP applies new limits to new statements" {
	gw_start
	run dbg exec pg -c "SELECT g FROM generate_series(1, 20) g"
	[ "${#lines[@]}" -eq 21 ]
	gw_conf_global "MaxRows 3"
	gw_reload
	run dbg exec pg -c "SELECT g FROM generate_series(1, 20) g"
	[ "$status" -eq 0 ]
	[[ "$output" == *"truncated at 3 rows"* ]]
}

@test "SIGTERM ends sessions cleanly and closes their records" {
	gw_start
	dbg exec pg -c "SELECT pg_sleep(30) /* term-probe */" >"$T/out" 2>"$T/err" &
	bg=$!
	wait_backend term-probe
	gw_stop
	rc=0
	wait "$bg" || rc=$?
	[ "$rc" -eq 6 ]
	grep -q "shutting down" "$T/err"
	rec=$(find "$STATE/sessions" -name '*.dgr')
	# Every line is whole JSON and the last one ends the session.
	while read -r l; do echo "$l" | jq -e . >/dev/null; done <"$rec"
	tail -1 "$rec" | jq -e '.type == "session-end" and .exit_status == 6'
	[ ! -e "$SOCK" ]
}

@test "a backend killed mid-query gives exit 6 and the gateway keeps serving" {
	gw_start
	dbg exec pg -c "SELECT pg_sleep(30) /* kill-probe */" >"$T/out" 2>"$T/err" &
	bg=$!
	for i in $(seq 50); do
		bpid=$(session_pid_of kill-probe)
		[ -n "$bpid" ] && break
		sleep 0.1
	done
	[ -n "$bpid" ]
	pg_sql -c "SELECT pg_terminate_backend($bpid)" >/dev/null
	rc=0
	wait "$bg" || rc=$?
	[ "$rc" -eq 6 ]
	grep -q "connection to the database was lost" "$T/err"
	run dbg exec pg -c "SELECT 'alive' AS x"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = alive ]
}

@test "StateDir must be 0700" {
	chmod 0755 "$STATE"
	run "$DBGATE" -F "$CONF" serve
	[ "$status" -eq 2 ]
	[[ "$output" == *"StateDir $STATE has mode 0755; it must be 0700"* ]]
}

@test "a loose vault or vault key stops the gateway from starting" {
	gw_vault_set pgpw "$DBG_PG_PASSWORD"
	chmod 0644 "$STATE/vault"
	run "$DBGATE" -F "$CONF" serve
	[ "$status" -eq 2 ]
	[[ "$output" == *"$STATE/vault"* ]]
	chmod 0600 "$STATE/vault"
	chmod 0640 "$STATE/vault.key"
	run "$DBGATE" -F "$CONF" serve
	[ "$status" -eq 2 ]
	[[ "$output" == *"vault.key"* ]]
}

@test "a bad config is refused by config check and by serve" {
	printf 'StatmentTimeout 5s\nTarget x\n    Driver oracle\n' >>"$CONF"
	run "$DBGATE" -F "$CONF" config check
	[ "$status" -eq 2 ]
	n=$(grep -c '' "$CONF")
	[[ "$output" == *"$CONF:$((n - 2)): unknown keyword \"StatmentTimeout\" (did you mean \"StatementTimeout\"?)"* ]]
	[[ "$output" == *"$CONF:$n:"*oracle* ]]
	run "$DBGATE" -F "$CONF" serve
	[ "$status" -eq 2 ]
	[ ! -e "$SOCK" ]
}

@test "config dump prints every default and no secret" {
	gw_vault_defaults
	run "$DBGATE" -F "$CONF" config dump
	[ "$status" -eq 0 ]
	[[ "$output" == *"StatementTimeout"* ]]
	[[ "$output" == *"MaxCellBytes"* ]]
	[[ "$output" != *"$DBG_PG_PASSWORD"* ]]
	# The dump is itself a valid configuration.
	printf '%s\n' "$output" >"$T/dump.conf"
	chmod 600 "$T/dump.conf"
	run "$DBGATE" -F "$T/dump.conf" config check
	[ "$status" -eq 0 ]
}

@test "admin commands are refused to other users and over the socket" {
	need_test_users
	run runuser -u dbgt-alice -- "$DBGATE" -F "$CONF" vault list
	[ "$status" -eq 5 ]
	[[ "$output" == *"administrator"* ]]
	gw_start
	# A client cannot ask the gateway to run an admin command.
	run raw_request vault list
	[[ "$output" == *'"vault" runs only on the gateway host'* ]]
}

@test "vault: the password works without a restart and is never stored in clear" {
	gw_start
	run dbg exec pgpw -c "SELECT current_user AS u"
	[ "$status" -eq 6 ]
	[[ "$output" == *'cannot connect to target "pgpw"'* ]]
	gw_vault_defaults
	run dbg exec pgpw -c "SELECT current_user AS u"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = app_pw ]
	run "$DBGATE" -F "$CONF" vault list
	[ "$output" = $'my\npgpw' ]
	if grep -rqF "$DBG_PG_PASSWORD" "$STATE" "$T/gateway.log" "$CONF"; then false; fi
	if grep -rqF "$DBG_MY_PASSWORD" "$STATE" "$T/gateway.log" "$CONF"; then false; fi
	[ "$(stat -c %a "$STATE/vault")" = 600 ]
	[ "$(stat -c %a "$STATE/vault.key")" = 600 ]
}

@test "a password in Connect is refused" {
	gw_conf "Target leaky" "    Driver postgresql" "    Connect \"host=/tmp password=hunter2\"" "    AllowGroups engineers"
	run "$DBGATE" -F "$CONF" config check
	[ "$status" -eq 2 ]
	[[ "$output" == *"vault set leaky"* ]]
}

@test "global session limit" {
	gw_conf_global "MaxSessions 1"
	gw_start
	dbg exec pg -c "SELECT pg_sleep(3) /* global-probe */" >/dev/null &
	bg=$!
	wait_backend global-probe
	run dbg exec pg -c "SELECT 1"
	[ "$status" -eq 6 ]
	[[ "$output" == *"too many sessions on the gateway (MaxSessions 1)"* ]]
	wait "$bg"
}

@test "PG* and MYSQL* variables cannot steer where a connection goes" {
	# Started with variables that would point libpq elsewhere.
	PGHOST=/nonexistent PGDATABASE=postgres PGUSER=postgres \
	    PGOPTIONS='-c statement_timeout=1' PGSERVICE=bogus gw_start
	run dbg exec pg -c "SELECT current_database() AS db, current_user AS u, current_setting('statement_timeout') AS st"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "app,app,5min" ]
}

@test "a connection opened before a reload gets the new access rules" {
	gw_start
	# Connect now, send the command only after access is withdrawn.
	RAW_WAIT=$T/fifo-ready raw_request exec -o csv -c "SELECT 'stale-ok' AS x" pg >"$T/raw.out" &
	bg=$!
	for i in $(seq 50); do [ -e "$T/fifo-ready" ] && break; sleep 0.1; done
	sed -i '/^Target pg$/,/^Target my$/ s/^    AllowGroups engineers$/    AllowGroups nobody-here/' "$CONF"
	gw_reload
	rm -f "$T/fifo-ready"
	wait "$bg"
	run cat "$T/raw.out"
	[[ "$output" == *"exit=5"* ]]
	[[ "$output" != *stale-ok* ]]
}

@test "a session that never reads its channel cannot stall the daemon" {
	gw_start
	# An exec waiting for input it never gets, through many reloads.
	mkfifo "$T/in"
	exec 7<>"$T/in"
	dbg exec pg <"$T/in" 7<&- >/dev/null 2>&1 &
	bg=$!
	sleep 0.3
	for i in $(seq 300); do kill -HUP "$GW_PID"; done
	sleep 0.5
	run timeout 5 "$DBGATE" --socket "$SOCK" status
	[ "$status" -eq 0 ]
	[[ "$output" == *"is running"* ]]
	exec 7>&-
	kill "$bg" 2>/dev/null || true
	wait "$bg" 2>/dev/null || true
}
