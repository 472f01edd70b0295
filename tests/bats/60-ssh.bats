#!/usr/bin/env bats
# The SSH way in: the stock OpenSSH client against `dbgate serve` with an
# ssh: listener on a private port. Logins (public keys only, signatures
# verified, from= and expiry-time= enforced), what may be asked for over
# SSH, the exec path (output and exit status as over the unix socket), and
# `dbgate --gateway`, which runs the user's own ssh.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	gw_setup
	ssh_setup
}

teardown() {
	if [ -n "${FWD_PID:-}" ]; then
		kill "$FWD_PID" 2>/dev/null || true
		wait "$FWD_PID" 2>/dev/null || true
	fi
	if [ -n "${SSH_AGENT_PID:-}" ]; then
		kill "$SSH_AGENT_PID" 2>/dev/null || true
	fi
	gw_teardown
}

@test "ssh exec on pg: output and exit status as over the unix socket" {
	ssh_start
	sql="SELECT id, name FROM customers ORDER BY id LIMIT 3"
	run --separate-stderr dbg exec pg -c "$sql"
	[ "$status" -eq 0 ]
	local_out=$output
	[[ "$local_out" == "id,name"* ]]
	run --separate-stderr ssh_gw carol carol -- "exec pg -c '$sql'"
	[ "$status" -eq 0 ]
	[ "$output" = "$local_out" ]
	[ -z "$stderr" ]
	# The table, byte for byte; JSON but for timing and session id.
	run --separate-stderr dbg exec pg -o table -c "$sql"
	local_out=$output
	[[ "$local_out" == *"(3 rows)"* ]]
	run --separate-stderr ssh_gw carol carol -- "exec pg -o table -c '$sql'"
	[ "$status" -eq 0 ]
	[ "$output" = "$local_out" ]
	norm='del(.elapsed_ms, .session)'
	local_out=$(dbg exec pg -o ndjson -c "$sql" | jq -c "$norm")
	[[ "$local_out" == *'"Alice Example"'* ]]
	[ "$(ssh_gw carol carol -- "exec pg -o ndjson -c '$sql'" | jq -c "$norm")" = "$local_out" ]
	grep -q "ssh: accepted ssh-ed25519 key SHA256:.* for carol from 127.0.0.1" "$T/gateway.log"
}

@test "ssh exec on my (MariaDB)" {
	gw_vault_defaults
	ssh_start
	sql="SELECT id, email FROM customers ORDER BY id LIMIT 2"
	run --separate-stderr dbg exec my -c "$sql"
	[ "$status" -eq 0 ]
	local_out=$output
	[[ "$local_out" == "id,email"* ]]
	run --separate-stderr ssh_gw carol carol -- "exec my -c '$sql'"
	[ "$status" -eq 0 ]
	[ "$output" = "$local_out" ]
	run --separate-stderr ssh_gw carol carol -- "exec my -c 'SELECT nosuchcol FROM customers'"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"Unknown column 'nosuchcol'"* ]]
}

@test "a large result streams through SSH byte for byte" {
	ssh_start
	sql="SELECT g, md5(g::text) AS h FROM generate_series(1, 300000) g"
	want=$(dbg exec pg -c "$sql" | sha256sum)
	[ "$(dbg exec pg -c "$sql" | wc -l)" -eq 300001 ]
	got=$(ssh_gw carol carol -- "exec pg -c '$sql'" | sha256sum)
	[ "$got" = "$want" ]
	# A reader that waits does not lose anything either.
	got=$(ssh_gw carol carol -- "exec pg -c '$sql'" | { sleep 2; sha256sum; })
	[ "$got" = "$want" ]
}

