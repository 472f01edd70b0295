#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
# Dynamic masking end to end on both real servers (issue 4): the seeded
# customers values must not leave the gateway in any recoverable form, by
# any query shape, into stdout, stderr, the StateDir or the log; what is not
# sensitive still comes through, correct; the strategies, detectors, Detect,
# Unmask and the JSON and table counts do what dbgate.conf(5) says.
#
# One gateway serves the whole file (setup_file), against a database of its
# own on each server (masktest, from tests/data/mask-pg.sql and
# mask-mariadb.sql), so the demo schema the other files use stays as it is.
#
# Query shapes come in tables, one shape a line, fields separated by tabs:
#
#	NAME	STATUS	CHECKS	SQL
#
# STATUS is the exit status wanted (0 runs masked, 1 database error, 3
# denied; "0|3" either).  CHECKS is "-" or space-separated tokens:
#	c=FLAGS   one letter per result column of the last result set:
#	          f  not masked ("masked": false in JSON) and equal, row by row,
#	             to what the database returns for the same SQL;
#	          t  masked ("masked": true) and, row by row, different from
#	             what the database returns wherever that is not NULL;
#	          d  different from the database's value (a value detector's
#	             work: the JSON flag is not checked); - not checked.
#	          The row count must equal the database's, and where a t or d
#	          column has a value that is not NULL, the JSON
#	          "masked_values" must be above 0.
#	-1        run with -1 (one transaction)
#	err=WORD  stderr holds WORD (an error or notice still says what failed)
#	out=WORD  stdout holds WORD
#	line=GLOB some line of the CSV output matches GLOB
#	stat      a denial that need not mention "masked" (statistics views)
#	sets=...  the value sets scanned for (default "mask note lookup")
# A set-returning function over a masked column (its row count tells the
# value's shape) and a trusted user function handed one (it may keep or
# send the value) are denied, not masked: masked-ref in dbgate.conf(5).
# Every shape runs twice, with -o csv and -o json (a denial only with
# json); both must give STATUS; a denial (3) must say "masked" on stderr; stdout and stderr of both runs,
# every file the run added or changed under StateDir and what it added to
# the gateway's log are scanned for the seeded values (mt_scan).  A failing
# shape is named with every reason; the other shapes of the test still run.

load helpers
bats_require_minimum_version 1.5.0

# psql into the masktest database (superuser), for the truth and fixtures.
mt_pg() {
	pg_sql -d masktest "$@"
}

# The mariadb client as root into masktest, batch mode, no escaping.
mt_my() {
	servers_my_client -N -B -r masktest "$@"
}

# Create masktest on both servers and load the fixtures.
mt_load_fixtures() {
	pg_sql -q -d postgres -c "SET client_min_messages = warning" \
	    -c "DROP DATABASE IF EXISTS masktest" \
	    -c "CREATE DATABASE masktest OWNER app" >/dev/null || return 1
	pg_sql -q -U app -d masktest -f "$TESTDATA/mask-pg.sql" >/dev/null ||
	    return 1
	servers_my_client -N -B >/dev/null <<-'EOF' || return 1
		DROP DATABASE IF EXISTS masktest;
		CREATE DATABASE masktest CHARACTER SET utf8mb4;
		GRANT ALL PRIVILEGES ON masktest.* TO 'app'@'localhost';
		GRANT SELECT ON mysql.column_stats TO 'app'@'localhost';
	EOF
	mt_my <"$TESTDATA/mask-mariadb.sql" >/dev/null
}

# The four Mask lines of a table with the customers columns.
mt_mask_lines() {
	printf '    Mask %s.%s\n' "$1" "email email" "$1" "ssn partial 4" \
	    "$1" "phone redact" "$1" "card partial 4"
}

# Targets and policies: mpg/mmy mask customers (and on PostgreSQL the
# partitioned accounts and the inheritance parent legacy) with detectors on;
# *nd the same with Detect none; *un with Unmask customers.notes; mpgdc
# detects only cards and SSNs; *hash use the hash and null strategies; bpg
# and bmy have no Policy (builtin, detectors on).
mt_config() {
	local pgc="host=$DBG_PG_SOCKDIR port=$DBG_PG_PORT dbname=masktest user=app"
	local myc="socket=$DBG_MY_SOCKET dbname=masktest user=app"
	local t drv conn pol

	{
		for t in mpg:maskpg mpgnd:maskpg_nd mpgun:maskpg_un \
		    mpgdc:maskpg_dc mpghash:maskpg_hash bpg: \
		    mmy:maskmy mmynd:maskmy_nd mmyun:maskmy_un \
		    mmyhash:maskmy_hash bmy:; do
			case $t in
			*pg*) drv=postgresql conn=$pgc ;;
			*) drv=mariadb conn=$myc ;;
			esac
			pol=${t#*:}
			printf 'Target %s\n    Driver %s\n    Connect "%s"\n' \
			    "${t%%:*}" "$drv" "$conn"
			printf '    AllowGroups engineers\n'
			[ -z "$pol" ] || printf '    Policy %s\n' "$pol"
		done
		for pol in maskpg maskpg_nd maskpg_un maskpg_dc; do
			printf 'Policy %s\n' "$pol"
			printf '    Allow function:get_email function:noisy function:loud\n'
			# Schema forms: none, exact, glob.
			printf '    Mask customers.email email\n'
			printf '    Mask public.customers.ssn partial 4\n'
			printf '    Mask *.customers.phone redact\n'
			printf '    Mask customers.card partial 4\n'
			mt_mask_lines accounts
			mt_mask_lines legacy
			case $pol in
			*_nd) printf '    Detect none\n' ;;
			*_un) printf '    Unmask customers.notes\n' ;;
			*_dc) printf '    Detect card ssn\n' ;;
			esac
		done
		for pol in maskmy maskmy_nd maskmy_un; do
			printf 'Policy %s\n' "$pol"
			printf '    Allow function:get_email\n'
			printf '    Mask customers.email email\n'
			printf '    Mask masktest.customers.ssn partial 4\n'
			printf '    Mask *.customers.phone redact\n'
			printf '    Mask customers.card partial 4\n'
			case $pol in
			*_nd) printf '    Detect none\n' ;;
			*_un) printf '    Unmask customers.notes\n' ;;
			esac
		done
		for pol in maskpg_hash maskmy_hash; do
			printf 'Policy %s\n' "$pol"
			printf '    Mask customers.ssn hash\n'
			printf '    Mask customers.phone null\n'
			printf '    Mask customers.email redact\n'
			printf '    Mask customers.card partial 4\n'
		done
	} >>"$T/conf.extra"
	gw_write_conf
}

# Add FORM (described as DESC) to the pattern file $MT/SET.KIND (i: case
# insensitive, s: case sensitive, f: fragments, stdout and stderr only).
mt_form() {
	printf '%s\n' "$3" >>"$MT/$1.$2"
	printf '%s\t%s\n' "$(printf '%s' "$3" | tr '[:upper:]' '[:lower:]')" \
	    "$4" >>"$MT/$1.desc"
}

