# tests/lib/servers.sh: throwaway PostgreSQL and MariaDB servers for dbgate's
# tests, demo and benchmarks.  Sourced (bash) by tests/bats/setup_suite.bash,
# scripts/demo and bench/*; never run directly.
#
# Each server lives in its own directory under a base directory the caller
# owns (make it 0755 so the postgres user and others can traverse it), listens
# on a unix socket in that directory and on 127.0.0.1 at a port picked free at
# run time, and is stopped again by the matching stop function.  Nothing here
# touches the distribution's own clusters, services or config files.
#
#   servers_pg_start BASE    initdb + start PostgreSQL under BASE/pg
#   servers_pg_seed          roles app and app_pw, database app, demo schema
#   servers_pg_load_schema   (re)load tests/data/demo-schema.sql (resets data)
#   servers_pg_stop [BASE]   pg_ctl stop -m fast (kill as a last resort)
#   servers_my_start BASE    mariadb-install-db + start MariaDB under BASE/my
#   servers_my_seed          user app, database app, demo schema
#   servers_my_load_schema   (re)load tests/data/demo-schema-mariadb.sql
#   servers_my_stop [BASE]   mariadb-admin shutdown (kill as a last resort)
#   servers_start_all BASE / servers_stop_all BASE   both of the above
#   servers_gateway_start DBGATE CONF SOCK LOG   `dbgate -F CONF serve` in the
#                            background (SERVERS_GW_PID), wait for SOCK
#   servers_gateway_stop     SIGTERM it and wait (demo and bench; the bats
#                            suite has its own, stricter gw_start/gw_stop)
#   pg_sql ARGS...           psql as superuser over the socket, database app
#   my_sql ARGS...           mariadb client as root over the socket, db app
#
# Exported after start: DBG_PG_SOCKDIR DBG_PG_PORT DBG_PG_PASSWORD DBG_PG_LOG
# DBG_PG_BINDIR DBG_PG_DIR, and DBG_MY_SOCKET DBG_MY_PORT DBG_MY_PASSWORD
# DBG_MY_LOG DBG_MY_DIR.  The PostgreSQL superuser is `postgres`; role app
# (schema owner) uses trust over the socket; role app_pw has password
# $DBG_PG_PASSWORD and may log in over TCP (scram-sha-256, the only method
# pg_hba allows there).  The MariaDB user app has password $DBG_MY_PASSWORD,
# over the socket ('app'@'localhost') and over TCP ('app'@'127.0.0.1').
#
# Functions return non-zero with a message (and the server log's tail) on
# stderr when something fails; they are safe under `set -e`.

SERVERS_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${TESTDATA:=$(cd "$SERVERS_LIB_DIR/../data" && pwd)}"

# Fixed test passwords, unless the caller chose others.
: "${DBG_PG_PASSWORD:=pg-secret-Zq7!x}"
: "${DBG_MY_PASSWORD:=my-secret-Kp3#w}"
export DBG_PG_PASSWORD DBG_MY_PASSWORD

# How long to wait for a server to accept connections, in seconds.
: "${DBG_SERVER_WAIT:=60}"

# OS user that runs PostgreSQL when we are root (postgres refuses root).
: "${DBG_PG_OSUSER:=postgres}"

# Print an error message on stderr.
servers_err()
{
	printf 'servers.sh: %s\n' "$*" >&2
}

# Print the last lines of a server log on stderr, framed.
servers_log_tail()
{
	local log=$1

	[ -f "$log" ] || { servers_err "(no log at $log)"; return 0; }
	printf -- '--- last lines of %s ---\n' "$log" >&2
	tail -n 40 "$log" >&2
	printf -- '--- end of %s ---\n' "$log" >&2
}

