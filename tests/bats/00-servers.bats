#!/usr/bin/env bats
# Sanity checks of the throwaway servers setup_suite.bash started: they run,
# hold the demo data, and authenticate the way the gateway tests rely on.

load helpers

# Rows in tests/data/demo-schema*.sql: count them from the file itself.
schema_rows()
{
	awk -v t="$2" '
		/^INSERT INTO/ { on = ($3 == t) ; next }
		on && /^    \(/ { n++ }
		/;$/ { on = 0 }
		END { print n + 0 }' "$TESTDATA/$1"
}

@test "PostgreSQL is up and seeded with the demo schema" {
	want_c=$(schema_rows demo-schema.sql customers)
	want_o=$(schema_rows demo-schema.sql orders)
	[ "$want_c" -ge 15 ]
	[ "$want_o" -ge 40 ]
	run pg_sql -c 'SELECT count(*) FROM customers'
	[ "$status" -eq 0 ]
	[ "$output" = "$want_c" ]
	run pg_sql -c 'SELECT count(*) FROM orders'
	[ "$status" -eq 0 ]
	[ "$output" = "$want_o" ]
	run pg_sql -c "SELECT tableowner FROM pg_tables WHERE tablename = 'customers'"
	[ "$output" = app ]
}

@test "MariaDB is up and seeded with the demo schema" {
	want_c=$(schema_rows demo-schema-mariadb.sql customers)
	want_o=$(schema_rows demo-schema-mariadb.sql orders)
	[ "$want_c" -ge 15 ]
	[ "$want_o" -ge 40 ]
	run my_sql -e 'SELECT count(*) FROM customers'
	[ "$status" -eq 0 ]
	[ "$output" = "$want_c" ]
	run my_sql -e 'SELECT count(*) FROM orders'
	[ "$status" -eq 0 ]
	[ "$output" = "$want_o" ]
}

@test "both servers hold the same demo rows" {
	q='SELECT id, name, email, ssn, coalesce(phone, '\''-'\''), card FROM customers ORDER BY id'
	pg=$(pg_sql -F $'\t' -c "$q")
	my=$(my_sql -e "$q")
	[ -n "$pg" ]
	[ "$pg" = "$my" ]
	q='SELECT id, customer_id, amount, status FROM orders ORDER BY id'
	pg=$(pg_sql -F $'\t' -c "$q")
	my=$(my_sql -e "$q")
	[ -n "$pg" ]
	[ "$pg" = "$my" ]
	# Same instants: PostgreSQL's timestamptz in UTC, MariaDB's DATETIME.
	pg=$(pg_sql -c "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM orders ORDER BY id")
	my=$(my_sql -e 'SELECT created_at FROM orders ORDER BY id')
	[ "$pg" = "$my" ]
}

