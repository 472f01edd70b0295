# tests/bats/helpers.bash: per-test gateway fixtures for the bats suite.
# Each .bats file does `load helpers`; setup_suite.bash has already started
# the database servers and exported DBG_SUITE_DIR, DBG_PG_*, DBG_MY_*.
#
# Typical test file:
#
#   load helpers
#   setup()    { gw_setup; }          # fresh dir, state dir, config
#   teardown() { gw_teardown; }       # stop the gateway, show its log
#
#   @test "exec on pg" {
#       gw_start
#       run dbg exec pg -c 'SELECT 1'
#       [ "$status" -eq 0 ]
#   }
#
# Per test (after gw_setup):
#   T       the test's own directory (0755) under DBG_SUITE_DIR
#   STATE   $T/state (0700), the gateway's StateDir
#   SOCK    $T/run/dbgate.sock, the gateway's socket
#   CONF    $T/dbgate.conf, rebuilt by gw_write_conf from the base config
#           plus $T/conf.global (lines before the first block, gw_conf_global)
#           and $T/conf.extra (lines after the last block, gw_conf)
#   GW_PID  pid of the running `dbgate serve` (set by gw_start)
#
# Base config: users root (OSUser root), alice (dbgt-alice) in group
# engineers and bob (dbgt-bob) in group other; targets pg (socket, trust,
# user app), my (MariaDB socket, user app: needs its password in the vault)
# and pgpw (TCP 127.0.0.1, user app_pw, scram: needs its password in the
# vault), all allowed for engineers.  gw_vault_defaults stores both
# passwords.  Start the gateway with gw_start, not `run gw_start` (which
# would lose GW_PID in a subshell).

# shellcheck source=../lib/servers.sh
source "${top_srcdir:-$BATS_TEST_DIRNAME/../..}/tests/lib/servers.sh"

# Make a fresh directory for this test and write the base config.
gw_setup()
{
	[ -n "${DBG_SUITE_DIR:-}" ] || {
		echo "gw_setup: DBG_SUITE_DIR unset (setup_suite did not run)" >&2
		return 1
	}
	T=$(mktemp -d "$DBG_SUITE_DIR/t.XXXXXX")
	chmod 0755 "$T"
	STATE=$T/state
	mkdir -m 0700 "$STATE"
	mkdir -m 0755 "$T/run"
	SOCK=$T/run/dbgate.sock
	CONF=$T/dbgate.conf
	GW_PID=
	: >"$T/conf.global"
	: >"$T/conf.extra"
	: >"$T/gateway.log"
	export T STATE SOCK CONF
	gw_write_conf
}

# Write $CONF from the base config and the test's additions.
gw_write_conf()
{
	{
		cat <<-EOF
			# written by tests/bats/helpers.bash for: $BATS_TEST_DESCRIPTION
			StateDir $STATE
			Listen unix:$SOCK
			SessionUser nobody
			LogLevel debug
		EOF
		cat "$T/conf.global"
		cat <<-EOF

			User root
			    OSUser root
			    Groups engineers
			User alice
			    OSUser dbgt-alice
			    Groups engineers
			User bob
			    OSUser dbgt-bob
			    Groups other

			Target pg
			    Driver postgresql
			    Connect "host=$DBG_PG_SOCKDIR port=$DBG_PG_PORT dbname=app user=app"
			    AllowGroups engineers
			Target my
			    Driver mariadb
			    Connect "socket=$DBG_MY_SOCKET dbname=app user=app"
			    AllowGroups engineers
			Target pgpw
			    Driver postgresql
			    Connect "host=127.0.0.1 port=$DBG_PG_PORT user=app_pw dbname=app sslmode=disable"
			    AllowGroups engineers
		EOF
		cat "$T/conf.extra"
	} >"$CONF"
	chmod 0600 "$CONF"
}

# Append config lines (one argument per line) after the last block.
gw_conf()
{
	printf '%s\n' "$@" >>"$T/conf.extra"
	gw_write_conf
}

