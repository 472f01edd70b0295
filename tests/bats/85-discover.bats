#!/usr/bin/env bats
# dbgate discover on both real servers: Mask lines proposed for the seeded
# customers' sensitive columns and not for the others, evidence that never
# shows a seeded value, JSON output, nothing changed in the database, names
# that need quoting, and the errors (not an administrator, unknown target,
# no password, unreachable database).

load helpers
bats_require_minimum_version 1.5.0

setup() {
	gw_setup
	gw_vault_defaults
	PG_CLEANUP=
	MY_CLEANUP=
}

teardown() {
	if [ -n "${PG_CLEANUP:-}" ]; then
		pg_sql -q -c "$PG_CLEANUP" || true
	fi
	if [ -n "${MY_CLEANUP:-}" ]; then
		my_sql -e "$MY_CLEANUP" || true
	fi
	gw_teardown
}

# The sensitive seeded values of customers in a schema file, one a line:
# each email, ssn, phone and card as written, the digits of each ssn,
# phone and card, and the local part of each email.
seeded_values() {
	python3 - "$1" <<'PY'
import re, sys
row = re.compile(r"\s*\(\d+, '[^']*', '([^']*)', (NULL|'[^']*'), "
                 r"(NULL|'[^']*'), (NULL|'[^']*')\)[,;]")
for line in open(sys.argv[1], encoding="utf-8"):
    m = row.match(line)
    if not m:
        continue
    email = m.group(1)
    print(email)
    print(email.split("@")[0])
    for v in m.group(2, 3, 4):
        if v == "NULL":
            continue
        v = v.strip("'")
        print(v)
        print(re.sub(r"\D", "", v))
PY
}

# The number of seeded customers with a value in a column (2 email, 3 ssn,
# 4 phone, 5 card) in a schema file.
seeded_count() {
	python3 - "$1" "$2" <<'PY'
import re, sys
row = re.compile(r"\s*\(\d+, '[^']*', ('[^']*'), (NULL|'[^']*'), "
                 r"(NULL|'[^']*'), (NULL|'[^']*')\)[,;]")
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    m = row.match(line)
    if m and m.group(int(sys.argv[2]) - 1) != "NULL":
        n += 1
print(n)
PY
}

# Fail if any seeded value of schema file $2 is in file $1, raw or as
# digits only; there must be values to look for.
assert_no_seeded() {
	local file=$1 schema=$2 v n=0

	while IFS= read -r v; do
		n=$((n + 1))
		if grep -qF -- "$v" "$file"; then
			echo "seeded value $v is in $file:"
			cat "$file"
			return 1
		fi
	done < <(seeded_values "$schema")
	[ "$n" -ge 100 ] || { echo "only $n seeded values found"; return 1; }
}

# Fingerprints of the demo tables and of the catalog.
pg_state() {
	pg_sql -c "SELECT (SELECT count(*) FROM customers) || '/' ||
	    (SELECT md5(string_agg(c::text, ',' ORDER BY id)) FROM customers c) || '/' ||
	    (SELECT md5(string_agg(o::text, ',' ORDER BY id)) FROM orders o) || '/' ||
	    (SELECT count(*) FROM pg_class) || '/' ||
	    (SELECT n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_all_tables
	     WHERE relid = 'public.customers'::regclass)"
}

my_state() {
	my_sql -e "SELECT CONCAT((SELECT count(*) FROM customers), '/',
	    (SELECT md5(group_concat(CONCAT_WS(':', id, name, email, ssn,
	     IFNULL(phone, '-'), card) ORDER BY id)) FROM customers), '/',
	    (SELECT count(*) FROM orders), '/',
	    (SELECT count(*) FROM information_schema.TABLES))"
}

# Run discover as root with this test's config.
discover() {
	"$DBGATE" -F "$CONF" discover "$@"
}