@test "SQL on stdin: ssh gw exec pg < q.sql" {
	ssh_start
	printf 'SELECT 41 + 1 AS answer;\nSELECT %s AS s;\n' "'two'" >"$T/q.sql"
	run --separate-stderr dbg exec pg -o table <"$T/q.sql"
	[ "$status" -eq 0 ]
	local_out=$output
	[[ "$local_out" == *42*two* ]]
	run --separate-stderr ssh_gw carol carol -- "exec pg -o table" <"$T/q.sql"
	[ "$status" -eq 0 ]
	[ "$output" = "$local_out" ]
	# A transaction given on stdin rolls back as one.
	pg_app "CREATE TABLE t_ssh (n int)"
	printf 'INSERT INTO t_ssh VALUES (1);\nSELECT 1/0;\n' >"$T/tx.sql"
	run --separate-stderr ssh_gw carol carol -- "exec pg -1" <"$T/tx.sql"
	[ "$status" -eq 1 ]
	[ "$(pg_sql -c 'SELECT count(*) FROM t_ssh')" = 0 ]
	pg_app "DROP TABLE t_ssh"
}

@test "exit statuses come through: 0, 1, 2, 5" {
	ssh_start
	run --separate-stderr ssh_gw carol carol -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 0 ]
	# 1: the database said no; the message is the local one.
	run --separate-stderr dbg exec pg -c "SELECT 1/0"
	[ "$status" -eq 1 ]
	local_err=$stderr
	run --separate-stderr ssh_gw carol carol -- "exec pg -c 'SELECT 1/0'"
	[ "$status" -eq 1 ]
	[ "$stderr" = "$local_err" ]
	[[ "$stderr" == *"division by zero"* ]]
	# 2: usage.
	run --separate-stderr ssh_gw carol carol -- "exec"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"usage: exec TARGET"* ]]
	run --separate-stderr ssh_gw carol carol -- "exec pg --frobnicate"
	[ "$status" -eq 2 ]
	run --separate-stderr ssh_gw carol carol -- "exec pg -c 'unterminated"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"cannot read the command"* ]]
	run --separate-stderr ssh_gw carol carol -- "nosuchcommand"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *'unknown command "nosuchcommand"'* ]]
	# 5: a target the user may not use, or that does not exist.
	run --separate-stderr ssh_gw carol dave -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 5 ]
	[[ "$stderr" == *'user dave may not use target "pg"'* ]]
	run --separate-stderr ssh_gw carol carol -- "exec nosuch -c 'SELECT 1'"
	[ "$status" -eq 5 ]
}

@test "ECDSA and RSA keys log in too; RSA only with SHA-2" {
	ssh-keygen -q -t ecdsa -b 256 -N '' -f "$K/ec"
	ssh-keygen -q -t rsa -b 2048 -N '' -f "$K/rsa"
	cat "$K/ec.pub" "$K/rsa.pub" >"$K/carol.keys"
	ssh_start
	for key in ec rsa; do
		run --separate-stderr ssh_gw "$key" carol -- "exec pg -c 'SELECT 1 AS one'"
		[ "$status" -eq 0 ]
		[ "$output" = "$(printf 'one\n1')" ]
	done
	grep -q "ssh: accepted ecdsa-sha2-nistp256 key" "$T/gateway.log"
	grep -q "ssh: accepted ssh-rsa key" "$T/gateway.log"
	run --separate-stderr ssh_gw rsa carol -o PubkeyAcceptedAlgorithms=ssh-rsa -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 255 ]
	[ "$(grep -c 'ssh: accepted' "$T/gateway.log")" -eq 2 ]
}

@test "a wrong key and an unknown user are refused alike" {
	ssh_start
	run --separate-stderr ssh_gw stranger carol -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"Permission denied (publickey)"* ]]
	run --separate-stderr ssh_gw carol nosuchuser -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"Permission denied (publickey)"* ]]
	grep -q 'ssh: refused offered key ssh-ed25519 .* for "carol" from 127.0.0.1 port [0-9]*: the key is not in' "$T/gateway.log"
	grep -q 'ssh: refused offered key ssh-ed25519 .* for "nosuchuser" from 127.0.0.1 port [0-9]*: no such user' "$T/gateway.log"
	if grep -q "ssh: accepted" "$T/gateway.log"; then false; fi
	# No session ran.
	[ -z "$(find "$STATE/sessions" -name '*.dgr' 2>/dev/null)" ]
}

