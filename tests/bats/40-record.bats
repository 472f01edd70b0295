#!/usr/bin/env bats
# Session records: what they hold, and that nothing runs unrecorded.
# Streaming: memory stays flat however many rows pass.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	gw_setup
}

teardown() {
	gw_teardown
}

@test "the record holds who, what, the verdict, the output and the outcome" {
	gw_start
	run dbg exec pg --correlation-id ticket-4242 -o csv -c "SELECT id FROM customers ORDER BY id LIMIT 2"
	[ "$status" -eq 0 ]
	rec=$(find "$STATE/sessions" -name '*.dgr')
	[ "$(echo "$rec" | wc -l)" -eq 1 ]
	[[ "$rec" == "$STATE/sessions/$(date -u +%Y/%m/%d)/"*.dgr ]]
	[ "$(stat -c %a "$rec")" = 600 ]
	jq -e -s '.[0].type == "session-start" and .[0].user == "root" and .[0].target == "pg" and .[0].correlation_id == "ticket-4242"' "$rec"
	jq -e -s '[.[].seq] == [range(1; length + 1)]' "$rec"
	jq -e -s 'map(select(.type == "statement"))[0] | .sql == "SELECT id FROM customers ORDER BY id LIMIT 2" and .verdict == "allow" and .kind == "select"' "$rec"
	# The output event is exactly what the client printed.
	out=${rec%.dgr}.out
	[ "$(stat -c %a "$out")" = 600 ]
	# Output events point, in order and without gaps, into ID.out.
	jq -e -s '[map(select(.type == "output"))[] | [.offset, .len]] | . as $c | [range(length)] | all(. == 0 or $c[.][0] == $c[. - 1][0] + $c[. - 1][1])' "$rec"
	[ "$(jq -s 'map(select(.type == "output")) | map(.len) | add' "$rec")" -eq "$(stat -c %s "$out")" ]
	# What the client printed is exactly what was recorded.
	[ "$(jq -r 'select(.type == "output" and .stream == "stdout") | "\(.offset) \(.len)"' "$rec" | while read -r o l; do tail -c +$((o + 1)) "$out" | head -c "$l"; done)" = "$output" ]
	jq -e -s 'map(select(.type == "result"))[0] | .status == "ok" and .rows == 2 and .elapsed_ms >= 0' "$rec"
	jq -e -s '.[-1].type == "session-end" and .[-1].exit_status == 0' "$rec"
}

@test "denied statements are recorded with their verdict" {
	gw_start
	run dbg exec pg -c "SELEC 1"
	[ "$status" -eq 3 ]
	rec=$(find "$STATE/sessions" -name '*.dgr')
	jq -e -s 'map(select(.type == "statement"))[0].verdict == "deny"' "$rec"
}

@test "if the record cannot be written, the statement does not run" {
	gw_start
	pg_app "CREATE TABLE t_rec (n int)"
	# A file where the day's directory should be: no record can be made.
	day=$STATE/sessions/$(date -u +%Y/%m)
	mkdir -p "$day"
	: >"$day/$(date -u +%d)"
	run dbg exec pg -c "INSERT INTO t_rec VALUES (1)"
	[ "$status" -eq 7 ]
	[[ "$output" == *"cannot create"* ]]
	[ "$(pg_sql -c 'SELECT count(*) FROM t_rec')" = 0 ]
	pg_app "DROP TABLE t_rec"
}

@test "a full disk refuses the output instead of showing it unrecorded" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to mount a small tmpfs"
	mkdir -p "$STATE/sessions"
	if ! mount -t tmpfs -o size=256k tmpfs "$STATE/sessions" 2>/dev/null; then
		skip "cannot mount tmpfs here"
	fi
	chmod 0700 "$STATE/sessions"
	gw_start
	run dbg exec pg -c "SELECT repeat('z', 100) || g AS v FROM generate_series(1, 20000) g"
	# The session closes its record after the client has its answer.
	for i in $(seq 50); do
		umount "$STATE/sessions" 2>/dev/null && break
		sleep 0.1
	done
	mountpoint -q "$STATE/sessions" && { umount "$STATE/sessions"; false; }
	[ "$status" -ne 0 ]
	[[ "$output" == *"session record cannot be written; output refused"* ]]
	# What reached the client is at most what was recorded before the disk
	# filled: far fewer than all the rows.
	[ "$(printf '%s\n' "$output" | grep -c zzzz)" -lt 20000 ]
}

@test "a large result streams with flat memory" {
	gw_start
	run bash -c "'$DBGATE' --socket '$SOCK' exec pg -o csv -c 'SELECT g, md5(g::text) FROM generate_series(1, 1000000) g' | wc -l"
	[ "$status" -eq 0 ]
	[ "$output" -eq 1000001 ]
	sleep 0.2
	rss=$(grep -o 'root@pg ended: exit 0 peak_rss_kb=[0-9]*' "$T/gateway.log" | tail -1 | sed 's/.*=//')
	[ -n "$rss" ]
	# AddressSanitizer's shadow memory says nothing about our own use.
	if ! grep -q __asan_init "$(dirname "$DBGATE")/dbgate-gateway"; then
		[ "$rss" -lt 65536 ]
	fi
}