@test "PostgreSQL: Mask lines for customers' email, ssn, phone and card, not for id or name" {
	run --separate-stderr discover pg
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$T/out"
	grep -qx '    Mask public.customers.email email' "$T/out"
	grep -qx '    Mask public.customers.ssn partial 4' "$T/out"
	grep -qx '    Mask public.customers.card partial 4' "$T/out"
	grep -qx '    Mask public.customers.phone redact' "$T/out"
	if grep -E 'Mask public\.customers\.(id|name) ' "$T/out"; then false; fi
	if grep -E 'Mask public\.orders\.' "$T/out"; then false; fi
	# Each line comes after a comment with its evidence.
	grep -B1 -x '    Mask public.customers.email email' "$T/out" |
	    head -1 | grep -q '^    # .*column name "email"'
	assert_no_seeded "$T/out" "$TESTDATA/demo-schema.sql"
	printf '%s\n' "$stderr" >"$T/err"
	assert_no_seeded "$T/err" "$TESTDATA/demo-schema.sql"
}

@test "PostgreSQL: the evidence counts detector matches and shows examples masked" {
	run --separate-stderr discover pg
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$T/out"
	n=$(seeded_count "$TESTDATA/demo-schema.sql" 2)
	[ "$n" -eq 20 ]
	grep -B1 -x '    Mask public.customers.email email' "$T/out" |
	    grep -q "# $n/$n sampled values look like email addresses"
	# The seeded SSNs are in the 9xx range, never issued, which the
	# detector rejects: the column name proposes this one.
	grep -B1 -x '    Mask public.customers.ssn partial 4' "$T/out" |
	    grep -q "# none of $n sampled values matched a detector; column name \"ssn\""
	grep -B1 -x '    Mask public.customers.card partial 4' "$T/out" |
	    grep -q "# $n/$n sampled values look like payment card numbers"
	# An example of each, masked.
	grep -B1 -x '    Mask public.customers.card partial 4' "$T/out" |
	    grep -q 'e\.g\. "'
	assert_no_seeded "$T/out" "$TESTDATA/demo-schema.sql"
}

@test "PostgreSQL: -o json has the entries, masked examples and no seeded value" {
	run --separate-stderr discover pg -o json
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$T/out.json"
	jq -e . "$T/out.json" >/dev/null
	assert_no_seeded "$T/out.json" "$TESTDATA/demo-schema.sql"
	jq -e '.format == "dbgate.discover.v1" and .target == "pg" and
	    .driver == "postgresql" and .sample_limit == 200' "$T/out.json"
	col() {
		jq -c --arg c "$1" '.proposals[] |
		    select(.schema == "public" and .table == "customers" and
		    .column == $c)' "$T/out.json"
	}
	[ "$(col email | jq -r '[.strategy, .name_hint, .type] | join(" ")')" = "email email text" ]
	[ "$(col ssn | jq -r '[.strategy, .keep] | join(" ")')" = "partial 4" ]
	[ "$(col card | jq -r '[.strategy, .keep] | join(" ")')" = "partial 4" ]
	[ "$(col phone | jq -r '.strategy')" = redact ]
	[ "$(col email | jq -r .line)" = "Mask public.customers.email email" ]
	[ -z "$(col id)" ]
	[ -z "$(col name)" ]
	[ "$(jq '[.proposals[] | select(.table == "customers")] | length' "$T/out.json")" -eq 4 ]
	# What the detectors found.
	n=$(seeded_count "$TESTDATA/demo-schema.sql" 2)
	[ "$(col email | jq -r '[.detector, .matches, .sampled] | join(" ")')" = "email $n $n" ]
	[ "$(col ssn | jq -r '[.detector, .matches, .sampled, .name_hint] | join(" ")')" = " 0 $n ssn" ]
	[ "$(col card | jq -r '[.detector, .matches, .sampled] | join(" ")')" = "card $n $n" ]
	[ "$(col phone | jq -r .sampled)" -eq "$(seeded_count "$TESTDATA/demo-schema.sql" 4)" ]
	# Examples are the detectors' masked text: no raw digits runs.
	col card | jq -e '.example | test("^[* -]*[0-9]{4}$")'
	col email | jq -e '.example | endswith("@example.com") and
	    (startswith("alice") | not)'
}