# The base64 forms of VALUE: exact, and the parts that any base64 encoding
# of a text containing VALUE holds, whatever its alignment.
mt_b64_forms() {
	local v=$1 k p enc len skip keep

	printf '%s\n' "$(printf '%s' "$v" | base64 -w0)"
	for k in 0 1 2; do
		p=$(printf '%*s' "$k" '' | tr ' ' '#')
		enc=$(printf '%s%s' "$p" "$v" | base64 -w0)
		enc=${enc%%=*}
		# shellcheck disable=SC2017 # whole groups of three bytes
		len=$(((k + ${#v}) / 3 * 4))
		skip=$((k > 0 ? 4 : 0))
		keep=$((len - skip))
		[ "$keep" -ge 8 ] && printf '%s\n' "${enc:skip:keep}"
	done
}

# Every recoverable form of VALUE (named NAME) for pattern set SET.
mt_forms_of() {
	local set=$1 name=$2 v=$3 w label b

	for w in "$v" "$(printf '%s' "$v" | tr -cd '0-9')"; do
		label="$name $v"
		if [ "$w" != "$v" ]; then
			[ "${#w}" -ge 7 ] || continue
			label="$name $v (digits only)"
		fi
		mt_form "$set" i "$w" "$label"
		mt_form "$set" i "$(printf '%s' "$w" | rev)" "$label reversed"
		mt_form "$set" i "$(printf '%s' "$w" | xxd -p | tr -d '\n')" \
		    "$label as hex"
		mt_form "$set" i "$(printf '%s' "$w" | md5sum | cut -d' ' -f1)" \
		    "$label as md5"
		mt_form "$set" i \
		    "$(printf '%s' "$w" | b2sum -l 128 | cut -d' ' -f1)" \
		    "$label as unkeyed blake2b-128"
		while IFS= read -r b; do
			mt_form "$set" s "$b" "$label as base64"
		done < <(mt_b64_forms "$w")
	done
}

# The parts of VALUE a mask must hide: an e-mail's local part; otherwise
# everything before the last four characters (they may show), with and
# without the separators.
mt_fragments_of() {
	local set=$1 name=$2 v=$3 d h

	if [[ $v == *@* ]]; then
		mt_form "$set" f "${v%%@*}" "$name $v: its local part"
		return
	fi
	d=$(printf '%s' "$v" | tr -cd '0-9')
	[ "${#d}" -ge 9 ] && mt_form "$set" f "${d:0:${#d}-4}" \
	    "$name $v: its hidden digits"
	h=${v:0:${#v}-4}
	h=${h%%[^[:alnum:]]}
	h=${h%%[^[:alnum:]]}
	[ "${#h}" -ge 6 ] && mt_form "$set" f "$h" "$name $v: its hidden part"
	return 0
}

# Read the seeded values back from the databases (both must agree) and
# write the pattern sets: mask (the masked customers columns), lookup (the
# e-mail the lookup tests type themselves), note (what the detectors must
# find in customers.notes and detector_samples).
mt_build_forms() {
	local pgv myv col id kind v

	MT=$T/mask
	mkdir -p "$MT"
	: >"$MT/mask.i"; : >"$MT/mask.s"; : >"$MT/mask.f"
	: >"$MT/note.i"; : >"$MT/note.s"; : >"$MT/note.f"
	: >"$MT/lookup.i"; : >"$MT/lookup.s"; : >"$MT/lookup.f"
	: >"$MT/mask.desc"; : >"$MT/note.desc"; : >"$MT/lookup.desc"
	pgv=$(mt_pg -F '|' -c "SELECT id, name, email, ssn, phone, card FROM customers ORDER BY id")
	myv=$(mt_my -e "SELECT id, name, email, ssn, phone, card FROM customers ORDER BY id" | tr '\t' '|')
	if [ -z "$pgv" ] || [ "$pgv" != "$myv" ]; then
		echo "the fixtures differ between the servers:" >&2
		printf 'pg:\n%s\nmariadb:\n%s\n' "$pgv" "$myv" >&2
		return 1
	fi
	MT_LOOKUP=$(mt_pg -c "SELECT email FROM customers WHERE name = 'dora'")
	MT_NROWS=$(mt_pg -c "SELECT count(*) FROM customers")
	for col in email ssn phone card; do
		while IFS='|' read -r id v; do
			if [ "$v" = "$MT_LOOKUP" ]; then
				mt_forms_of lookup "customers.$col" "$v"
				mt_fragments_of lookup "customers.$col" "$v"
				continue
			fi
			mt_forms_of mask "customers.$col" "$v"
			mt_fragments_of mask "customers.$col" "$v"
		done < <(mt_pg -F '|' -c "SELECT id, $col FROM customers ORDER BY id")
	done
	while IFS='|' read -r kind v; do
		# Each sample is in some notes cell, on both servers.
		[ "$(printf '%s\n' "SELECT count(*) FROM customers WHERE strpos(notes, :'s') > 0;" | mt_pg -v "s=$v")" -ge 1 ] || {
			echo "detector sample '$v' is in no PostgreSQL notes cell" >&2
			return 1
		}
		[ "$(mt_my -e "SELECT count(*) FROM customers WHERE LOCATE($(servers_my_quote "$v"), notes) > 0")" -ge 1 ] || {
			echo "detector sample '$v' is in no MariaDB notes cell" >&2
			return 1
		}
		mt_forms_of note "detector sample ($kind)" "$v"
	done < <(mt_pg -F '|' -c "SELECT kind, sample FROM detector_samples WHERE kind NOT LIKE 'near-%' ORDER BY id")
	cat "$MT/mask.desc" "$MT/note.desc" "$MT/lookup.desc" >"$MT/all.desc"
	export MT MT_LOOKUP MT_NROWS
}

setup_file() {
	rm -f /tmp/dbgate-mask-leak
	mt_load_fixtures
	gw_setup
	mt_config
	gw_vault_defaults
	for t in mmy mmynd mmyun mmyhash bmy; do
		gw_vault_set "$t" "$DBG_MY_PASSWORD"
	done
	mt_build_forms
	gw_start
	export GW_PID
}

teardown_file() {
	if [ -n "${GW_PID:-}" ] && kill -0 "$GW_PID" 2>/dev/null; then
		gw_stop || true
	fi
	pg_sql -q -d postgres -c "DROP DATABASE IF EXISTS masktest" || true
	servers_my_client -e "DROP DATABASE IF EXISTS masktest" || true
	servers_my_client -e "REVOKE SELECT ON mysql.column_stats FROM 'app'@'localhost'" || true
}

setup() {
	MT_FAILS=()
	MT_COUNT=0
}

# The pattern file of KIND (i, s or f) for the value sets SETS.
mt_patterns() {
	local f=$MT/p.${1// /+}.$2 s

	if [ ! -e "$f" ]; then
		for s in $1; do
			cat "$MT/$s.$2"
		done >"$f"
	fi
	printf '%s' "$f"
}

# mt_scan SETS PATH... [-- PATH...]: print "PATH<TAB>what was found" for
# every form of a value of SETS ("mask note lookup") found in a PATH
# (directories recursively, binary files too), and for the PATHs before
# "--" (what the client saw) the hidden parts too; fail if anything was
# found.
mt_scan() {
	local sets=$1 seen=
	local -a client=() all=()

	shift
	while [ $# -gt 0 ]; do
		if [ "$1" = -- ]; then
			seen=1
		else
			[ -n "$seen" ] || client+=("$1")
			all+=("$1")
		fi
		shift
	done
	[ "${#all[@]}" -gt 0 ] || return 0
	{
		grep -r -s -a -H -o -i -F -f "$(mt_patterns "$sets" i)" -- "${all[@]}"
		grep -r -s -a -H -o -F -f "$(mt_patterns "$sets" s)" -- "${all[@]}"
		if [ "${#client[@]}" -gt 0 ]; then
			grep -r -s -a -H -o -i -F -f "$(mt_patterns "$sets" f)" -- "${client[@]}"
		fi
	} | awk -F '\t' '
		NR == FNR { d[$1] = $2; next }
		{
			i = index($0, ":")
			m = tolower(substr($0, i + 1))
			k = substr($0, 1, i - 1) "\t" (m in d ? d[m] : m)
			if (!(k in seen)) { seen[k] = 1; print k; n++ }
		}
		END { exit n > 0 }' "$MT/all.desc" -
}

# One line about what mt_scan found (HITS): how many forms, of which values,
# and where.
mt_leak_summary() {
	awk -F '\t' -v mt="$MT/" -v st="$STATE/" '
		function where(p) {
			if (p == mt "out.csv") return "stdout (csv)"
			if (p == mt "out.json") return "stdout (json)"
			if (p == mt "err.csv") return "stderr (csv)"
			if (p == mt "err.json") return "stderr (json)"
			if (p == mt "log.slice") return "the gateway log"
			if (index(p, st) == 1) {
				p = substr(p, length(st) + 1)
				sub(/[^\/]*\//, "", p) ; sub(/.*\//, "", p)
				sub(/^[^.]*/, "*", p)
				return "StateDir " p
			}
			return p
		}
		{
			w = where($1)
			if (!(w in ws)) { ws[w] = 1; wl = wl (wl ? ", " : "") w }
			if (!($2 in vs)) {
				vs[$2] = 1; nv++
				if (nv <= 3) vl = vl (vl ? "; " : "") $2
			}
		}
		END {
			printf "value leaked: %d form(s): %s%s; in %s\n", nv, vl,
			    (nv > 3 ? "; ..." : ""), wl
		}'
}

# Count a check that is not a shape (the database after the writes).
mt_counted() {
	MT_COUNT=$((MT_COUNT + 1))
}

# Record a failure of shape NAME (one line).
mt_fail() {
	MT_FAILS+=("$1: ${2//$'\n'/ | }")
}

# Fail the test if any shape (or check) failed, naming each.
mt_report() {
	local f
	local -A names=()

	if [ "${#MT_FAILS[@]}" -eq 0 ]; then
		return 0
	fi
	for f in "${MT_FAILS[@]}"; do
		printf '%s\n' "$f"
		names[${f%%: *}]=1
	done
	if [ "$MT_COUNT" -gt 0 ]; then
		printf 'failed: %s (%d of the %d shapes of this test)\n' \
		    "$(printf '%s\n' "${!names[@]}" | sort | tr '\n' ' ')" \
		    "$(printf '%s\n' "${!names[@]}" | grep -c .)" "$MT_COUNT"
	fi
	return 1
}

# What the database itself returns for SQL on DIALECT: rows separated by
# \x1e, cells by \x1f, NULL as "" (pg) or "NULL" (my).
mt_truth() {
	local out

	if [ "$1" = pg ]; then
		out=$(mt_pg -F $'\x1f' -R $'\x1e' -c "$2" 2>/dev/null) || return 1
	else
		out=$(mt_my -e "$2" 2>/dev/null | tr '\t\n' '\037\036') ||
		    return 1
		out=${out%$'\x1e'}
	fi
	printf '%s' "$out"
}

# Compare the JSON output of shape NAME with FLAGS and the database's rows
# (one jq run: the JSON flags, masked_values, the row count, then each
# column against the database, row by row).
mt_check_json() {
	local name=$1 dialect=$2 flags=$3 json=$4 sql=$5 nullrep='""' msg

	[ "$dialect" = my ] && nullrep='"NULL"'
	if ! mt_truth "$dialect" "$sql" >"$MT/truth"; then
		mt_fail "$name" "the database itself refused the SQL (fixture?)"
		return 1
	fi
	while IFS= read -r msg; do
		[ -z "$msg" ] || mt_fail "$name" "$msg"
	done < <(jq -r --arg flags "$flags" --argjson nul "$nullrep" \
	    --rawfile truth "$MT/truth" '
	    def cell: if . == null then $nul elif type == "string" then .
	      else tojson end;
	    ($flags | split("")) as $want |
	    ([.statements[] | select(.columns)] | last) as $s |
	    if $s == null then "no result set in the JSON output" else
	    ($s.columns | map(if .masked == true then "t" elif .masked == false
	      then "f" else "?" end)) as $got |
	    ([.statements[].masked_values // 0] | add) as $mv |
	    ($s.rows | map(map(cell))) as $rows |
	    (if $truth == "" then [] else $truth | split("\u001e") |
	      map(split("\u001f")) end) as $db |
	    if ($got | length) != ($want | length) then
	      "\($got | length) result columns, the shape expects " +
	      "\($want | length) (\($flags))"
	    else
	      ([range($want | length) | select($want[.] == "t" and
	        $got[.] != "t") | . + 1]) as $unflagged |
	      ([range($want | length) | select($want[.] == "f" and
	        $got[.] != "f") | . + 1]) as $flagged |
	      (if ($unflagged | length) > 0 then "not flagged masked in " +
	        "JSON: column(s) \($unflagged) (flags \($got | join("")), " +
	        "want \($flags))" else empty end),
	      (if ($flagged | length) > 0 then "flagged masked in JSON, " +
	        "should not be: column(s) \($flagged) (flags " +
	        "\($got | join("")), want \($flags))" else empty end),
	      (if ([range($want | length) as $j | select($want[$j] == "t" or
	        $want[$j] == "d") | $db[][$j] | select(. != "" and . != "NULL")]
	        | length) > 0 and (($mv | type) != "number" or $mv <= 0)
	        then "JSON masked_values is \($mv), want > 0" else empty end),
	      (if ($rows | length) != ($db | length) then
	        "\($rows | length) rows through dbgate, \($db | length) " +
	        "in the database"
	      else
	        range($want | length) as $j |
	        [range($db | length) as $i | select(
	          ($want[$j] == "f" and $rows[$i][$j] != $db[$i][$j]) or
	          (($want[$j] == "t" or $want[$j] == "d") and
	           $db[$i][$j] != "" and $db[$i][$j] != "NULL" and
	           $rows[$i][$j] == $db[$i][$j])) | $i] as $bad |
	        if ($bad | length) == 0 then empty
	        elif $want[$j] == "f" then "column \($j + 1) differs from " +
	          "the database in \($bad | length) of \($db | length) rows " +
	          "(row \($bad[0] + 1): \($rows[$bad[0]][$j] | tojson), " +
	          "the database \($db[$bad[0]][$j] | tojson))"
	        else "column \($j + 1) not masked in \($bad | length) of " +
	          "\($db | length) rows" end
	      end)
	    end end' "$json" 2>&1)
}

# Run one shape: mt_shape TARGET DIALECT NAME STATUS CHECKS SQL.
mt_shape() {
	local target=$1 dialect=$2 name=$3 want=$4 checks=$5 sql=$6
	local flags='' stat='' sets="mask note lookup" tok fmt fmts st out err
	local logoff mark l hit
	local -a opts=() errs=() outs=() globs=() newfiles lines

	MT_COUNT=$((MT_COUNT + 1))
	for tok in $checks; do
		case $tok in
		-) ;;
		c=*) flags=${tok#c=} ;;
		-1) opts+=(-1) ;;
		err=*) errs+=("${tok#err=}") ;;
		out=*) outs+=("${tok#out=}") ;;
		line=*) globs+=("${tok#line=}") ;;
		stat) stat=1 ;;
		sets=*) sets=${tok#sets=}; sets=${sets//,/ } ;;
		*) mt_fail "$name" "bad check token '$tok' (test bug)"; return 1 ;;
		esac
	done
	mark=$MT/mark
	touch "$mark"
	logoff=$(stat -c %s "$T/gateway.log")
	# A denial is the same in every format: one run will do.
	: >"$MT/out.csv"
	: >"$MT/err.csv"
	fmts="csv json"
	[ "$want" != 3 ] || fmts=json
	for fmt in $fmts; do
		out=$MT/out.$fmt
		err=$MT/err.$fmt
		"$DBGATE" --socket "$SOCK" exec "$target" "${opts[@]}" \
		    -o "$fmt" -c "$sql" >"$out" 2>"$err"
		st=$?
		if [[ "|$want|" != *"|$st|"* ]]; then
			mt_fail "$name" "-o $fmt: exit status $st, want $want; stderr: $(head -c 300 "$err" | tr '\n' ' ')"
		fi
		if [ "$st" -eq 3 ] && [ -z "$stat" ] &&
		    ! grep -qi masked "$err"; then
			mt_fail "$name" "-o $fmt: the denial does not mention the masked column: $(head -c 300 "$err" | tr '\n' ' ')"
		fi
		for tok in "${errs[@]}"; do
			grep -qiF -- "$tok" "$err" ||
			    mt_fail "$name" "-o $fmt: stderr lacks '$tok': $(head -c 300 "$err" | tr '\n' ' ')"
		done
	done
	for tok in "${outs[@]}"; do
		grep -qF -- "$tok" "$MT/out.csv" ||
		    mt_fail "$name" "stdout lacks '$tok'"
	done
	mapfile -t lines <"$MT/out.csv"
	for tok in "${globs[@]}"; do
		hit=
		for l in "${lines[@]}"; do
			# shellcheck disable=SC2053
			[[ $l == $tok ]] && { hit=1; break; }
		done
		[ -n "$hit" ] || mt_fail "$name" "no CSV line matches '$tok'"
	done
	# Both runs' output, what they left in the StateDir and the log.
	mapfile -t newfiles < <(find "$STATE" -type f -newer "$mark")
	tail -c +"$((logoff + 1))" "$T/gateway.log" >"$MT/log.slice"
	if ! mt_scan "$sets" "$MT/out.csv" "$MT/err.csv" "$MT/out.json" \
	    "$MT/err.json" -- "${newfiles[@]}" "$MT/log.slice" >"$MT/hits"; then
		mt_fail "$name" "$(mt_leak_summary <"$MT/hits")"
	fi
	if [ -n "$flags" ] && [ "$st" -eq 0 ]; then
		mt_check_json "$name" "$dialect" "$flags" "$MT/out.json" "$sql"
	fi
	return 0
}
# Run the shapes on stdin (NAME, STATUS, CHECKS, SQL; tab-separated) on
# TARGET of DIALECT.
mt_shapes() {
	local target=$1 dialect=$2 name want checks sql

	while IFS=$'\t' read -r name want checks sql; do
		[ -n "$name" ] || continue
		[[ $name == \#* ]] && continue
		mt_shape "$target" "$dialect" "$name" "$want" "$checks" "$sql" ||
		    true
	done
}

# "partial N" as documented: the last N letters and digits stay (never more
# than half of them), every other letter or digit becomes *, separators stay.
mt_partial() {
	local v=$1 n=$2 total keep i c out='' seen=0

	total=$(printf '%s' "$v" | tr -cd '[:alnum:]' | wc -c)
	keep=$n
	[ $((keep * 2)) -le "$total" ] || keep=$((total / 2))
	for ((i = ${#v} - 1; i >= 0; i--)); do
		c=${v:i:1}
		if [[ $c == [[:alnum:]] ]]; then
			if [ "$seen" -lt "$keep" ]; then
				out=$c$out
			else
				out="*$out"
			fi
			seen=$((seen + 1))
		else
			out=$c$out
		fi
	done
	printf '%s' "$out"
}

# ---------------------------------------------------------------------------
# PostgreSQL shapes (target mpg)

@test "PostgreSQL: columns by origin: aliases, views, partitions, inheritance, the function" {
	mt_shapes mpg pg <<-'EOF'
		plain	0	c=fftttt	SELECT id, name, email, ssn, phone, card FROM customers ORDER BY id
		alias-swap	0	c=fft	SELECT id, name AS ssn, ssn AS name FROM customers ORDER BY id
		alias-quoted	0	c=fft	SELECT c.id AS "ID", c.name AS "Name", c.email AS "x" FROM public.customers AS c ORDER BY 1
		star	0	c=ffttttd	SELECT * FROM customers ORDER BY id
		table-statement	0	c=ffttttd	TABLE customers
		only	0	c=fft	SELECT id, name, ssn FROM ONLY customers ORDER BY id
		view	0	c=fftttt	SELECT id, name, email, ssn, phone, card FROM customer_contacts ORDER BY id
		view-star-alias	0	c=fftttt	SELECT v.* FROM customer_contacts v ORDER BY v.id
		materialized-view	0	c=fftt	SELECT id, name, email, ssn FROM customer_mv ORDER BY id
		partitioned-parent	0	c=fftt	SELECT id, name, ssn, card FROM accounts ORDER BY id
		partition	0	c=fftttt	SELECT id, name, email, ssn, phone, card FROM accounts_p1 ORDER BY id
		inheritance-child	0	c=fftttt	SELECT id, name, email, ssn, phone, card FROM legacy_child ORDER BY id
		inheritance-parent	0	c=fft	SELECT id, name, ssn FROM legacy ORDER BY id
		function-call	0	c=d	SELECT get_email(1) AS e
		function-per-row	0	c=ffd	SELECT id, name, get_email(id) AS e FROM customers ORDER BY id
		function-in-from	0	c=d	SELECT * FROM get_email(2) AS e
		where-id	0	c=fft	SELECT id, name, ssn FROM customers WHERE id = 2
	EOF
	mt_report
}

@test "PostgreSQL: functions, casts, CASE, COALESCE and arrays are masked whole" {
	mt_shapes mpg pg <<-'EOF'
		upper	0	c=fft	SELECT id, name, upper(email) AS u FROM customers ORDER BY id
		reverse	0	c=fft	SELECT id, name, reverse(ssn) AS r FROM customers ORDER BY id
		substr	0	c=fft	SELECT id, name, substr(ssn, 1, 6) AS s FROM customers ORDER BY id
		digits-only	0	c=fft	SELECT id, name, translate(ssn, '-', '') AS d FROM customers ORDER BY id
		digits-to-letters	0	c=fft	SELECT id, name, translate(card, '0123456789', 'abcdefghij') AS l FROM customers ORDER BY id
		concat-operator	0	c=fftt	SELECT id, name, ssn || '' AS s, '' || phone AS p FROM customers ORDER BY id
		format	0	c=fft	SELECT id, name, format('%s/%s', ssn, card) AS f FROM customers ORDER BY id
		hex	0	c=fft	SELECT id, name, encode(convert_to(ssn, 'UTF8'), 'hex') AS h FROM customers ORDER BY id
		base64	0	c=fft	SELECT id, name, encode(convert_to(card, 'UTF8'), 'base64') AS b FROM customers ORDER BY id
		md5	0	c=fft	SELECT id, name, md5(ssn) AS m FROM customers ORDER BY id
		ascii-and-length	0	c=fftt	SELECT id, name, ascii(ssn) AS a, length(email) AS l FROM customers ORDER BY id
		casts	0	c=fftt	SELECT id, name, ssn::varchar(20) AS s, CAST(card AS char(30)) AS c FROM customers ORDER BY id
		cast-to-int	0	c=fft	SELECT id, name, translate(ssn, '-', '')::int AS n FROM customers ORDER BY id
		case-result	0	c=fft	SELECT id, name, CASE WHEN id > 0 THEN ssn ELSE 'none' END AS s FROM customers ORDER BY id
		coalesce-nullif-greatest	0	c=ffttt	SELECT id, name, COALESCE(NULL, phone) AS p, NULLIF(card, '') AS c, GREATEST(ssn, '0') AS g FROM customers ORDER BY id
		array	0	c=fftt	SELECT id, name, ARRAY[ssn, email] AS a, (ARRAY[card])[1] AS c FROM customers ORDER BY id
		string-to-array	0	c=fft	SELECT id, name, string_to_array(ssn, '-') AS parts FROM customers ORDER BY id
		one-char-per-row	3	-	SELECT id, name, regexp_split_to_table(ssn, '') AS ch FROM customers ORDER BY id
		unnest	3	-	SELECT id, name, unnest(ARRAY[email, phone]) AS v FROM customers ORDER BY id
		lateral	0	c=fft	SELECT c.id, c.name, l.x FROM customers c CROSS JOIN LATERAL (SELECT c.ssn AS x) l ORDER BY c.id
		values	0	c=t	VALUES ((SELECT ssn FROM customers WHERE id = 1))
		xml	0	c=fft	SELECT id, name, xmlelement(name x, card) AS x FROM customers ORDER BY id
	EOF
	mt_report
}

@test "PostgreSQL: whole rows, JSON and aggregates are masked whole" {
	mt_shapes mpg pg <<-'EOF'
		whole-row	0	c=fft	SELECT c.id, c.name, c FROM customers c ORDER BY c.id
		whole-row-text	0	c=fft	SELECT c.id, c.name, c::text AS t FROM customers c ORDER BY c.id
		row_to_json	0	c=fft	SELECT c.id, c.name, row_to_json(c) AS j FROM customers c ORDER BY c.id
		to_jsonb-minus-ssn	0	c=fft	SELECT c.id, c.name, to_jsonb(c) - 'ssn' AS j FROM customers c ORDER BY c.id
		jsonb-field	0	c=fft	SELECT c.id, c.name, to_jsonb(c) ->> 'ssn' AS s FROM customers c ORDER BY c.id
		jsonb_each_text	3	-	SELECT c.id, c.name, e.key, e.value FROM customers c, jsonb_each_text(to_jsonb(c)) e ORDER BY c.id
		record-field	0	c=--t	SELECT (s.c).id, (s.c).name, (s.c).ssn FROM (SELECT c FROM customers c) s
		json_build_object	0	c=fft	SELECT id, name, json_build_object('s', ssn, 'e', email) AS j FROM customers ORDER BY id
		json_agg	0	c=t	SELECT json_agg(c) AS j FROM customers c
		string_agg	0	c=ft	SELECT string_agg(name, ',' ORDER BY id) AS names, string_agg(ssn, ',') AS s FROM customers
		array_agg	0	c=tt	SELECT array_agg(email) AS e, (array_agg(card))[1] AS c FROM customers
		jsonb_object_agg	0	c=t	SELECT jsonb_object_agg(name, ssn) AS o FROM customers
		min-max	0	c=tt	SELECT min(ssn) AS lo, max(card) AS hi FROM customers
		count-distinct	0	c=t	SELECT count(DISTINCT ssn) AS n FROM customers
	EOF
	mt_report
}

@test "PostgreSQL: windows, UNION, subqueries, derived tables and CTEs" {
	mt_shapes mpg pg <<-'EOF'
		window-functions	0	c=fftt	SELECT id, name, first_value(ssn) OVER (ORDER BY id) AS f, lag(email) OVER (ORDER BY id) AS l FROM customers ORDER BY id
		union-all	0	c=ffft	SELECT id, name, 1 AS k, ssn AS v FROM customers UNION ALL SELECT id, name, 2, email FROM customers ORDER BY id, k
		union-name-and-ssn	0	c=t	SELECT name AS v FROM customers UNION ALL SELECT ssn FROM customers
		union-distinct	0	c=t	SELECT ssn FROM customers UNION SELECT card FROM customers
		scalar-subquery	0	c=fft	SELECT c.id, c.name, (SELECT c2.ssn FROM customers c2 WHERE c2.id = c.id) AS s FROM customers c ORDER BY c.id
		derived-table	0	c=fft	SELECT id, name, x FROM (SELECT id, name, email AS x FROM customers) d ORDER BY id
		cte	0	c=fft	WITH t AS (SELECT id, name, card AS x FROM customers) SELECT id, name, x FROM t ORDER BY id
		cte-materialized	0	c=fft	WITH t AS MATERIALIZED (SELECT id, name, phone FROM customers) SELECT * FROM t ORDER BY id
		recursive-cte	0	c=ft	WITH RECURSIVE r(n, s) AS (SELECT 1, ssn FROM customers WHERE id = 1 UNION ALL SELECT n + 1, s FROM r WHERE n < 3) SELECT n, s FROM r
	EOF
	mt_report
}

@test "PostgreSQL: errors and notices are cut and scanned by the detectors" {
	mt_shapes mpg pg <<-'EOF'
		cast-error-int	1	err=invalid	SELECT id, ssn::int FROM customers ORDER BY id
		cast-error-smallint	1	err=range	SELECT translate(ssn, '-', '')::smallint FROM customers
		cast-error-inet	1	err=invalid	SELECT email::inet FROM customers
		cast-error-bigint	1	err=invalid	SELECT card::bigint FROM customers
		cast-error-json-detail	1	err=json	SELECT ssn::jsonb FROM customers
		cast-error-date	1	-	SELECT phone::date FROM customers
		raise-exception-ssn	3	-	SELECT loud(ssn) FROM customers
		raise-exception-email	3	-	SELECT loud(email) FROM customers WHERE id = 3
		raise-notice-ssn	3	-	SELECT id, name, noisy(ssn) AS n FROM customers ORDER BY id
		raise-notice-email	3	-	SELECT noisy(email) AS n FROM customers WHERE id = 1
		raise-notice-card	3	-	SELECT noisy(card) AS n FROM customers WHERE id = 2
		detectors-in-error	1	err=loud	SELECT loud(notes) FROM customers WHERE id = 3
		detectors-in-notice	0	c=f err=noisy	SELECT noisy(notes) AS n FROM customers WHERE id = 2
	EOF
	mt_report
}

@test "PostgreSQL: predicates, sorts, groups and joins over a masked column are denied" {
	mt_shapes mpg pg <<-'EOF'
		where-substr	3	-	SELECT id, name FROM customers WHERE substr(ssn, 1, 1) = '2'
		where-like	3	-	SELECT id, name FROM customers WHERE ssn LIKE '2%'
		where-range	3	-	SELECT id, name FROM customers WHERE ssn > '5'
		where-regex	3	-	SELECT id, name FROM customers WHERE email ~ '^q'
		where-length	3	-	SELECT id, name FROM customers WHERE length(card) = 19
		where-equal-expression	3	-	SELECT id, name FROM customers WHERE email = lower(email)
		where-in-subquery	3	-	SELECT id, name FROM customers WHERE ssn IN (SELECT ssn FROM customers WHERE id < 3)
		exists-probe	3	-	SELECT count(*) FROM customers c WHERE EXISTS (SELECT 1 FROM customers d WHERE d.id = c.id AND d.ssn LIKE '2%')
		view-where	3	-	SELECT id, name FROM customer_contacts WHERE ssn LIKE '2%'
		partition-where	3	-	SELECT id, name FROM accounts_p1 WHERE substr(card, 1, 1) = '4'
		order-by	3	-	SELECT id, name FROM customers ORDER BY ssn
		order-by-expression	3	-	SELECT id, name FROM customers ORDER BY reverse(card)
		order-by-alias	3	-	SELECT id, name, ssn AS s FROM customers ORDER BY s
		order-by-position	3	-	SELECT id, name, ssn FROM customers ORDER BY 3
		group-by	3	-	SELECT ssn, count(*) FROM customers GROUP BY ssn
		having	3	-	SELECT name, count(*) FROM customers GROUP BY name HAVING max(ssn) > '5'
		join-on	3	-	SELECT a.id, b.name FROM customers a JOIN customers b ON a.ssn = b.ssn
		join-using	3	-	SELECT c.id FROM customers c JOIN customer_mv m USING (ssn)
		case-when	3	-	SELECT id, CASE WHEN ssn LIKE '2%' THEN 1 ELSE 0 END AS f FROM customers
		window-order	3	-	SELECT id, row_number() OVER (ORDER BY ssn) AS r FROM customers
		window-partition	3	-	SELECT id, count(*) OVER (PARTITION BY substr(card, 1, 1)) AS n FROM customers
		aggregate-filter	3	-	SELECT count(*) FILTER (WHERE ssn LIKE '2%') AS n FROM customers
	EOF
	mt_report
}

@test "PostgreSQL: writes, cursors, PREPARE and stateful functions cannot copy a masked column" {
	mt_shapes mpg pg <<-'EOF'
		insert-select	3	-	INSERT INTO notes SELECT id + 100, ssn FROM customers
		insert-select-cte	3	-	WITH s AS (SELECT id, email FROM customers) INSERT INTO notes SELECT id + 200, email FROM s
		update-subquery	3	-	UPDATE notes SET body = (SELECT ssn FROM customers WHERE id = 1) WHERE id = 1
		update-from	3	-	UPDATE notes n SET body = c.card FROM customers c WHERE c.id = n.id
		create-table-as	3	-	CREATE TABLE leak AS SELECT id, ssn FROM customers
		select-into	3	-	SELECT id, email INTO leak2 FROM customers
		cursor	3	-1	DECLARE cur CURSOR FOR SELECT id, ssn FROM customers; FETCH ALL FROM cur
		cursor-whole-row	3	-1	DECLARE cur CURSOR FOR SELECT c FROM customers c; FETCH ALL FROM cur
		prepare	3	-	PREPARE p AS SELECT id, ssn FROM customers; EXECUTE p
		set_config	3	-	SELECT set_config('mask.probe', ssn, false) FROM customers WHERE id = 1
		pg_notify	3	-	SELECT pg_notify('leak', email) FROM customers WHERE id = 1
		large-object	3	-	SELECT lo_from_bytea(0, convert_to(ssn, 'UTF8')) FROM customers WHERE id = 1
		read-notes-back	0	c=ff	SELECT id, body FROM notes ORDER BY id
	EOF
	# Nothing was written: notes holds its one seeded row, no table was made.
	mt_counted
	[ "$(mt_pg -c "SELECT string_agg(id || ':' || body, ',') FROM notes")" = "1:first note" ] ||
	    mt_fail database "notes changed: $(mt_pg -c 'TABLE notes')"
	[ -z "$(mt_pg -c "SELECT relname FROM pg_class WHERE relname IN ('leak', 'leak2')")" ] ||
	    mt_fail database "a table was created from a masked column"
	[ "$(mt_pg -c "SELECT count(*) FROM pg_largeobject_metadata")" = 0 ] ||
	    mt_fail database "a large object was created"
	mt_report
}

@test "PostgreSQL: COPY, EXPLAIN VERBOSE and the statistics views" {
	mt_shapes mpg pg <<-'EOF'
		copy-table	0|3	-	COPY customers TO STDOUT
		copy-query	0|3	-	COPY (SELECT ssn FROM customers) TO STDOUT
		copy-columns-csv	0|3	-	COPY customers (id, email, card) TO STDOUT WITH (FORMAT csv)
		copy-partition	0|3	-	COPY accounts_p1 TO STDOUT
		copy-whole-row	0|3	-	COPY (SELECT c FROM customers c) TO STDOUT
		explain-verbose	0	out=customers	EXPLAIN VERBOSE SELECT id, name, ssn, reverse(card) FROM customers
		explain-json	0	out=Plan	EXPLAIN (VERBOSE, FORMAT JSON) SELECT c FROM customers c
		pg_stats	3	stat	SELECT * FROM pg_stats WHERE tablename = 'customers'
		pg_stats-qualified	3	stat	SELECT histogram_bounds FROM pg_catalog.pg_stats
		pg_stats_ext	3	stat	SELECT most_common_vals FROM pg_stats_ext
		pg_stat_activity	3	stat	SELECT query FROM pg_stat_activity
		pg_stat_statements	3	stat	SELECT query FROM pg_stat_statements
	EOF
	mt_report
}

@test "PostgreSQL: the same shapes without a masked column run" {
	mt_shapes mpg pg <<-'EOF'
		like-on-name	0	c=ff	SELECT id, name FROM customers WHERE name LIKE '%o%' ORDER BY id
		order-by-name	0	c=fft	SELECT id, name, ssn FROM customers ORDER BY name DESC
		equal-literal	0	c=ff	SELECT id, name FROM customers WHERE ssn = '000-00-0000'
		in-literals	0	c=ff	SELECT id, name FROM customers WHERE card IN ('1', '2')
		cursor-on-names	0	-1 line=1,alice line=4,dora	DECLARE cur CURSOR FOR SELECT id, name FROM customers ORDER BY id; FETCH ALL FROM cur
	EOF
	mt_report
}

# ---------------------------------------------------------------------------
# MariaDB shapes (target mmy).  A first cut may mask, fail closed, every
# column of a view, derived table, CTE or UNION whose lineage it has not
# resolved: id and name there are "-", not "f".

@test "MariaDB: columns by origin: aliases, views, the function" {
	mt_shapes mmy my <<-'EOF'
		plain	0	c=fftttt	SELECT id, name, email, ssn, phone, card FROM customers ORDER BY id
		alias-swap	0	c=fft	SELECT id, name AS ssn, ssn AS name FROM customers ORDER BY id
		qualified-backticks	0	c=fft	SELECT c.`id`, c.name, c.`email` AS x FROM masktest.customers AS c ORDER BY c.id
		star	0	c=ffttttd	SELECT * FROM customers ORDER BY id
		star-qualified	0	c=ffttttd	SELECT c.* FROM customers c ORDER BY c.id
		view	0	c=--tttt	SELECT id, name, email, ssn, phone, card FROM customer_contacts ORDER BY id
		view-star	0	c=--tttt	SELECT * FROM customer_contacts ORDER BY id
		function-call	0	c=d	SELECT get_email(1) AS e
		function-per-row	0	c=ffd	SELECT id, name, get_email(id) AS e FROM customers ORDER BY id
		where-id	0	c=fft	SELECT id, name, ssn FROM customers WHERE id = 2
	EOF
	mt_report
}

@test "MariaDB: functions, casts, CASE, COALESCE are masked whole; warnings are cut" {
	mt_shapes mmy my <<-'EOF'
		upper	0	c=fft	SELECT id, name, UPPER(email) AS u FROM customers ORDER BY id
		reverse	0	c=fft	SELECT id, name, REVERSE(ssn) AS r FROM customers ORDER BY id
		substring	0	c=fft	SELECT id, name, SUBSTRING(ssn, 1, 6) AS s FROM customers ORDER BY id
		digits-only	0	c=fft	SELECT id, name, REPLACE(ssn, '-', '') AS d FROM customers ORDER BY id
		digits-to-letters	0	c=fft	SELECT id, name, REPLACE(REPLACE(card, '4', 'd'), '5', 'e') AS l FROM customers ORDER BY id
		concat	0	c=fftt	SELECT id, name, CONCAT(ssn, '') AS s, CONCAT_WS('/', phone, card) AS pc FROM customers ORDER BY id
		hex	0	c=fft	SELECT id, name, HEX(ssn) AS h FROM customers ORDER BY id
		base64	0	c=fft	SELECT id, name, TO_BASE64(card) AS b FROM customers ORDER BY id
		md5-sha2	0	c=fftt	SELECT id, name, MD5(ssn) AS m, SHA2(email, 256) AS s FROM customers ORDER BY id
		ascii-and-length	0	c=fftt	SELECT id, name, ASCII(ssn) AS a, LENGTH(email) AS l FROM customers ORDER BY id
		cast-char	0	c=fftt	SELECT id, name, CAST(ssn AS CHAR) AS s, CONVERT(card, CHAR) AS c FROM customers ORDER BY id
		cast-binary	0	c=fft	SELECT id, name, CAST(ssn AS BINARY) AS b FROM customers ORDER BY id
		collate	0	c=fft	SELECT id, name, ssn COLLATE utf8mb4_bin AS s FROM customers ORDER BY id
		case-result	0	c=fft	SELECT id, name, CASE WHEN id > 0 THEN ssn ELSE 'none' END AS s FROM customers ORDER BY id
		if-result	0	c=fft	SELECT id, name, IF(id = 1, ssn, email) AS v FROM customers ORDER BY id
		coalesce-ifnull-nullif	0	c=ffttt	SELECT id, name, COALESCE(NULL, phone) AS p, IFNULL(card, '') AS c, NULLIF(ssn, '') AS s FROM customers ORDER BY id
		elt	0	c=fft	SELECT id, name, ELT(1, ssn, email) AS v FROM customers ORDER BY id
		cast-signed-warning	0	c=fft	SELECT id, name, CAST(ssn AS SIGNED) AS n FROM customers ORDER BY id
		plus-zero-warning	0	c=fft	SELECT id, name, ssn + 0 AS n FROM customers ORDER BY id
		cast-date-warning	0	c=fft	SELECT id, name, CAST(email AS DATE) AS d FROM customers ORDER BY id
		detectors-in-warning	0	c=ff	SELECT id, CAST(notes AS SIGNED) AS n FROM customers WHERE id = 3
		show-warnings-after	3	-	SELECT id, HEX(ssn) + 0 AS n FROM customers ORDER BY id; SHOW WARNINGS
		get-diagnostics-after	3	-	SELECT id, HEX(ssn) + 0 AS n FROM customers ORDER BY id; GET DIAGNOSTICS CONDITION 1 @m = MESSAGE_TEXT
	EOF
	mt_report
}

@test "MariaDB: aggregates, JSON, windows, UNION, subqueries, derived tables and CTEs" {
	mt_shapes mmy my <<-'EOF'
		group_concat	0	c=t	SELECT GROUP_CONCAT(ssn) AS s FROM customers
		group_concat-ordered	0	c=t	SELECT GROUP_CONCAT(email ORDER BY id SEPARATOR '|') AS e FROM customers
		json_arrayagg	0	c=t	SELECT JSON_ARRAYAGG(card) AS c FROM customers
		json_objectagg	0	c=t	SELECT JSON_OBJECTAGG(name, ssn) AS o FROM customers
		min-max	0	c=tt	SELECT MIN(ssn) AS lo, MAX(card) AS hi FROM customers
		count-distinct	0	c=t	SELECT COUNT(DISTINCT ssn) AS n FROM customers
		json_object	0	c=fft	SELECT id, name, JSON_OBJECT('s', ssn, 'e', email) AS j FROM customers ORDER BY id
		json_array	0	c=fft	SELECT id, name, JSON_ARRAY(phone, card) AS j FROM customers ORDER BY id
		json_quote	0	c=fft	SELECT id, name, JSON_QUOTE(email) AS j FROM customers ORDER BY id
		window-functions	0	c=fftt	SELECT id, name, FIRST_VALUE(ssn) OVER (ORDER BY id) AS f, LAG(email) OVER (ORDER BY id) AS l FROM customers ORDER BY id
		union-all	0	c=---t	SELECT id, name, 1 AS k, ssn AS v FROM customers UNION ALL SELECT id, name, 2, email FROM customers ORDER BY id, k
		union-name-and-ssn	0	c=t	SELECT name AS v FROM customers UNION ALL SELECT ssn FROM customers
		union-distinct	0	c=t	SELECT ssn FROM customers UNION SELECT card FROM customers
		scalar-subquery	0	c=fft	SELECT c.id, c.name, (SELECT c2.ssn FROM customers c2 WHERE c2.id = c.id) AS s FROM customers c ORDER BY c.id
		derived-table	0	c=--t	SELECT id, name, x FROM (SELECT id, name, email AS x FROM customers) d ORDER BY id
		derived-star	0	c=--tt	SELECT * FROM (SELECT id, name, ssn, card FROM customers) d ORDER BY id
		cte	0	c=--t	WITH t AS (SELECT id, name, card AS x FROM customers) SELECT id, name, x FROM t ORDER BY id
		recursive-cte	0	c=-t	WITH RECURSIVE r(n, s) AS (SELECT 1, ssn FROM customers WHERE id = 1 UNION ALL SELECT n + 1, s FROM r WHERE n < 3) SELECT n, s FROM r
	EOF
	mt_report
}

@test "MariaDB: predicates, sorts, groups and joins over a masked column are denied" {
	mt_shapes mmy my <<-'EOF'
		where-substring	3	-	SELECT id, name FROM customers WHERE SUBSTRING(ssn, 1, 1) = '2'
		where-like	3	-	SELECT id, name FROM customers WHERE ssn LIKE '2%'
		where-range	3	-	SELECT id, name FROM customers WHERE card > '5'
		where-regexp	3	-	SELECT id, name FROM customers WHERE email REGEXP '^q'
		where-length	3	-	SELECT id, name FROM customers WHERE LENGTH(card) = 19
		where-equal-expression	3	-	SELECT id, name FROM customers WHERE email = LOWER(email)
		where-in-subquery	3	-	SELECT id, name FROM customers WHERE ssn IN (SELECT ssn FROM customers WHERE id < 3)
		view-where	3	-	SELECT id, name FROM customer_contacts WHERE ssn LIKE '2%'
		order-by	3	-	SELECT id, name FROM customers ORDER BY ssn
		order-by-alias	3	-	SELECT id, name, ssn AS s FROM customers ORDER BY s
		order-by-position	3	-	SELECT id, name, ssn FROM customers ORDER BY 3
		group-by	3	-	SELECT ssn, COUNT(*) FROM customers GROUP BY ssn
		having	3	-	SELECT name, COUNT(*) FROM customers GROUP BY name HAVING MAX(ssn) > '5'
		join-on	3	-	SELECT a.id, b.name FROM customers a JOIN customers b ON a.ssn = b.ssn
		case-when	3	-	SELECT id, CASE WHEN ssn LIKE '2%' THEN 1 ELSE 0 END AS f FROM customers
		if-condition	3	-	SELECT id, IF(ssn > '5', 1, 0) AS f FROM customers
		window-order	3	-	SELECT id, ROW_NUMBER() OVER (ORDER BY ssn) AS r FROM customers
	EOF
	mt_report
}

@test "MariaDB: user variables, writes and PREPARE cannot copy a masked column" {
	mt_shapes mmy my <<-'EOF'
		select-into-variable	3	-	SELECT ssn INTO @v FROM customers LIMIT 1; SELECT @v
		set-variable-subquery	3	-	SET @v = (SELECT ssn FROM customers LIMIT 1); SELECT @v
		assign-variable	3	-	SELECT id, @v := ssn AS s FROM customers
		insert-select	3	-	INSERT INTO notes SELECT id + 100, ssn FROM customers
		replace-select	3	-	REPLACE INTO notes SELECT id, email FROM customers
		update-subquery	3	-	UPDATE notes SET body = (SELECT ssn FROM customers WHERE id = 1) WHERE id = 1
		update-join	3	-	UPDATE notes n JOIN customers c ON c.id = n.id SET n.body = c.card WHERE n.id = 1
		create-table-as	3	-	CREATE TABLE leak AS SELECT id, ssn FROM customers
		prepare	3	-	PREPARE s FROM 'SELECT ssn FROM customers'; EXECUTE s
		into-outfile	3	stat	SELECT ssn FROM customers INTO OUTFILE '/tmp/dbgate-mask-leak'
		read-notes-back	0	c=ff	SELECT id, body FROM notes ORDER BY id
	EOF
	mt_counted
	[ "$(mt_my -e "SELECT GROUP_CONCAT(CONCAT(id, ':', body)) FROM notes")" = "1:first note" ] ||
	    mt_fail database "notes changed: $(mt_my -e 'SELECT * FROM notes')"
	[ -z "$(mt_my -e "SELECT table_name FROM information_schema.tables WHERE table_schema = 'masktest' AND table_name = 'leak'")" ] ||
	    mt_fail database "a table was created from a masked column"
	[ ! -e /tmp/dbgate-mask-leak ] || mt_fail database "/tmp/dbgate-mask-leak was written"
	mt_report
}

@test "MariaDB: EXPLAIN and the statistics and process lists" {
	mt_shapes mmy my <<-'EOF'
		explain	0	out=customers	EXPLAIN SELECT id, name, ssn FROM customers
		explain-json	0	out=customers	EXPLAIN FORMAT=JSON SELECT id, ssn, card FROM customers
		column_stats	3	stat	SELECT * FROM mysql.column_stats
		column_stats-where	3	stat	SELECT min_value, max_value FROM mysql.column_stats WHERE table_name = 'customers'
		processlist	3	stat	SELECT * FROM information_schema.PROCESSLIST
		processlist-lower	3	stat	SELECT info FROM information_schema.processlist
		show-processlist	3	stat	SHOW PROCESSLIST
		show-full-processlist	3	stat	SHOW FULL PROCESSLIST
	EOF
	mt_report
}

@test "MariaDB: the same shapes without a masked column run" {
	mt_shapes mmy my <<-'EOF'
		like-on-name	0	c=ff	SELECT id, name FROM customers WHERE name LIKE '%o%' ORDER BY id
		order-by-name	0	c=fft	SELECT id, name, ssn FROM customers ORDER BY name DESC
		equal-literal	0	c=ff	SELECT id, name FROM customers WHERE ssn = '000-00-0000'
		in-literals	0	c=ff	SELECT id, name FROM customers WHERE card IN ('1', '2')
	EOF
	mt_report
}

# ---------------------------------------------------------------------------
# What must work, exactly.

@test "an equality or IN lookup by e-mail finds the customer" {
	local t d
	for t in mpg:pg mmy:my; do
		d=${t#*:}
		t=${t%:*}
		mt_shapes "$t" "$d" <<-EOF
			$d-lookup-equal	0	c=ff sets=mask,note	SELECT id, name FROM customers WHERE email = '$MT_LOOKUP'
			$d-lookup-in	0	c=ff sets=mask,note	SELECT id, name FROM customers WHERE email IN ('nobody@nowhere.example', '$MT_LOOKUP')
			$d-lookup-masked-output	0	c=fft sets=mask,note	SELECT id, name, email FROM customers WHERE email = '$MT_LOOKUP'
		EOF
		run dbg exec "$t" -o csv -c "SELECT id, name FROM customers WHERE email = '$MT_LOOKUP'"
		[ "$status" -eq 0 ] || mt_fail "$d-lookup" "status $status: $output"
		[ "$output" = $'id,name\n4,dora' ] ||
		    mt_fail "$d-lookup" "want dora (4), got: $output"
	done
	mt_report
}

@test "ORDER BY id returns every name unmasked" {
	local t want
	want=$(mt_pg -F , -c "SELECT id, name FROM customers ORDER BY id")
	[ "$(printf '%s\n' "$want" | cut -d, -f2 | tr '\n' ' ')" = "alice bob carol dora " ]
	for t in mpg mmy bpg bmy; do
		run --separate-stderr dbg exec "$t" -o csv -c "SELECT id, name FROM customers ORDER BY id"
		[ "$status" -eq 0 ] || mt_fail "$t" "status $status: $stderr"
		[ "$output" = "id,name"$'\n'"$want" ] ||
		    mt_fail "$t" "got: $output; stderr: $stderr"
	done
	mt_report
}

@test "the strategies give the documented shapes" {
	local t i id email ssn card
	local -a got
	for t in mpg mmy; do
		run --separate-stderr dbg exec "$t" -o json -c "SELECT id, email, ssn, phone, card FROM customers ORDER BY id"
		[ "$status" -eq 0 ] || { mt_fail "$t" "status $status: $stderr"; continue; }
		i=0
		while IFS='|' read -r id email ssn _ card; do
			mapfile -t got < <(echo "$output" | jq -r --argjson i "$i" '.statements[0].rows[$i][] | tostring')
			[ "${got[0]}" = "$id" ] || mt_fail "$t" "row $i: id ${got[0]}, want $id"
			[ "${got[1]}" = "****@${email#*@}" ] ||
			    mt_fail "$t" "email strategy: '${got[1]}', want '****@${email#*@}'"
			[ "${got[2]}" = "$(mt_partial "$ssn" 4)" ] ||
			    mt_fail "$t" "partial 4 of the ssn: '${got[2]}', want '$(mt_partial "$ssn" 4)'"
			[ "${got[3]}" = "****" ] ||
			    mt_fail "$t" "redact: '${got[3]}', want '****'"
			[ "${got[4]}" = "$(mt_partial "$card" 4)" ] ||
			    mt_fail "$t" "partial 4 of the card: '${got[4]}', want '$(mt_partial "$card" 4)'"
			i=$((i + 1))
		done < <(mt_pg -F '|' -c "SELECT id, email, ssn, phone, card FROM customers ORDER BY id")
		[ "$i" -eq "$MT_NROWS" ] || mt_fail "$t" "read $i rows"
	done
	# The documented examples, through the same rule.
	[ "$(mt_partial '123-45-6789' 4)" = '***-**-6789' ]
	[ "$(mt_partial '4111 1111 1111 1111' 4)" = '**** **** **** 1111' ]
	mt_report
}

@test "JSON flags the masked columns and counts the masked values; table output says how many" {
	local t want
	want=$((MT_NROWS * 2))
	for t in mpg mmy; do
		run --separate-stderr dbg exec "$t" -o json -c "SELECT id, name, email, ssn FROM customers ORDER BY id"
		[ "$status" -eq 0 ] || { mt_fail "$t" "status $status: $stderr"; continue; }
		echo "$output" | jq -e '[.statements[0].columns[].masked] == [false, false, true, true]' >/dev/null ||
		    mt_fail "$t" "masked flags: $(echo "$output" | jq -c '[.statements[0].columns[] | {name, masked}]')"
		echo "$output" | jq -e --argjson n "$want" '.statements[0].masked_values == $n' >/dev/null ||
		    mt_fail "$t" "masked_values $(echo "$output" | jq '.statements[0].masked_values'), want $want"
		run --separate-stderr dbg exec "$t" -o table -c "SELECT id, name, email, ssn FROM customers ORDER BY id"
		[ "$status" -eq 0 ] || mt_fail "$t" "table: status $status"
		[[ "$output" == *"($want values masked)"* ]] ||
		    mt_fail "$t" "table output lacks '($want values masked)': $output"
		# Nothing masked: the count is 0 and the table says nothing.
		run --separate-stderr dbg exec "$t" -o json -c "SELECT id, name FROM customers ORDER BY id"
		echo "$output" | jq -e '.statements[0].masked_values == 0 and ([.statements[0].columns[].masked] | any | not)' >/dev/null ||
		    mt_fail "$t" "id, name: $(echo "$output" | jq -c '.statements[0] | {masked_values, columns}')"
		run --separate-stderr dbg exec "$t" -o table -c "SELECT id, name FROM customers ORDER BY id"
		[[ "$output" != *"values masked"* ]] ||
		    mt_fail "$t" "table output counts masked values where there are none"
	done
	mt_report
}

@test "hash gives 32 hex digits, equal for equal inputs, and null gives NULL" {
	local t h1 h2 hmy n
	for t in mpghash mmyhash; do
		mt_shapes "$t" "${t:1:2}" <<-EOF
			$t-hash-null-redact-partial	0	c=fftttt	SELECT id, name, ssn, phone, email, card FROM customers ORDER BY id
		EOF
	done
	h1=$(dbg exec mpghash -o json -c "SELECT ssn FROM customers ORDER BY id" | jq -r '.statements[0].rows[][0]' || true)
	h2=$(dbg exec mpghash -o json -c "SELECT ssn FROM customers ORDER BY id" | jq -r '.statements[0].rows[][0]' || true)
	hmy=$(dbg exec mmyhash -o json -c "SELECT ssn FROM customers ORDER BY id" | jq -r '.statements[0].rows[][0]' || true)
	n=$(printf '%s\n' "$h1" | grep -cE '^[0-9a-f]{32}$' || true)
	[ "$n" -eq "$MT_NROWS" ] || mt_fail hash "not 32 lowercase hex digits: $h1"
	[ "$(printf '%s\n' "$h1" | sort -u | wc -l)" -eq "$MT_NROWS" ] ||
	    mt_fail hash "different SSNs, equal hashes: $h1"
	[ "$h1" = "$h2" ] || mt_fail hash "the same SSNs hash differently in two sessions"
	[ "$h1" = "$hmy" ] || mt_fail hash "the same SSNs hash differently on MariaDB: $hmy"
	for t in mpghash mmyhash; do
		run --separate-stderr dbg exec "$t" -o json -c "SELECT phone, email FROM customers ORDER BY id"
		echo "$output" | jq -e '[.statements[0].rows[][0]] | all(. == null)' >/dev/null ||
		    mt_fail "$t" "null strategy: $(echo "$output" | jq -c '[.statements[0].rows[][0]]')"
		echo "$output" | jq -e '[.statements[0].rows[][1]] | all(. == "****")' >/dev/null ||
		    mt_fail "$t" "redact: $(echo "$output" | jq -c '[.statements[0].rows[][1]]')"
	done
	mt_report
}

@test "detectors mask what they find in unmasked columns, and leave near misses" {
	mt_shapes mpg pg <<-'EOF'
		pg-notes	0	c=ffd	SELECT id, name, notes FROM customers ORDER BY id
		pg-samples	0	c=ffd	SELECT id, kind, sample FROM detector_samples WHERE kind NOT LIKE 'near-%' ORDER BY id
		pg-near-misses	0	c=ffff	SELECT id, kind, sample, n FROM detector_samples WHERE kind LIKE 'near-%' ORDER BY id
	EOF
	mt_shapes mmy my <<-'EOF'
		my-notes	0	c=ffd	SELECT id, name, notes FROM customers ORDER BY id
		my-samples	0	c=ffd	SELECT id, kind, sample FROM detector_samples WHERE kind NOT LIKE 'near-%' ORDER BY id
		my-near-misses	0	c=ffff	SELECT id, kind, sample, n FROM detector_samples WHERE kind LIKE 'near-%' ORDER BY id
	EOF
	# Without a Policy (builtin) the detectors alone catch every seeded value.
	mt_shapes bpg pg <<-'EOF'
		pg-builtin-all	0	c=ffddddd	SELECT id, name, email, ssn, phone, card, notes FROM customers ORDER BY id
		pg-builtin-view	0	c=ffdddd	SELECT id, name, email, ssn, phone, card FROM customer_contacts ORDER BY id
	EOF
	mt_shapes bmy my <<-'EOF'
		my-builtin-all	0	c=ffddddd	SELECT id, name, email, ssn, phone, card, notes FROM customers ORDER BY id
	EOF
	# A near miss is not counted as masked.
	run --separate-stderr dbg exec mpg -o json -c "SELECT id, kind, sample, n FROM detector_samples WHERE kind LIKE 'near-%' ORDER BY id"
	echo "$output" | jq -e '.statements[0].masked_values == 0' >/dev/null ||
	    mt_fail pg-near-misses "masked_values $(echo "$output" | jq '.statements[0].masked_values'), want 0"
	mt_report
}

@test "Detect none and a Detect list turn detectors off but keep the Mask rules" {
	mt_shapes mpgnd pg <<-'EOF'
		pg-detect-none	0	c=ffttf sets=mask,lookup	SELECT id, name, email, ssn, notes FROM customers ORDER BY id
		pg-detect-none-samples	0	c=fff sets=mask,lookup	SELECT id, kind, sample FROM detector_samples WHERE kind NOT LIKE 'near-%' ORDER BY id
	EOF
	mt_shapes mmynd my <<-'EOF'
		my-detect-none	0	c=ffttf sets=mask,lookup	SELECT id, name, email, ssn, notes FROM customers ORDER BY id
	EOF
	mt_shapes mpgdc pg <<-'EOF'
		pg-detect-card-ssn	0	c=ffd sets=mask,lookup	SELECT id, kind, sample FROM detector_samples WHERE kind IN ('card', 'ssn') ORDER BY id
		pg-detect-card-ssn-others	0	c=fff sets=mask,lookup	SELECT id, kind, sample FROM detector_samples WHERE kind IN ('email', 'iban', 'secret', 'phone') ORDER BY id
	EOF
	mt_report
}

@test "Unmask leaves a column raw; the detectors still run on the others" {
	mt_shapes mpgun pg <<-'EOF'
		pg-unmask-notes	0	c=fftf sets=mask,lookup	SELECT id, name, email, notes FROM customers ORDER BY id
		pg-unmask-notes-alias	0	c=ff sets=mask,lookup	SELECT id, notes AS n FROM customers ORDER BY id
		pg-unmask-other-columns	0	c=ffd	SELECT id, kind, sample FROM detector_samples WHERE kind NOT LIKE 'near-%' ORDER BY id
	EOF
	mt_shapes mmyun my <<-'EOF'
		my-unmask-notes	0	c=fftf sets=mask,lookup	SELECT id, name, email, notes FROM customers ORDER BY id
		my-unmask-other-columns	0	c=ffd	SELECT id, kind, sample FROM detector_samples WHERE kind NOT LIKE 'near-%' ORDER BY id
	EOF
	mt_report
}

@test "nothing under the StateDir or in the log holds a seeded value" {
	# Every session of this file has ended (exec waits for its session).
	[ -d "$STATE/sessions" ]
	[ -n "$(find "$STATE/sessions" -name '*.dgr' | head -1)" ]
	run mt_scan mask -- "$STATE" "$T/gateway.log"
	[ "$status" -eq 0 ] || {
		printf '%s\n' "$output" | mt_leak_summary
		printf '%s\n' "$output" | head -20
		false
	}
}