@test "demo data is fake by construction" {
	# Every card passes Luhn, SSNs are 9xx, e-mail is example.com,
	# phones are 555-01xx.
	luhn_ok()
	{
		local d=${1//[ -]/} sum=0 i n len=${#1}
		len=${#d}
		for ((i = 0; i < len; i++)); do
			n=${d:len-1-i:1}
			if ((i % 2)); then
				n=$((n * 2))
				((n > 9)) && n=$((n - 9))
			fi
			sum=$((sum + n))
		done
		((sum % 10 == 0))
	}
	# The checker itself must reject a wrong digit.
	if luhn_ok 4242424242424241; then false; fi
	luhn_ok 4242424242424242
	n=0
	while IFS=$'\t' read -r card ssn email phone; do
		luhn_ok "$card" || { echo "card $card fails Luhn"; false; }
		[[ $ssn =~ ^9[0-9]{2}-[0-9]{2}-[0-9]{4}$ ]] || { echo "ssn $ssn"; false; }
		[[ $email == *@example.com ]] || { echo "email $email"; false; }
		[[ $phone == - || $phone =~ ^\+1-555-01[0-9]{2}$ ]] || { echo "phone $phone"; false; }
		n=$((n + 1))
	done < <(pg_sql -F $'\t' -c "SELECT card, ssn, email, coalesce(phone, '-') FROM customers")
	[ "$n" -eq "$(schema_rows demo-schema.sql customers)" ]
}

@test "PostgreSQL: app_pw logs in over TCP with its password only" {
	[ -n "$DBG_PG_PASSWORD" ]
	run env PGPASSWORD="$DBG_PG_PASSWORD" "$DBG_PG_BINDIR/psql" -X -At -w \
	    -h 127.0.0.1 -p "$DBG_PG_PORT" -U app_pw -d app \
	    -c 'SELECT current_user, count(*) FROM customers'
	[ "$status" -eq 0 ]
	[ "$output" = "app_pw|$(schema_rows demo-schema.sql customers)" ]
	run env -u PGPASSWORD "$DBG_PG_BINDIR/psql" -X -At -w -h 127.0.0.1 \
	    -p "$DBG_PG_PORT" -U app_pw -d app -c 'SELECT 1'
	[ "$status" -ne 0 ]
	run env PGPASSWORD="not-$DBG_PG_PASSWORD" "$DBG_PG_BINDIR/psql" -X -At \
	    -w -h 127.0.0.1 -p "$DBG_PG_PORT" -U app_pw -d app -c 'SELECT 1'
	[ "$status" -ne 0 ]
	[[ $output == *"password authentication failed"* ]]
	# TCP is scram for every role; the socket stays trust.
	run pg_sql -c "SELECT DISTINCT auth_method FROM pg_hba_file_rules WHERE type = 'host'"
	[ "$output" = scram-sha-256 ]
	run pg_sql -c "SELECT rolpassword LIKE 'SCRAM-SHA-256\$%' FROM pg_authid WHERE rolname = 'app_pw'"
	[ "$output" = t ]
	run "$DBG_PG_BINDIR/psql" -X -At -w -h "$DBG_PG_SOCKDIR" -p "$DBG_PG_PORT" \
	    -U app -d app -c 'SELECT current_user'
	[ "$status" -eq 0 ]
	[ "$output" = app ]
}

@test "MariaDB: app needs its password, over the socket and TCP" {
	[ -n "$DBG_MY_PASSWORD" ]
	run mariadb --no-defaults -u app -p"$DBG_MY_PASSWORD" \
	    --socket="$DBG_MY_SOCKET" -N -B app -e 'SELECT current_user()'
	[ "$status" -eq 0 ]
	[ "$output" = "app@localhost" ]
	run mariadb --no-defaults -u app -p"$DBG_MY_PASSWORD" -h 127.0.0.1 \
	    -P "$DBG_MY_PORT" -N -B app -e 'SELECT count(*) FROM orders'
	[ "$status" -eq 0 ]
	[ "$output" = "$(schema_rows demo-schema-mariadb.sql orders)" ]
	run mariadb --no-defaults -u app --socket="$DBG_MY_SOCKET" -N -B app \
	    -e 'SELECT 1'
	[ "$status" -ne 0 ]
	[[ $output == *"Access denied"* ]]
	run mariadb --no-defaults -u app -p"x$DBG_MY_PASSWORD" \
	    --socket="$DBG_MY_SOCKET" -N -B app -e 'SELECT 1'
	[ "$status" -ne 0 ]
}

@test "OS test users exist and can reach the dbgate binary" {
	need_test_users
	for u in dbgt-alice dbgt-bob; do
		id "$u"
		runuser -u "$u" -- test -x "$DBGATE"
	done
	# The per-test directory is reachable by them, the state dir is not.
	gw_setup
	runuser -u dbgt-alice -- test -x "$T/run"
	if runuser -u dbgt-alice -- test -x "$STATE"; then false; fi
	[ "$(stat -c %a "$STATE")" = 700 ]
}