@test "PostgreSQL: values alone propose a column; a few matches in free text do not" {
	PG_CLEANUP='DROP TABLE IF EXISTS public.discover_values'
	pg_app 'CREATE TABLE public.discover_values (id int, tax_ref text,
	    body text, "creditCardNo" text, cardinality text)'
	pg_app "INSERT INTO public.discover_values VALUES
	    (1, '219-09-9999', 'call me back', 'n/a', 'high'),
	    (2, '123-45-6789', 'no answer', NULL, 'low'),
	    (3, '212-34-5678', 'write to zed.free@example.org instead', NULL, NULL),
	    (4, NULL, 'nothing', NULL, NULL)"
	run --separate-stderr discover pg
	[ "$status" -eq 0 ]
	# Words of a name count, not parts of words.
	grep -B1 -x '    Mask public.discover_values.creditCardNo partial 4' <<<"$output" |
	    grep -q 'none of 1 sampled values matched a detector; column name "creditCardNo" (suggests payment card numbers)'
	if grep 'cardinality' <<<"$output"; then false; fi
	grep -B1 -x '    Mask public.discover_values.tax_ref partial 4' <<<"$output" |
	    grep -q '# 3/3 sampled values look like US social security numbers; e\.g\. "\*\*\*-\*\*-[0-9]\{4\}"$'
	if grep 'Mask public\.discover_values\.\(body\|id\) ' <<<"$output"; then false; fi
	grep -q '^#   public\.discover_values\.body: 1/4 sampled values look like email addresses' <<<"$output"
	for v in 219-09-9999 219099999 123-45-6789 123456789 212-34-5678 212345678 zed.free; do
		[[ "$output$stderr" != *"$v"* ]] || { echo "leaked $v"; return 1; }
	done
	run --separate-stderr discover pg -o json
	[ "$status" -eq 0 ]
	[ "$(jq -r '.proposals[] | select(.table == "discover_values") | [.column, .detector, .matches, .sampled, .name_hint] | join(" ")' <<<"$output")" = $'tax_ref ssn 3 3 \ncreditCardNo  0 1 card' ]
	[ "$(jq -r '.other[] | select(.table == "discover_values") | [.column, .detectors.email, .sampled, .proposed] | join(" ")' <<<"$output")" = "body 1 4 false" ]
	jq -e '.other[] | select(.column == "body") | .example | contains("@example.org")' <<<"$output"
	[[ "$output" != *zed.free* ]]
}

@test "PostgreSQL: --sample bounds the rows read; bad options are refused" {
	run --separate-stderr discover pg -o json --sample 5
	[ "$status" -eq 0 ]
	[ "$(jq -r '.proposals[] | select(.table == "customers" and .column == "email") | .sampled' <<<"$output")" -eq 5 ]
	[ "$(jq -r .sample_limit <<<"$output")" -eq 5 ]
	run discover pg --sample 0
	[ "$status" -eq 2 ]
	[[ "$output" == *"--sample takes 1 to 10000 rows"* ]]
	run discover pg --sample 10001
	[ "$status" -eq 2 ]
	run discover pg -o csv
	[ "$status" -eq 2 ]
	[[ "$output" == *'discover writes text or json, not "csv"'* ]]
	run discover
	[ "$status" -eq 2 ]
	[[ "$output" == *"usage: dbgate discover TARGET"* ]]
}

@test "PostgreSQL: discover changes nothing" {
	before=$(pg_state)
	[ -n "$before" ]
	run discover pg
	[ "$status" -eq 0 ]
	run discover pg -o json --sample 10000
	[ "$status" -eq 0 ]
	sleep 0.6	# the statistics collector
	[ "$(pg_state)" = "$before" ]
}