@test "a key offered without its private half never logs in" {
	ssh_start
	# Only the public half: ssh offers it, cannot sign, and must fail.
	cp "$K/carol.pub" "$K/pubonly.pub"
	chmod 0600 "$K/pubonly.pub"
	run --separate-stderr ssh_gw pubonly.pub carol -v -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 255 ]
	# The server did say the key was acceptable...
	[[ "$stderr" == *"Server accepts key"* ]]
	grep -q "ssh: offered key SHA256:.* for carol from 127.0.0.1 port [0-9]* is acceptable; waiting for its signature" "$T/gateway.log"
	# ...and without a signature nobody got in.
	[[ "$stderr" == *"Permission denied (publickey)"* ]]
	if grep -q "ssh: accepted" "$T/gateway.log"; then false; fi
	[ -z "$(find "$STATE/sessions" -name '*.dgr' 2>/dev/null)" ]
}

@test "from= is enforced" {
	{
		printf 'from="127.0.0.1" '
		cat "$K/carol.pub"
	} >"$K/carol.keys"
	ssh_start
	run --separate-stderr ssh_gw carol carol -b 127.0.0.2 -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"Permission denied (publickey)"* ]]
	grep -q 'for "carol" from 127.0.0.2 port [0-9]*: the client.s address is not in the key.s from= list' "$T/gateway.log"
	run --separate-stderr ssh_gw carol carol -b 127.0.0.1 -- "exec pg -c 'SELECT 1 AS one'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'one\n1')" ]
	# A negated pattern wins.
	{
		printf 'from="127.0.0.0/8,!127.0.0.1" '
		cat "$K/carol.pub"
	} >"$K/carol.keys"
	run --separate-stderr ssh_gw carol carol -b 127.0.0.1 -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 255 ]
	run --separate-stderr ssh_gw carol carol -b 127.0.0.3 -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 0 ]
}

@test "expiry-time is enforced" {
	{
		printf 'expiry-time="20200101" '
		cat "$K/carol.pub"
	} >"$K/carol.keys"
	ssh_start
	run --separate-stderr ssh_gw carol carol -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 255 ]
	grep -q 'for "carol" from 127.0.0.1 port [0-9]*: the key is past its expiry-time' "$T/gateway.log"
	{
		printf 'expiry-time="%s" ' "$(date -u -d tomorrow +%Y%m%d)Z"
		cat "$K/carol.pub"
	} >"$K/carol.keys"
	run --separate-stderr ssh_gw carol carol -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 0 ]
}

@test "passwords and keyboard-interactive are not offered" {
	ssh_start
	run --separate-stderr ssh_gw carol carol -o PreferredAuthentications=password -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 255 ]
	# The server offers public keys and nothing else.
	[[ "$stderr" == *"Permission denied (publickey)."* ]]
	run --separate-stderr ssh_gw carol carol -o PreferredAuthentications=keyboard-interactive -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"Permission denied (publickey)."* ]]
	if grep -q "ssh: accepted" "$T/gateway.log"; then false; fi
}

