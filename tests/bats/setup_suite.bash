# tests/bats/setup_suite.bash: once per bats run, start a throwaway
# PostgreSQL and MariaDB (tests/lib/servers.sh) under one temp directory,
# create the OS test users, and export what the tests need; teardown_suite
# stops the servers and removes the directory.
#
# Run through `make check` (tests/bats/suite), which exports top_srcdir,
# top_builddir, DBGATE and TESTDATA; run by hand, `bats tests/bats` from the
# source tree finds a build in build/ (scripts/build) unless DBGATE is set.
#
# Exported for the tests: DBGATE, TESTDATA, DBG_SUITE_DIR (0755, holds every
# test's files), DBG_TEST_USERS ("yes" when dbgt-alice and dbgt-bob exist,
# i.e. when running as root), and the DBG_PG_* / DBG_MY_* variables and
# pg_sql / my_sql functions of servers.sh (functions re-sourced per file by
# helpers.bash).

setup_suite()
{
	local here u

	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
	: "${top_builddir:=$top_srcdir/build}"
	: "${DBGATE:=$top_builddir/src/dbgate}"
	: "${TESTDATA:=$top_srcdir/tests/data}"
	export top_srcdir top_builddir DBGATE TESTDATA

	if [ ! -f "$DBGATE" ] || [ ! -x "$DBGATE" ]; then
		echo "setup_suite: dbgate binary not found at '$DBGATE':" \
		    "build it first (scripts/build) or set DBGATE" >&2
		return 1
	fi
	for u in bats runuser; do
		command -v "$u" >/dev/null || {
			echo "setup_suite: $u missing (run scripts/deps)" >&2
			return 1
		}
	done

	# Nothing from the caller's environment may steer clients or servers.
	unset DBGATE_SOCKET DBGATE_CONFIG DBGATE_SSH DBGATE_GATEWAY
	unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD \
	    PGPASSFILE PGSERVICE PGSERVICEFILE PGSSLMODE PGOPTIONS
	unset MYSQL_HOST MYSQL_TCP_PORT MYSQL_UNIX_PORT MYSQL_PWD

	DBG_SUITE_DIR=$(mktemp -d /tmp/dbgate-bats.XXXXXX)
	chmod 0755 "$DBG_SUITE_DIR"
	export DBG_SUITE_DIR

	DBG_TEST_USERS=no
	if [ "$(id -u)" -eq 0 ]; then
		for u in dbgt-alice dbgt-bob; do
			if ! id "$u" >/dev/null 2>&1; then
				useradd -M -N -s /usr/sbin/nologin "$u" || {
					echo "setup_suite: useradd $u failed" >&2
					return 1
				}
			fi
		done
		DBG_TEST_USERS=yes
		# Test users (and the session's SessionUser) must reach the
		# binary; a build under /root is not reachable, so use a copy.
		if ! runuser -u dbgt-alice -- test -x "$DBGATE"; then
			mkdir -m 0755 "$DBG_SUITE_DIR/bin"
			cp "$DBGATE" "$DBG_SUITE_DIR/bin/dbgate"
			cp "$(dirname "$DBGATE")/dbgate-gateway" \
			    "$DBG_SUITE_DIR/bin/dbgate-gateway"
			chmod 0755 "$DBG_SUITE_DIR/bin/dbgate" \
			    "$DBG_SUITE_DIR/bin/dbgate-gateway"
			DBGATE=$DBG_SUITE_DIR/bin/dbgate
		fi
	fi
	export DBG_TEST_USERS

	# shellcheck source=../lib/servers.sh
	source "$top_srcdir/tests/lib/servers.sh"
	servers_start_all "$DBG_SUITE_DIR"
}

teardown_suite()
{
	local rc=0

	if [ -n "${DBG_SUITE_DIR:-}" ] && [ -d "$DBG_SUITE_DIR" ]; then
		if declare -F servers_stop_all >/dev/null; then
			servers_stop_all "$DBG_SUITE_DIR" || rc=1
		fi
		# Keep the directory (server logs) when a server would not stop.
		if [ "$rc" -eq 0 ]; then
			rm -rf "$DBG_SUITE_DIR"
		else
			echo "teardown_suite: left $DBG_SUITE_DIR for inspection" >&2
		fi
	fi
	return $rc
}