# Print a TCP port on 127.0.0.1 that nothing listens on or uses right now.
# Ports come from 20000-32767, below Linux's usual ephemeral range.
servers_free_port()
{
	local -A used=()
	local f _sl local_addr rest port i

	for f in /proc/net/tcp /proc/net/tcp6; do
		[ -r "$f" ] || continue
		while read -r _sl local_addr rest; do
			[ "$_sl" = "sl" ] && continue
			used[$((16#${local_addr##*:}))]=1
		done < "$f"
	done
	for ((i = 0; i < 200; i++)); do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 12768))
		if [ -z "${used[$port]:-}" ]; then
			printf '%s\n' "$port"
			return 0
		fi
	done
	servers_err "no free TCP port found"
	return 1
}

# Run a command detached from the caller: new session, stdin from /dev/null,
# stdout and stderr appended to LOG, and every other inherited descriptor
# closed (bats waits for whoever holds its fd 3; make's TAP driver for
# whoever holds the pipe).  Sets SERVERS_SPAWN_PID to the child's pid (the
# child stays ours, so it is reaped and `kill -0` tells when it is gone).
servers_spawn()
{
	local log=$1
	shift
	(
		local fd
		for fd in /proc/$BASHPID/fd/*; do
			fd=${fd##*/}
			if [ "$fd" -gt 2 ] 2>/dev/null; then
				eval "exec $fd>&-" 2>/dev/null || true
			fi
		done
		exec setsid "$@" </dev/null >>"$log" 2>&1
	) &
	SERVERS_SPAWN_PID=$!
}

# Run a command (or function) in the foreground with inherited descriptors
# above 2 closed and its output appended to LOG (for pg_ctl, which leaves the
# postmaster running with whatever descriptors it had).
servers_run_closed()
{
	local log=$1
	shift
	(
		local fd
		for fd in /proc/$BASHPID/fd/*; do
			fd=${fd##*/}
			if [ "$fd" -gt 2 ] 2>/dev/null; then
				eval "exec $fd>&-" 2>/dev/null || true
			fi
		done
		"$@" </dev/null >>"$log" 2>&1
	)
}