@test "port forwarding is refused" {
	ssh_start
	# Remote forwarding: the request fails, and ssh says so.
	run --separate-stderr ssh_gw carol carol -N \
	    -R "$(servers_free_port):127.0.0.1:$DBG_PG_PORT" \
	    -o ExitOnForwardFailure=yes --
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"remote port forwarding failed"* ]]
	grep -q "ssh: refused remote port forwarding (tcpip-forward) for carol" "$T/gateway.log"
	# Local forwarding: the port opens on our side, but the gateway
	# refuses every channel through it.
	lport=$(servers_free_port)
	mapfile -t base < <(SSH_LOGLEVEL=INFO ssh_opts)
	ssh "${base[@]}" -i "$K/carol" -N \
	    -L "$lport:127.0.0.1:$DBG_PG_PORT" -o ExitOnForwardFailure=yes \
	    carol@127.0.0.1 2>"$T/fwd.err" &
	FWD_PID=$!
	for ((i = 0; i < 50; i++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$lport") 2>/dev/null && break
		sleep 0.1
	done
	got=$(timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$lport; printf 'x' >&3; cat <&3" 2>/dev/null || true)
	[ -z "$got" ]
	for ((i = 0; i < 50; i++)); do
		grep -q "administratively prohibited" "$T/fwd.err" && break
		sleep 0.1
	done
	grep -q "open failed: administratively prohibited" "$T/fwd.err"
	grep -q "ssh: refused port forwarding (direct-tcpip) for carol" "$T/gateway.log"
}

@test "agent forwarding, X11 and subsystems are refused" {
	command -v ssh-agent >/dev/null || skip "no ssh-agent"
	ssh_start
	run --separate-stderr ssh_gw carol carol -s -- sftp
	[ "$status" -ne 0 ]
	grep -q 'ssh: refused subsystem "sftp" for carol' "$T/gateway.log"
	# Agent and X11 requests are refused; the command still runs.
	eval "$(ssh-agent -s -a "$T/agent.sock")" >/dev/null
	# No X server: ssh sends made-up credentials, which is enough.
	export DISPLAY=:99 SSH_LOGLEVEL=INFO
	run --separate-stderr ssh_gw carol carol -A -Y -- \
	    "exec pg -c 'SELECT 1 AS one'"
	kill "$SSH_AGENT_PID"
	SSH_AGENT_PID=
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'one\n1')" ]
	grep -q "ssh: refused agent forwarding for carol" "$T/gateway.log"
	# ssh asks for X11 only with xauth at hand.
	if command -v xauth >/dev/null; then
		[[ "$stderr" == *"X11 forwarding request failed"* ]]
		grep -q "ssh: refused X11 forwarding for carol" "$T/gateway.log"
	fi
}

@test "admin commands are refused over SSH" {
	ssh_start
	for cmd in "config check" "config dump" "vault list" "serve" \
	    "discover pg"; do
		run --separate-stderr ssh_gw carol carol -- "$cmd"
		[ "$status" -eq 2 ]
		[[ "$stderr" == *"\"${cmd%% *}\" runs only on the gateway host, as an administrator"* ]]
		[ -z "$output" ]
	done
}

@test "\$(id) and backquotes reach the database as typed" {
	ssh_start
	# The remote command line, exactly as ssh sends it.
	remote=$(cat <<'EOF'
exec pg -c "SELECT '$(id)' AS a, '`id`' AS b, $q$x;$(whoami) | tee /tmp/p$q$ AS c"
EOF
	)
	run --separate-stderr ssh_gw carol carol -- "$remote"
	[ "$status" -eq 0 ]
	expected=$(cat <<'EOF'
a,b,c
$(id),`id`,x;$(whoami) | tee /tmp/p
EOF
	)
	[ "$output" = "$expected" ]
	# Unquoted, the words are literal too.
	run --separate-stderr ssh_gw carol carol -- 'exec pg -c SELECT\ $$$(id)$$\ AS\ d'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'd\n$(id)')" ]
	# The statements the database ran hold the text verbatim.
	want=$(cat <<'EOF'
SELECT '$(id)' AS a, '`id`' AS b, $q$x;$(whoami) | tee /tmp/p$q$ AS c
EOF
	)
	cat $(find "$STATE/sessions" -name '*.dgr') |
	    jq -e -s --arg a "$want" --arg b 'SELECT $$$(id)$$ AS d' \
	    '[.[] | select(.type == "statement") | .sql] | index($a) != null and index($b) != null'
}