# Add global config lines (one argument per line) before the first block.
gw_conf_global()
{
	printf '%s\n' "$@" >>"$T/conf.global"
	gw_write_conf
}

# Start `dbgate serve` in the background; wait up to 10 s for its socket.
gw_start()
{
	local i rc

	if [ -n "${GW_PID:-}" ] && kill -0 "$GW_PID" 2>/dev/null; then
		echo "gw_start: gateway already running (pid $GW_PID)" >&2
		return 1
	fi
	rm -f "$SOCK"
	# Close every descriptor above 2 first: a daemon holding bats' fd 3
	# (or make's pipe) would stall the whole run.
	(
		for i in /proc/$BASHPID/fd/*; do
			i=${i##*/}
			if [ "$i" -gt 2 ] 2>/dev/null; then
				eval "exec $i>&-" 2>/dev/null || true
			fi
		done
		exec "$DBGATE" -F "$CONF" serve </dev/null >>"$T/gateway.log" 2>&1
	) &
	GW_PID=$!
	for ((i = 0; i < 100; i++)); do
		if [ -S "$SOCK" ]; then
			return 0
		fi
		if ! kill -0 "$GW_PID" 2>/dev/null; then
			rc=0
			wait "$GW_PID" || rc=$?
			echo "gw_start: dbgate serve exited (status $rc)" \
			    "before creating $SOCK" >&2
			GW_PID=
			gw_show_log
			return 1
		fi
		sleep 0.1
	done
	echo "gw_start: no socket at $SOCK after 10 s" >&2
	gw_show_log
	return 1
}

# Send SIGTERM; assert that the gateway exits, with status 0, within 10 s.
gw_stop()
{
	local i rc

	if [ -z "${GW_PID:-}" ]; then
		echo "gw_stop: gateway not started" >&2
		return 1
	fi
	kill -TERM "$GW_PID" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		kill -0 "$GW_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$GW_PID" 2>/dev/null; then
		echo "gw_stop: gateway (pid $GW_PID) still running 10 s" \
		    "after SIGTERM; killing it" >&2
		kill -KILL "$GW_PID" 2>/dev/null || true
		wait "$GW_PID" 2>/dev/null || true
		GW_PID=
		gw_show_log
		return 1
	fi
	rc=0
	wait "$GW_PID" || rc=$?
	GW_PID=
	if [ "$rc" -ne 0 ]; then
		echo "gw_stop: gateway exited with status $rc after SIGTERM" >&2
		gw_show_log
		return 1
	fi
	return 0
}

# Send SIGHUP (reload the config) and give the daemon a moment.
gw_reload()
{
	kill -HUP "$GW_PID"
	sleep 0.3
}

# Print the gateway log on stderr.
gw_show_log()
{
	echo "--- $T/gateway.log ---" >&2
	cat "$T/gateway.log" >&2 2>/dev/null || true
	echo "--- end of gateway.log ---" >&2
}

# Per-test teardown: stop the gateway if it runs; on failure show its log.
# bats shows teardown's output only for failed tests.
gw_teardown()
{
	[ -n "${T:-}" ] || return 0
	if [ -n "${GW_PID:-}" ] && kill -0 "$GW_PID" 2>/dev/null; then
		gw_stop || true
	fi
	if [ -z "${BATS_TEST_COMPLETED:-}" ]; then
		gw_show_log
	fi
	return 0
}

# Run a client command against this test's gateway as the current user.
dbg()
{
	"$DBGATE" --socket "$SOCK" "$@"
}

# Run a client command as another OS user: alice, bob (dbgt-alice,
# dbgt-bob) or any OS user name.  Needs root.
dbg_as()
{
	local user=$1

	shift
	case $user in
	alice|bob)
		user=dbgt-$user
		;;
	esac
	runuser -u "$user" -- "$DBGATE" --socket "$SOCK" "$@"
}