# Wait until pid PID is gone, up to SECONDS; return 1 if it is still there.
servers_wait_gone()
{
	local pid=$1 secs=$2 i

	for ((i = 0; i < secs * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	! kill -0 "$pid" 2>/dev/null
}

# Wait SECS for server NAME (PID) to stop after being asked; then kill it.
servers_reap()
{
	servers_wait_gone "$2" "$3" && return 0
	servers_err "$1 (pid $2) did not stop when asked; killing it"
	kill -KILL "$2" 2>/dev/null || true
	servers_wait_gone "$2" 10 || {
		servers_err "$1 (pid $2) will not die"
		return 1
	}
}

# Quote a string as an SQL literal for MariaDB (default sql_mode).
servers_my_quote()
{
	local s=$1

	s=${s//\\/\\\\}
	s=${s//\'/\'\'}
	printf "'%s'" "$s"
}

# ---------------------------------------------------------------------------
# PostgreSQL

# Print the bin directory of the newest installed PostgreSQL server.
servers_pg_bindir()
{
	local best

	if [ -n "${DBG_PG_BINDIR:-}" ]; then
		printf '%s\n' "$DBG_PG_BINDIR"
		return 0
	fi
	best=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	if [ -z "$best" ] || [ ! -x "$best/initdb" ]; then
		servers_err "no PostgreSQL server found under /usr/lib/postgresql" \
		    "(run scripts/deps)"
		return 1
	fi
	printf '%s\n' "$best"
}

# Run a command as the PostgreSQL OS user (ourselves unless we are root).
servers_as_pg()
{
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$DBG_PG_OSUSER" -- "$@"
	else
		"$@"
	fi
}

# psql as the superuser over the unix socket, database app (or -d to change).
pg_sql()
{
	"$DBG_PG_BINDIR/psql" -X -At -v ON_ERROR_STOP=1 -h "$DBG_PG_SOCKDIR" \
	    -p "$DBG_PG_PORT" -U postgres -d app "$@"
}

# Create a cluster under BASE/pg and start it; export the DBG_PG_* variables.
servers_pg_start()
{
	local base=$1 dir data sock log port attempt pid

	if [ -z "$base" ] || [ ! -d "$base" ]; then
		servers_err "servers_pg_start: base directory '$base' missing"
		return 1
	fi
	DBG_PG_BINDIR=$(servers_pg_bindir) || return 1
	dir=$base/pg
	data=$dir/data
	sock=$dir/sock
	log=$dir/postgresql.log
	if [ -e "$dir" ]; then
		servers_err "$dir exists already (stop and remove it first)"
		return 1
	fi
	mkdir -m 0755 "$dir" "$sock" || return 1
	: >"$log"
	if [ "$(id -u)" -eq 0 ]; then
		if ! id "$DBG_PG_OSUSER" >/dev/null 2>&1; then
			servers_err "OS user $DBG_PG_OSUSER missing (run scripts/deps)"
			return 1
		fi
		chown "$DBG_PG_OSUSER" "$dir" "$sock" "$log" || return 1
		if ! runuser -u "$DBG_PG_OSUSER" -- test -w "$dir"; then
			servers_err "$DBG_PG_OSUSER cannot reach $dir:" \
			    "make every directory above it traversable (chmod 755)"
			return 1
		fi
	fi
	if ! servers_as_pg "$DBG_PG_BINDIR/initdb" -D "$data" -A trust \
	    -U postgres -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
		servers_err "initdb failed"
		servers_log_tail "$dir/initdb.log"
		return 1
	fi
	# Socket: trust for everyone.  TCP: password (scram) only.
	# (Files written here as root keep or get modes postgres can read.)
	cat >"$data/pg_hba.conf" <<-EOF || return 1
		# written by tests/lib/servers.sh
		local   all all                trust
		host    all all 127.0.0.1/32   scram-sha-256
		host    all all ::1/128        scram-sha-256
	EOF
	printf "include 'dbgate-test.conf'\n" >>"$data/postgresql.conf" ||
	    return 1

	for attempt in 1 2 3; do
		port=$(servers_free_port) || return 1
		cat >"$data/dbgate-test.conf" <<-EOF || return 1
			# written by tests/lib/servers.sh
			listen_addresses = '127.0.0.1'
			port = $port
			unix_socket_directories = '$sock'
			unix_socket_permissions = 0777
			password_encryption = 'scram-sha-256'
			fsync = off
			synchronous_commit = off
			full_page_writes = off
			timezone = 'UTC'
			log_timezone = 'UTC'
			max_connections = 100
		EOF
		if servers_run_closed "$dir/pg_ctl.log" servers_as_pg \
		    "$DBG_PG_BINDIR/pg_ctl" -D "$data" -l "$log" -w \
		    -t "$DBG_SERVER_WAIT" start; then
			break
		fi
		# pg_ctl may give up while the postmaster still runs.
		if [ -f "$data/postmaster.pid" ]; then
			pid=$(head -n 1 "$data/postmaster.pid")
			kill -KILL "$pid" 2>/dev/null || true
			servers_wait_gone "$pid" 10 || true
		fi
		if grep -q 'could not bind\|Address already in use' "$log" &&
		    [ "$attempt" -lt 3 ]; then
			: >"$log"
			continue
		fi
		servers_err "PostgreSQL did not start (port $port)"
		servers_log_tail "$dir/pg_ctl.log"
		servers_log_tail "$log"
		return 1
	done

	DBG_PG_DIR=$dir
	DBG_PG_SOCKDIR=$sock
	DBG_PG_PORT=$port
	DBG_PG_LOG=$log
	export DBG_PG_DIR DBG_PG_SOCKDIR DBG_PG_PORT DBG_PG_LOG DBG_PG_BINDIR

	if ! pg_sql -d postgres -c 'SELECT 1' >/dev/null; then
		servers_err "PostgreSQL started but refuses connections"
		servers_log_tail "$log"
		return 1
	fi
}

# Create roles app and app_pw and database app, then load the demo schema.
servers_pg_seed()
{
	if ! pg_sql -q -d postgres -v "pw=$DBG_PG_PASSWORD" >/dev/null \
	    <<-'EOF'; then
		SET client_min_messages = warning;
		SELECT 'CREATE ROLE app LOGIN'
		    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app')
		\gexec
		SELECT 'CREATE ROLE app_pw LOGIN'
		    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_pw')
		\gexec
		ALTER ROLE app_pw PASSWORD :'pw';
		SELECT 'CREATE DATABASE app OWNER app'
		    WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'app')
		\gexec
	EOF
		servers_err "seeding PostgreSQL roles failed"
		servers_log_tail "$DBG_PG_LOG"
		return 1
	fi
	servers_pg_load_schema
}

# Load tests/data/demo-schema.sql as role app (drops and recreates the tables,
# resetting their rows) and let app_pw use them.
servers_pg_load_schema()
{
	local schema=${1:-$TESTDATA/demo-schema.sql}

	if ! pg_sql -q -U app -f "$schema" >/dev/null; then
		servers_err "loading $schema into PostgreSQL failed"
		return 1
	fi
	pg_sql -q -U app >/dev/null <<-'EOF'
		GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public
		    TO app_pw;
		GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO app_pw;
	EOF
}

# Stop the cluster under BASE/pg (default: the one started last).
servers_pg_stop()
{
	local dir=${1:+$1/pg} data pid

	dir=${dir:-${DBG_PG_DIR:-}}
	[ -n "$dir" ] || return 0
	data=$dir/data
	[ -f "$data/postmaster.pid" ] || return 0
	pid=$(head -n 1 "$data/postmaster.pid")
	: "${DBG_PG_BINDIR:=$(servers_pg_bindir)}"
	servers_run_closed "$dir/pg_ctl.log" servers_as_pg \
	    "$DBG_PG_BINDIR/pg_ctl" -D "$data" -m fast -w -t 30 stop || true
	[ -z "$pid" ] || servers_reap PostgreSQL "$pid" 5
}

# ---------------------------------------------------------------------------
# MariaDB

# Print the MariaDB account our OS user logs in as over the socket.
servers_my_superuser()
{
	if [ "$(id -u)" -eq 0 ]; then
		printf 'root\n'
	else
		id -un
	fi
}

# The mariadb client as root over the unix socket, no default database.
servers_my_client()
{
	mariadb --no-defaults --default-character-set=utf8mb4 \
	    -u "$(servers_my_superuser)" --socket="$DBG_MY_SOCKET" "$@"
}

# The mariadb client as root over the unix socket, database app.
my_sql()
{
	servers_my_client -N -B app "$@"
}

# Create a data directory under BASE/my and start mariadbd; export DBG_MY_*.
servers_my_start()
{
	local base=$1 dir data sock log pidfile port attempt pid i up super
	local -a user_opt=()

	if [ -z "$base" ] || [ ! -d "$base" ]; then
		servers_err "servers_my_start: base directory '$base' missing"
		return 1
	fi
	for i in mariadbd mariadb-install-db mariadb mariadb-admin; do
		if ! command -v "$i" >/dev/null 2>&1 &&
		    [ ! -x "/usr/sbin/$i" ]; then
			servers_err "$i not found (run scripts/deps)"
			return 1
		fi
	done
	dir=$base/my
	data=$dir/data
	sock=$dir/mysqld.sock
	log=$dir/mariadbd.log
	pidfile=$dir/mariadbd.pid
	super=$(servers_my_superuser)
	if [ -e "$dir" ]; then
		servers_err "$dir exists already (stop and remove it first)"
		return 1
	fi
	mkdir -m 0755 "$dir" || return 1
	if [ "$(id -u)" -eq 0 ]; then
		user_opt=(--user=root)
	fi
	if ! PATH=$PATH:/usr/sbin mariadb-install-db --no-defaults \
	    --datadir="$data" "${user_opt[@]}" --skip-test-db \
	    --auth-root-authentication-method=socket \
	    --auth-root-socket-user="$super" \
	    >"$dir/install.log" 2>&1; then
		servers_err "mariadb-install-db failed"
		servers_log_tail "$dir/install.log"
		return 1
	fi

	for attempt in 1 2 3; do
		port=$(servers_free_port) || return 1
		: >"$log"
		rm -f "$pidfile"
		servers_spawn "$dir/mariadbd.out" \
		    "$(PATH=$PATH:/usr/sbin command -v mariadbd)" --no-defaults \
		    "${user_opt[@]}" --datadir="$data" --socket="$sock" \
		    --port="$port" --bind-address=127.0.0.1 --pid-file="$pidfile" \
		    --log-error="$log" --skip-name-resolve \
		    --character-set-server=utf8mb4 \
		    --collation-server=utf8mb4_general_ci \
		    --default-time-zone=+00:00 \
		    --innodb-buffer-pool-size=64M \
		    --innodb-flush-log-at-trx-commit=0 \
		    --skip-innodb-doublewrite
		pid=$SERVERS_SPAWN_PID
		up=no
		for ((i = 0; i < DBG_SERVER_WAIT * 10; i++)); do
			if mariadb-admin --no-defaults -u "$super" \
			    --socket="$sock" --connect-timeout=2 ping \
			    >/dev/null 2>&1; then
				up=yes
				break
			fi
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		[ "$up" = yes ] && break
		kill -KILL "$pid" 2>/dev/null || true
		servers_wait_gone "$pid" 10 || true
		if grep -q 'Address already in use\|Do you already have another' \
		    "$log" && [ "$attempt" -lt 3 ]; then
			continue
		fi
		servers_err "MariaDB did not start within ${DBG_SERVER_WAIT}s" \
		    "(port $port)"
		servers_log_tail "$dir/mariadbd.out"
		servers_log_tail "$log"
		return 1
	done

	DBG_MY_DIR=$dir
	DBG_MY_SOCKET=$sock
	DBG_MY_PORT=$port
	DBG_MY_LOG=$log
	export DBG_MY_DIR DBG_MY_SOCKET DBG_MY_PORT DBG_MY_LOG
}

# Create database app and user app (socket and TCP), then load the schema.
servers_my_seed()
{
	local pw

	pw=$(servers_my_quote "$DBG_MY_PASSWORD")
	if ! servers_my_client -N -B >/dev/null <<-EOF; then
		CREATE DATABASE IF NOT EXISTS app CHARACTER SET utf8mb4;
		CREATE USER IF NOT EXISTS 'app'@'localhost' IDENTIFIED BY $pw;
		ALTER USER 'app'@'localhost' IDENTIFIED BY $pw;
		CREATE USER IF NOT EXISTS 'app'@'127.0.0.1' IDENTIFIED BY $pw;
		ALTER USER 'app'@'127.0.0.1' IDENTIFIED BY $pw;
		GRANT ALL PRIVILEGES ON app.* TO 'app'@'localhost';
		GRANT ALL PRIVILEGES ON app.* TO 'app'@'127.0.0.1';
	EOF
		servers_err "seeding MariaDB users failed"
		servers_log_tail "$DBG_MY_LOG"
		return 1
	fi
	servers_my_load_schema
}

# Load tests/data/demo-schema-mariadb.sql into app (resets the rows).
servers_my_load_schema()
{
	local schema=${1:-$TESTDATA/demo-schema-mariadb.sql}

	if ! my_sql <"$schema" >/dev/null; then
		servers_err "loading $schema into MariaDB failed"
		return 1
	fi
}

# Stop the MariaDB under BASE/my (default: the one started last).
servers_my_stop()
{
	local dir=${1:+$1/my} pidfile pid

	dir=${dir:-${DBG_MY_DIR:-}}
	[ -n "$dir" ] || return 0
	pidfile=$dir/mariadbd.pid
	[ -f "$pidfile" ] || return 0
	pid=$(cat "$pidfile")
	[ -n "$pid" ] || return 0
	kill -0 "$pid" 2>/dev/null || return 0
	mariadb-admin --no-defaults -u "$(servers_my_superuser)" \
	    --socket="$dir/mysqld.sock" --connect-timeout=5 shutdown \
	    >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
	servers_reap MariaDB "$pid" 30
}

# ---------------------------------------------------------------------------

# Start and seed both servers under BASE.
servers_start_all()
{
	servers_pg_start "$1" && servers_pg_seed &&
	    servers_my_start "$1" && servers_my_seed
}

# Stop both servers under BASE; report failure if either would not stop.
servers_stop_all()
{
	local rc=0

	servers_pg_stop "$@" || rc=1
	servers_my_stop "$@" || rc=1
	return $rc
}

# Start `DBGATE -F CONF serve` detached, output appended to LOG; wait up to
# 10 s for its socket SOCK.  Sets SERVERS_GW_PID.
servers_gateway_start()
{
	local dbgate=$1 conf=$2 sock=$3 log=$4 i

	rm -f "$sock"
	servers_spawn "$log" "$dbgate" -F "$conf" serve
	SERVERS_GW_PID=$SERVERS_SPAWN_PID
	for ((i = 0; i < 100; i++)); do
		[ -S "$sock" ] && return 0
		if ! kill -0 "$SERVERS_GW_PID" 2>/dev/null; then
			servers_err "dbgate serve exited before creating $sock"
			servers_log_tail "$log"
			SERVERS_GW_PID=
			return 1
		fi
		sleep 0.1
	done
	servers_err "dbgate serve: no socket at $sock after 10 s"
	servers_log_tail "$log"
	return 1
}

# Stop the gateway started by servers_gateway_start (SIGTERM, then SIGKILL
# after 10 s).
servers_gateway_stop()
{
	local pid=${SERVERS_GW_PID:-}

	[ -n "$pid" ] || return 0
	SERVERS_GW_PID=
	kill -TERM "$pid" 2>/dev/null || return 0
	if ! servers_wait_gone "$pid" 10; then
		servers_err "dbgate serve (pid $pid) ignored SIGTERM; killing it"
		kill -KILL "$pid" 2>/dev/null || true
		servers_wait_gone "$pid" 5 || true
	fi
	return 0
}