@test "dbgate --gateway runs the user's ssh with the same result" {
	ssh_start
	DBGATE_SSH=$(dbgate_ssh)
	export DBGATE_SSH
	sql="SELECT id, name FROM customers ORDER BY id LIMIT 3"
	run --separate-stderr dbg exec pg -c "$sql"
	[ "$status" -eq 0 ]
	local_out=$output
	run --separate-stderr dbg --gateway carol@127.0.0.1 exec pg -c "$sql"
	[ "$status" -eq 0 ]
	[ "$output" = "$local_out" ]
	# Quoting survives: quotes, blanks, $(...), backslashes, newlines.
	tricky="SELECT 'it''s', '\$(id) \`id\`', E'a\\\\b', 'two
lines' AS x"
	run --separate-stderr dbg exec pg -c "$tricky"
	[ "$status" -eq 0 ]
	local_out=$output
	run --separate-stderr dbg --gateway carol@127.0.0.1 exec pg -c "$tricky"
	[ "$status" -eq 0 ]
	[ "$output" = "$local_out" ]
	[[ "$output" == *'$(id) `id`'* ]]
	# Errors and their status.
	run --separate-stderr dbg exec pg -c "SELECT 1/0"
	local_err=$stderr
	run --separate-stderr dbg --gateway carol@127.0.0.1 exec pg -c "SELECT 1/0"
	[ "$status" -eq 1 ]
	[ "$stderr" = "$local_err" ]
	run --separate-stderr dbg --gateway carol@127.0.0.1 exec nosuch -c "SELECT 1"
	[ "$status" -eq 5 ]
	# -f FILE is read here and sent; so is stdin.
	printf 'SELECT 7 AS seven;\n' >"$T/seven.sql"
	run --separate-stderr dbg --gateway carol@127.0.0.1 exec pg -f "$T/seven.sql"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'seven\n7')" ]
	run --separate-stderr dbg --gateway carol@127.0.0.1 exec pg <"$T/seven.sql"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'seven\n7')" ]
	# targets too.
	run --separate-stderr dbg --gateway carol@127.0.0.1 targets
	[ "$status" -eq 0 ]
	[[ "$output" == *"pg      postgresql"* ]]
	# A gateway that cannot be reached: 6.
	DBGATE_SSH="ssh -p $(servers_free_port) -F /dev/null -o BatchMode=yes -o ConnectTimeout=5"
	run --separate-stderr dbg --gateway carol@127.0.0.1 exec pg -c "SELECT 1"
	[ "$status" -eq 6 ]
}

@test "DBGATE_GATEWAY and ~/.config/dbgate/config choose the gateway" {
	ssh_start
	DBGATE_SSH=$(dbgate_ssh)
	export DBGATE_SSH
	# A socket that does not exist: only the SSH way can work.
	mkdir -p "$T/home/.config/dbgate"
	run --separate-stderr env DBGATE_GATEWAY=carol@127.0.0.1 "$DBGATE" --socket "$T/none.sock" exec pg -c "SELECT 2 AS two"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'two\n2')" ]
	printf '# my gateway\nGateway carol@127.0.0.1   # over ssh\n' >"$T/home/.config/dbgate/config"
	run --separate-stderr env HOME="$T/home" "$DBGATE" --socket "$T/none.sock" exec pg -c "SELECT 3 AS three"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'three\n3')" ]
	# An empty --gateway means the local socket, whatever the file says.
	run --separate-stderr env HOME="$T/home" "$DBGATE" --socket "$SOCK" --gateway '' exec pg -c "SELECT 4 AS four"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'four\n4')" ]
	# A bad client config is a usage error naming its line.
	printf 'Gateway a b\n' >"$T/home/.config/dbgate/config"
	run --separate-stderr env HOME="$T/home" "$DBGATE" --socket "$SOCK" exec pg -c "SELECT 1"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *".config/dbgate/config:1: Gateway takes one host"* ]]
	run --separate-stderr env DBGATE_GATEWAY=-oProxyCommand=x "$DBGATE" exec pg -c "SELECT 1"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"must be a host, not an option"* ]]
}