# Store PASSWORD for TARGET in the vault (admin command, as root).  The
# password goes on stdin without a trailing newline.
gw_vault_set()
{
	printf '%s' "$2" | "$DBGATE" -F "$CONF" vault set "$1"
}

# Store the passwords of targets my and pgpw.
gw_vault_defaults()
{
	gw_vault_set my "$DBG_MY_PASSWORD" && gw_vault_set pgpw "$DBG_PG_PASSWORD"
}

# Skip the test unless the OS test users exist (we run as root).
need_test_users()
{
	if [ "${DBG_TEST_USERS:-no}" != yes ]; then
		skip "needs root (OS test users dbgt-alice, dbgt-bob)"
	fi
}

# Run SQL as the role the gateway uses (app), so it owns what it creates.
pg_app()
{
	pg_sql -q -c "SET ROLE app" -c "$1"
}

# SSH: a private port, keys for carol (and a stranger) in $K, an ssh:
# listener, and carol and dave as users who come over SSH (ssh_users).
# Skips the test without the OpenSSH client.
ssh_setup() {
	command -v ssh >/dev/null || skip "no OpenSSH client"
	command -v ssh-keygen >/dev/null || skip "no ssh-keygen"
	unset SSH_AUTH_SOCK DBGATE_GATEWAY DBGATE_SSH
	SSH_PORT=$(servers_free_port)
	K=$T/ssh
	mkdir -m 0700 "$K"
	ssh-keygen -q -t ed25519 -N '' -C carol -f "$K/carol"
	ssh-keygen -q -t ed25519 -N '' -C stranger -f "$K/stranger"
	cp "$K/carol.pub" "$K/carol.keys"
	cp "$K/carol.pub" "$K/dave.keys"
	chmod 0644 "$K/carol.keys" "$K/dave.keys"
	gw_conf_global "Listen ssh:127.0.0.1:$SSH_PORT"
	ssh_users
}

# carol (engineers) and dave (other) are dbgate users who come only over
# SSH, with the same key; arguments are more lines for carol's block.
ssh_users() {
	: >"$T/conf.extra"
	gw_conf "User carol" "    Groups engineers" \
	    "    AuthorizedKeys $K/carol.keys" "$@" \
	    "User dave" "    Groups other" "    AuthorizedKeys $K/dave.keys"
}

# Start the gateway and wait (up to 5 s) for its SSH listener.
ssh_start() {
	local i

	gw_start || return 1
	for ((i = 0; i < 50; i++)); do
		grep -q "listening on ssh:127.0.0.1:$SSH_PORT" "$T/gateway.log" &&
		    return 0
		sleep 0.1
	done
	echo "no SSH listener on port $SSH_PORT" >&2
	gw_show_log
	return 1
}

# The ssh options every test uses (no user config, no agent); ssh's own
# messages at SSH_LOGLEVEL (default ERROR).
ssh_opts() {
	printf '%s\n' -p "$SSH_PORT" -F /dev/null \
	    -o "UserKnownHostsFile=$T/known_hosts" \
	    -o StrictHostKeyChecking=accept-new -o BatchMode=yes \
	    -o IdentitiesOnly=yes -o ConnectTimeout=10 \
	    -o "LogLevel=${SSH_LOGLEVEL:-ERROR}"
}

# ssh_gw KEY USER [ssh options...] -- REMOTE-COMMAND-LINE
ssh_gw() {
	local key=$1 user=$2 opts=()

	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	[ "${1:-}" = -- ] && shift
	mapfile -t base < <(ssh_opts)
	ssh "${base[@]}" -i "$K/$key" "${opts[@]}" "$user@127.0.0.1" "$@"
}

# The DBGATE_SSH value that reaches this gateway with carol's key.
dbgate_ssh() {
	echo "ssh -p $SSH_PORT -F /dev/null -o UserKnownHostsFile=$T/known_hosts -o StrictHostKeyChecking=accept-new -o BatchMode=yes -o IdentitiesOnly=yes -o LogLevel=ERROR -i $K/carol"
}