@test "PostgreSQL: pasted into a Policy, the lines pass config check and mask" {
	run --separate-stderr discover pg
	[ "$status" -eq 0 ]
	grep '^    Mask ' <<<"$output" >"$T/masks"
	[ "$(grep -c 'public\.customers\.' "$T/masks")" -eq 4 ]
	gw_conf "Target pgd" "    Driver postgresql" \
	    "    Connect \"host=$DBG_PG_SOCKDIR port=$DBG_PG_PORT dbname=app user=app\"" \
	    "    AllowGroups engineers" "    Policy discovered" \
	    "Policy discovered"
	cat "$T/masks" >>"$T/conf.extra"
	gw_write_conf
	run "$DBGATE" -F "$CONF" config check
	[ "$status" -eq 0 ]
	gw_start
	run dbg exec pgd -c "SELECT id, name, email, ssn, phone, card FROM customers ORDER BY id"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$T/exec"
	assert_no_seeded "$T/exec" "$TESTDATA/demo-schema.sql"
	grep -q 'Alice Example' "$T/exec"
	grep -q '@example.com' "$T/exec"
}

@test "PostgreSQL: names that need quoting are sampled and proposed as valid config" {
	PG_CLEANUP='DROP SCHEMA IF EXISTS "odd ""schema""" CASCADE'
	pg_app 'CREATE SCHEMA "odd ""schema"""
	    CREATE TABLE "we""ird.tab" ("e mail" text, "note*[x]" text)'
	pg_app "INSERT INTO \"odd \"\"schema\"\"\".\"we\"\"ird.tab\"
	    VALUES ('zed.quoted@example.org', 'x')"
	run --separate-stderr discover pg -o json
	[ "$status" -eq 0 ]
	[[ "$stderr" != *"cannot sample"* ]]
	e=$(jq -c '.proposals[] | select(.column == "e mail")' <<<"$output")
	[ "$(jq -r .schema <<<"$e")" = 'odd "schema"' ]
	[ "$(jq -r .table <<<"$e")" = 'we"ird.tab' ]
	[ "$(jq -r .sampled <<<"$e")" -eq 1 ]
	[ "$(jq -r .line <<<"$e")" = 'Mask "odd \"schema\".we\"ird?tab.e mail" email' ]
	[[ "$output" != *zed.quoted* ]]
	# The line reads back as the same column.
	gw_conf "Policy discovered" "    $(jq -r .line <<<"$e")"
	run "$DBGATE" -F "$CONF" config check
	[ "$status" -eq 0 ]
	run "$DBGATE" -F "$CONF" config dump
	[[ "$output" == *'odd "schema"'* || "$output" == *'odd \"schema\"'* ]]
}

@test "PostgreSQL: a table discover cannot read is a warning, not a failure" {
	PG_CLEANUP='DROP TABLE IF EXISTS public.discover_locked'
	pg_sql -q -c "CREATE TABLE public.discover_locked (api_token text)" \
	    -c "INSERT INTO public.discover_locked VALUES ('AKIAIOSFODNN7EXAMPLE')"
	run --separate-stderr discover pg
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"cannot sample public.discover_locked: permission denied"* ]]
	grep -qx '    Mask public.discover_locked.api_token redact' <<<"$output"
	grep -B1 -x '    Mask public.discover_locked.api_token redact' <<<"$output" |
	    grep -q 'not sampled; column name "api_token"'
	[[ "$output$stderr" != *AKIAIOSFODNN7EXAMPLE* ]]
}

@test "MariaDB: Mask lines for customers' email, ssn, phone and card, not for id or name" {
	run --separate-stderr discover my
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$T/out"
	grep -qx '    Mask app.customers.email email' "$T/out"
	grep -qx '    Mask app.customers.ssn partial 4' "$T/out"
	grep -qx '    Mask app.customers.card partial 4' "$T/out"
	grep -qx '    Mask app.customers.phone redact' "$T/out"
	if grep -E 'Mask app\.customers\.(id|name) ' "$T/out"; then false; fi
	if grep -E 'Mask app\.orders\.' "$T/out"; then false; fi
	assert_no_seeded "$T/out" "$TESTDATA/demo-schema-mariadb.sql"
	printf '%s\n' "$stderr" >"$T/err"
	assert_no_seeded "$T/err" "$TESTDATA/demo-schema-mariadb.sql"
	# No system database is scanned.
	if grep -E 'Mask (mysql|sys|performance_schema|information_schema)\.' "$T/out"; then false; fi
}