@test "a shell request without a terminal lists the targets; a terminal gets CR LF" {
	ssh_start
	run --separate-stderr ssh_gw carol carol -T -- </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"ssh -t -p $SSH_PORT carol@127.0.0.1 connect TARGET"* ]]
	[[ "$output" == *"ssh -p $SSH_PORT carol@127.0.0.1 exec TARGET"* ]]
	[[ "$output" == *"pg      postgresql"* ]]
	# dave may use no target: none is listed.
	run --separate-stderr ssh_gw carol dave -T -- </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"Targets you may use:"* ]]
	[[ "$output" != *"postgresql"* ]]
	# With a terminal, exec prints a table, lines end in CR LF.
	run --separate-stderr ssh_gw carol carol -tt -- "exec pg -c 'SELECT 1 AS one'"
	[ "$status" -eq 0 ]
	[[ "$output" == *$'one\r\n'* ]]
	[[ "$output" == *"(1 row)"* ]]
}

@test "restrict: no terminal" {
	{
		printf 'restrict '
		cat "$K/carol.pub"
	} >"$K/carol.keys"
	ssh_start
	# ssh -tt gives up when the terminal it insists on is refused.
	run --separate-stderr ssh_gw carol carol -tt -- "exec pg -c 'SELECT 1 AS one'"
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"PTY allocation request failed"* ]]
	grep -q "ssh: refused a terminal to carol: the key is restricted" "$T/gateway.log"
	# Without one, the key works.
	run --separate-stderr ssh_gw carol carol -- "exec pg -c 'SELECT 1 AS one'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'one\n1')" ]
}

@test "the environment: TERM and LANG only" {
	ssh_start
	run --separate-stderr ssh_gw carol carol -o SetEnv="LANG=C.UTF-8 LD_PRELOAD=/tmp/x.so" -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 0 ]
	grep -q 'ssh: refused environment variable "LD_PRELOAD" from carol' "$T/gateway.log"
	if grep -q 'refused environment variable "LANG"' "$T/gateway.log"; then false; fi
}

@test "the session record says ssh, the user and the client's address" {
	ssh_start
	run ssh_gw carol carol -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 0 ]
	rec=$(find "$STATE/sessions" -name '*.dgr')
	[ "$(echo "$rec" | wc -l)" -eq 1 ]
	jq -e -s '.[0].type == "session-start" and .[0].via == "ssh" and .[0].user == "carol" and (.[0].from | test("^127\\.0\\.0\\.1 port [0-9]+$")) and (.[0] | has("uid") | not) and .[0].os_user == null' "$rec"
	jq -e -s '.[-1].type == "session-end" and .[-1].exit_status == 0' "$rec"
	grep -q "sess=[0-9a-f]* carol@pg: session started (ssh from 127.0.0.1 port" "$T/gateway.log"
}

@test "limits count the SSH user: MaxSessions per user" {
	ssh_users "    MaxSessions 1"
	ssh_start
	# A session waiting for its input holds its place.
	(sleep 3; echo "SELECT 1;") |
	    ssh_gw carol carol -- "exec pg" >/dev/null 2>&1 &
	bg=$!
	for ((i = 0; i < 50; i++)); do
		grep -q "carol@pg: session started" "$T/gateway.log" && break
		sleep 0.1
	done
	run --separate-stderr ssh_gw carol carol -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 6 ]
	[[ "$stderr" == *"user carol already has 1 sessions"* ]]
	wait "$bg"
	run --separate-stderr ssh_gw carol carol -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 0 ]
}

@test "connections not logged in: per source limit and login grace time" {
	gw_conf_global "PerSourceMaxStartups 1" "LoginGraceTime 2s"
	ssh_start
	# One connection that never logs in holds the only place.
	exec 4<>"/dev/tcp/127.0.0.1/$SSH_PORT"
	IFS= read -r -t 5 banner <&4
	[[ "$banner" == SSH-2.0-* ]]
	run --separate-stderr ssh_gw carol carol -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 255 ]
	grep -q "ssh: connection from 127.0.0.1 refused: 1 connections from it are not logged in yet (PerSourceMaxStartups 1)" "$T/gateway.log"
	# After the grace time the gateway hangs up on it...
	run timeout 10 cat <&4
	[ "$status" -eq 0 ]
	exec 4<&-
	grep -q "ssh: .* from 127.0.0.1 port [0-9]* timed out (LoginGraceTime)" "$T/gateway.log"
	# ...and the place is free again.
	run --separate-stderr ssh_gw carol carol -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 0 ]
}