@test "MariaDB: -o json has the entries and no seeded value" {
	run --separate-stderr discover my -o json
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$T/out.json"
	jq -e '.format == "dbgate.discover.v1" and .driver == "mariadb"' "$T/out.json"
	assert_no_seeded "$T/out.json" "$TESTDATA/demo-schema-mariadb.sql"
	col() {
		jq -c --arg c "$1" '.proposals[] |
		    select(.schema == "app" and .table == "customers" and
		    .column == $c)' "$T/out.json"
	}
	[ "$(col email | jq -r '[.strategy, .name_hint, .type] | join(" ")')" = "email email varchar(200)" ]
	[ "$(col ssn | jq -r '[.strategy, .keep] | join(" ")')" = "partial 4" ]
	[ "$(col card | jq -r .line)" = "Mask app.customers.card partial 4" ]
	[ "$(col phone | jq -r .strategy)" = redact ]
	[ -z "$(col id)" ]
	[ -z "$(col name)" ]
	n=$(seeded_count "$TESTDATA/demo-schema-mariadb.sql" 2)
	[ "$(col email | jq -r '[.detector, .matches, .sampled] | join(" ")')" = "email $n $n" ]
	[ "$(col card | jq -r '[.detector, .matches, .sampled] | join(" ")')" = "card $n $n" ]
	[ "$(col ssn | jq -r '[.detector, .matches, .sampled, .name_hint] | join(" ")')" = " 0 $n ssn" ]
}

@test "MariaDB: discover changes nothing; quoted names work" {
	MY_CLEANUP='DROP TABLE IF EXISTS `we``ird.tab`'
	my_sql -e 'CREATE TABLE `we``ird.tab` (`e mail` VARCHAR(100), n INT)'
	my_sql -e "INSERT INTO \`we\`\`ird.tab\` VALUES ('zed.quoted@example.org', 1)"
	before=$(my_state)
	[ -n "$before" ]
	run --separate-stderr discover my -o json --sample 10000
	[ "$status" -eq 0 ]
	[[ "$stderr" != *"cannot sample"* ]]
	e=$(jq -c '.proposals[] | select(.column == "e mail")' <<<"$output")
	[ "$(jq -r .table <<<"$e")" = 'we`ird.tab' ]
	[ "$(jq -r .sampled <<<"$e")" -eq 1 ]
	[ "$(jq -r .line <<<"$e")" = 'Mask "app.we`ird?tab.e mail" email' ]
	[[ "$output" != *zed.quoted* ]]
	[ "$(my_state)" = "$before" ]
}

@test "discover is an administrator's command" {
	need_test_users
	run runuser -u dbgt-alice -- "$DBGATE" -F "$CONF" discover pg
	[ "$status" -eq 5 ]
	[[ "$output" == *'"discover" is an administrator'* ]]
	[[ "$output" != *Mask* ]]
}

@test "discover: unknown target, no password, unreachable database" {
	run discover nosuch
	[ "$status" -eq 2 ]
	[[ "$output" == *'no Target "nosuch" in '"$CONF"' (targets: pg, my, pgpw)'* ]]
	# The password is gone from the vault: the server refuses the login.
	"$DBGATE" -F "$CONF" vault delete my
	run discover my
	[ "$status" -eq 6 ]
	[[ "$output" == *'cannot connect to target "my"'* ]]
	[[ "$output" == *'the vault holds no password for target "my"; store one with: dbgate vault set my'* ]]
	port=$(servers_free_port)
	gw_conf "Target down" "    Driver postgresql" \
	    "    Connect \"host=127.0.0.1 port=$port dbname=app user=app connect_timeout=3\"" \
	    "    AllowGroups engineers"
	run discover down
	[ "$status" -eq 6 ]
	[[ "$output" == *'cannot connect to target "down"'* ]]
}