@test "the host key: created 0600, its fingerprint logged and served" {
	ssh_start
	key=$STATE/keys/ssh_host_ed25519_key
	[ "$(stat -c %a "$key")" = 600 ]
	[ -f "$key.pub" ]
	fp=$(ssh-keygen -lf "$key.pub" | awk '{ print $2 }')
	[[ "$fp" == SHA256:* ]]
	grep -q "created the SSH host key $key: ssh-ed25519 $fp" "$T/gateway.log"
	run ssh_gw carol carol -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 0 ]
	[ "$(ssh-keygen -lf "$T/known_hosts" | awk '{ print $2 }')" = "$fp" ]
	# The next start uses the same key.
	gw_stop
	ssh_start
	grep -q "using SSH host key $key: ssh-ed25519 $fp" "$T/gateway.log"
	# A host key others may read is refused.
	gw_stop
	chmod 0640 "$key"
	run timeout 20 "$DBGATE" -F "$CONF" serve
	[ "$status" -eq 2 ]
	[[ "$output" == *"must be a regular file owned by the gateway's user with mode 0600"* ]]
}

@test "config check: options dbgate does not enforce fail, at their line" {
	{
		cat "$K/carol.pub"
		printf 'command="/bin/sh",from="10.0.0.0/8" '
		cat "$K/carol.pub"
	} >"$K/carol.keys"
	run "$DBGATE" -F "$CONF" config check
	[ "$status" -eq 2 ]
	[[ "$output" == *"$K/carol.keys:2: option \"command\" is not enforced by dbgate"* ]]
	printf 'from="*.example.com" %s\n' "$(cat "$K/carol.pub")" >"$K/carol.keys"
	run "$DBGATE" -F "$CONF" config check
	[ "$status" -eq 2 ]
	[[ "$output" == *"$K/carol.keys:1: from= pattern \"*.example.com\" names a host"* ]]
	# The daemon will not start with it either.
	run timeout 20 "$DBGATE" -F "$CONF" serve
	[ "$status" -eq 2 ]
	# A file broken while the daemon runs lets none of its keys in.
	cp "$K/carol.pub" "$K/carol.keys"
	ssh_start
	run ssh_gw carol carol -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 0 ]
	printf 'environment="X=1" %s\n' "$(cat "$K/carol.pub")" >>"$K/carol.keys"
	run --separate-stderr ssh_gw carol carol -- "exec pg -c 'SELECT 1'"
	[ "$status" -eq 255 ]
	grep -q "$K/carol.keys:2: option \"environment\" is not enforced by dbgate.*every key of user carol is refused" "$T/gateway.log"
}

@test "an ssh ControlMaster: one command per connection, each one works" {
	ssh_start
	cm=(-o ControlMaster=auto -o "ControlPath=$T/cm-%C" -o ControlPersist=30)
	for n in 1 2 3; do
		run --separate-stderr ssh_gw carol carol "${cm[@]}" -- "exec pg -c 'SELECT $n AS n'"
		[ "$status" -eq 0 ]
		[ "$output" = "$(printf 'n\n%s' "$n")" ]
		[ -z "$stderr" ]
	done
	# The master was hung up on after its command; none is left over.
	for ((i = 0; i < 50; i++)); do
		[ -z "$(ls "$T"/cm-* 2>/dev/null)" ] && break
		sleep 0.1
	done
	[ -z "$(ls "$T"/cm-* 2>/dev/null)" ]
	for ((i = 0; i < 50; i++)); do
		[ "$(grep -c 'carol@pg ended: exit 0' "$T/gateway.log")" -eq 3 ] &&
		    break
		sleep 0.1
	done
	[ "$(grep -c 'carol@pg ended: exit 0' "$T/gateway.log")" -eq 3 ]
	if grep -q "killed by signal" "$T/gateway.log"; then false; fi
}
