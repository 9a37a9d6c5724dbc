#!/usr/bin/env bash
# Times strata side by side with Alembic, goose and the databases' own
# clients, on the same servers in the same run, and prints one table of
# medians, ratios (strata / other) and peak RSS, then how strata's times
# grow with N.
#
# For each N in NS and each dialect in DIALECTS, on generated models
# (bench/gen models: 14 columns, a unique key, a composite index and a
# foreign key per table) and the equivalent SQLAlchemy models (bench/gen
# alembic):
#   autogen-empty  revision --autogenerate against an empty database
#                  (N CREATE TABLE), vs alembic revision --autogenerate;
#   models         strata models (no comparator);
#   upgrade-full   upgrade head of that revision on an empty database, vs the
#                  same statements through the client (psql -1 -f, mariadb,
#                  sqlite3 in one transaction), and vs alembic upgrade head
#                  of Alembic's own revision;
#   check          strata check on the database at head, vs alembic revision
#                  --autogenerate finding no changes (Alembic 1.8 has no
#                  check command; this is the same work); on PostgreSQL
#                  after VACUUM (ANALYZE) of both databases, untimed, as
#                  autovacuum leaves a database soon after its tables are
#                  made;
#   autogen-1col   revision --autogenerate against a database built from the
#                  models' DDL when the models gained one column, vs Alembic
#                  on its own copy of that database.
# Once per dialect: upgrade-500, upgrade head of 500 one-statement revisions
# (bench/gen revisions -linear) vs goose up of the same SQL (bench/gen
# goose). Once: history and heads on 10,000 revisions with branches.
#
# Each tool has its own database (strata_cmp_PID_s, strata_cmp_PID_a),
# recreated before each run where the case starts empty. Every series runs
# once to warm up, then RUNS times (5; RUNS_LARGE, 3, for N >= 5000),
# strata's runs alternating with the other tool's (see pair). The
# warm-up's result is checked (revision contents, table counts, exit
# status); a failed check or command shows in the note column and the
# figure is left out. Peak RSS is /usr/bin/time's %M of the measured
# process.
#
# Installs what is missing when run as root: python3-alembic,
# python3-psycopg2, python3-pymysql and time with apt-get, goose v3.30.0
# with go install into the work directory. Without Alembic or goose their
# columns are empty. An unreachable server is skipped with a note.
#
# Alembic runs for N up to ALEMBIC_MAX_N (1000): its incremental
# autogenerate grows quadratically, to minutes a run at 5,000 tables, and
# the comparisons the targets name are at 1,000.
#
# On PostgreSQL, when N tables need more locks in one transaction than the
# server's lock table holds (about 5 a table here, against
# max_locks_per_transaction x (max_connections + max_prepared_transactions)),
# upgrade-full adds "-- strata:no-transaction" to the revision and the
# client runs without -1; the row says so.
#
# CASES limits the run to some cases (names as above, space-separated;
# default all); a case another needs (autogen-empty writes the revision
# upgrade-full applies, upgrade-full brings the database check reads to
# head) then runs once, untimed.
#
# Environment: NS ("100 1000 5000"), DIALECTS ("postgres mysql sqlite"), CASES,
# RUNS, RUNS_LARGE, SETTLE (seconds to wait after emptying a database, 0), ALEMBIC_MAX_N, PYTHON (/usr/bin/python3: Debian's python3-* packages
# are for it), STRATA (a strata binary to time instead of building
# ./cmd/strata), GOOSE (a goose binary to use instead of installing one),
# and the servers of bench/lib.sh.
set -euo pipefail

cd "$(dirname "$0")/.."
. bench/lib.sh

NS=${NS:-100 1000 5000}
DIALECTS=${DIALECTS:-postgres mysql sqlite}
RUNS=${RUNS:-5}
RUNS_LARGE=${RUNS_LARGE:-3}
ALEMBIC_MAX_N=${ALEMBIC_MAX_N:-1000}
PYTHON=${PYTHON:-/usr/bin/python3}
GOOSE_VERSION=v3.30.0

work=$(mktemp -d "${TMPDIR:-/tmp}/strata-compare.XXXXXX")
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
S=$work/strata  # strata project
A=$work/alembic # Alembic project
sdb="strata_cmp_$$_s"
adb="strata_cmp_$$_a"

# --- tools -----------------------------------------------------------------

strata=${STRATA:-}
if [[ -z $strata ]]; then
	echo "building strata" >&2
	go build -o "$work/bin/strata" ./cmd/strata
	strata=$work/bin/strata
fi
go build -o "$work/bin/gen" ./bench/gen
gen=$work/bin/gen

timer=()
if need_time; then
	timer=(/usr/bin/time -f %M -o "$work/rss")
fi

have_alembic=true
if ! "$PYTHON" -c 'import alembic, psycopg2, pymysql' 2>/dev/null; then
	apt_install python3-alembic python3-psycopg2 python3-pymysql || true
	if ! "$PYTHON" -c 'import alembic, psycopg2, pymysql' 2>/dev/null; then
		echo "no Alembic, psycopg2 or PyMySQL for $PYTHON; Alembic not measured" >&2
		have_alembic=false
	fi
fi
alembic_version=$($have_alembic && "$PYTHON" -c 'import alembic, sqlalchemy; print("Alembic", alembic.__version__, "/ SQLAlchemy", sqlalchemy.__version__)' || echo "no Alembic")

goose=${GOOSE:-}
if [[ -z $goose ]]; then
	echo "installing goose $GOOSE_VERSION" >&2
	if GOBIN=$work/bin go install "github.com/pressly/goose/v3/cmd/goose@$GOOSE_VERSION" >&2; then
		goose=$work/bin/goose
	else
		echo "could not install goose; goose not measured" >&2
	fi
fi

# want CASE says whether CASES asks for the case.
want() { [[ -z ${CASES:-} || " $CASES " == *" $1 "* ]]; }

# --- databases ---------------------------------------------------------------

# fresh DIALECT s|a empties strata's or Alembic's database.
fresh() {
	case $1 in
	postgres) fresh_postgres "$(dbname "$2")" ;;
	mysql) fresh_mysql "$(dbname "$2")" ;;
	sqlite) rm -f "$work/$2.db" ;;
	esac
	# Dropping a database of 1,000 tables keeps the disk busy for a while
	# after the DROP returns; SETTLE seconds (untimed, before every run of
	# either tool) let that pass instead of landing on the next run.
	if ((${SETTLE:-0} > 0)); then
		sync
		sleep "$SETTLE"
	fi
}
dbname() { if [[ $1 == s ]]; then echo "$sdb"; else echo "$adb"; fi; }

# client DIALECT s|a FILE sets cmd to the command running the SQL file with
# the database's own client.
client() {
	case $1 in
	postgres) cmd=(psql -q ${single_tx:+-1} -v ON_ERROR_STOP=1 -d "$(dbname "$2")" -f "$3") ;;
	mysql) cmd=(mariadb -h "$MYSQL_HOST" -P "$MYSQL_TCP_PORT" -u "$MYSQL_USER" "$(dbname "$2")" -e "source $3") ;;
	sqlite) cmd=(sqlite3 -bail "$work/$2.db" ".read $3") ;;
	esac
}

# locks_fit N reports whether N generated tables (about 5 locks each:
# the table, its three indexes, its identity sequence) fit PostgreSQL's
# lock table in one transaction.
single_tx=1
locks_fit() {
	local capacity
	capacity=$(psql -qAt -d "$sdb" -c "SELECT current_setting('max_locks_per_transaction')::int * (current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int)")
	(($1 * 5 <= capacity))
}

# load DIALECT s|a FILE loads a schema into the database, untimed. On
# PostgreSQL it runs statement by statement: thousands of tables in one
# transaction exceed the default max_locks_per_transaction.
load() {
	if [[ $1 == postgres ]]; then
		psql -q -v ON_ERROR_STOP=1 -d "$(dbname "$2")" -f "$3" >/dev/null
	else
		client "$1" "$2" "$3"
		"${cmd[@]}" >/dev/null
	fi
}

# tables DIALECT s|a prints the number of generated tables (t...) in the
# database, leaving out the tools' own.
tables() {
	case $1 in
	postgres) psql -qAt -d "$(dbname "$2")" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't%'" ;;
	mysql) my -N -e "SELECT count(*) FROM information_schema.tables WHERE table_schema = '$(dbname "$2")' AND table_name LIKE 't%'" ;;
	sqlite) sqlite3 "$work/$2.db" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 't%'" ;;
	esac
}

# want_tables DIALECT s|a COUNT says what is wrong if the database does not
# hold COUNT generated tables.
want_tables() {
	local n
	n=$(tables "$1" "$2")
	[[ $n == "$3" ]] || echo "$n tables, want $3"
}

# --- measuring ---------------------------------------------------------------

# timeit PREPARE CHECK CMD... runs CMD once to warm up and $runs times timed,
# evaluating PREPARE (untimed) before each run and CHECK after the warm-up
# (it prints what is wrong, if anything). It sets t (median seconds), m
# (median peak RSS in MiB) and fail (why there are no figures).
# once K I PREPARE CHECK CMD... runs iteration I of series K (s: strata,
# o: the other tool) after PREPARE, untimed. Iteration 0 is the warm-up,
# checked with CHECK; later ones add their wall time and peak RSS to the
# series. A failed command or check ends the series with a note.
declare -A s_fail s_times s_rss
once() {
	local k=$1 i=$2 prepare=$3 check=$4 t0 t1 problem
	shift 4
	[[ -z ${s_fail[$k]:-} ]] || return 0
	eval "$prepare"
	t0=$(date +%s%N)
	if ! "${timer[@]}" "$@" </dev/null >"$work/out" 2>"$work/err"; then
		s_fail[$k]="failed: $(cat "$work/err" "$work/out" | grep -v '^Command exited' | grep . | head -1 | cut -c1-60 || true)"
		{
			echo "FAILED: $*"
			tail -5 "$work/err"
		} >&2
		return 0
	fi
	t1=$(date +%s%N)
	if ((i == 0)); then
		problem=$(eval "$check")
		if [[ -n $problem ]]; then
			s_fail[$k]="wrong: $(head -1 <<<"$problem" | cut -c1-60)"
			echo "WRONG RESULT of $*: $problem" >&2
		fi
		return 0
	fi
	s_times[$k]+=" $(((t1 - t0) / 1000000))"
	if ((${#timer[@]})); then
		s_rss[$k]+=" $(tail -1 "$work/rss")"
	fi
}

# reset K... empties series K; results K sets t, m and fail from it.
reset() {
	local k
	for k in "$@"; do s_fail[$k]= s_times[$k]= s_rss[$k]=; done
}
results() {
	t=- m=- fail=${s_fail[$1]:-}
	[[ -z $fail && -n ${s_times[$1]:-} ]] || return 0
	t=$(median ${s_times[$1]} | awk '{ printf "%.3f", $1 / 1000 }')
	if [[ -n ${s_rss[$1]:-} ]]; then
		m=$(median ${s_rss[$1]} | awk '{ printf "%.0f", $1 / 1024 }')
	fi
}

# timeit PREPARE CHECK CMD... times one command: a checked warm-up, then
# RUNS runs, each after PREPARE (untimed). It sets t (median wall seconds),
# m (median peak RSS MiB) and fail (why there is no figure).
timeit() {
	local i
	reset o
	for ((i = 0; i <= runs; i++)); do once o "$i" "$@"; done
	results o
}

# pair PREPARE CHECK STRATA-ARGS... -- PREPARE CHECK CMD... times strata
# and another tool in alternation (strata, other, strata, other, ...), so
# that a drift in the machine's speed weighs on both alike: on a virtual
# disk the cost of an fsync changes by half within minutes. It sets st,
# sm, sfail for strata and t, m, fail for the other.
pair() {
	local x i seen=false a=() b=()
	for x in "$@"; do
		if [[ $x == -- ]] && ! $seen; then
			seen=true
		elif $seen; then
			b+=("$x")
		else
			a+=("$x")
		fi
	done
	reset s o
	for ((i = 0; i <= runs; i++)); do
		once s "$i" "${a[0]}" "${a[1]}" "$strata" "${a[@]:2}"
		once o "$i" "${b[@]}"
	done
	results s
	st=$t sm=$m sfail=$fail
	results o
	# The ratio of each pair (runs next to each other, so on the same
	# machine speed), then their median.
	pr=-
	if [[ -z $sfail && -z $fail && -n ${s_times[s]:-} && -n ${s_times[o]:-} ]]; then
		pr=$(median $(paste -d' ' <(printf '%s\n' ${s_times[s]}) <(printf '%s\n' ${s_times[o]}) |
			awk '$2 > 0 { print $1 / $2 }') | awk '$1 != "-" { printf "%.3g", $1 }')
		pr=${pr:--}
	fi
}

rows=()
declare -A growth # "case dialect" N -> strata median
# row CASE VS DIALECT N: records strata's figures (st, sm, sfail) against the
# comparator's (t, m, fail) as one line of the table.
row() {
	local ratio=- note="${sfail}${sfail:+; }${fail}"
	if [[ ${pr:--} != - ]]; then
		ratio=$pr
	elif [[ $st != - && $t != - ]]; then
		ratio=$(awk -v a="$st" -v b="$t" 'BEGIN { printf "%.3g", (b > 0) ? a / b : 0 }')
	fi
	pr=-
	rows+=("$(printf '%-13s %-19s %-8s %6s %9s %9s %7s %7s %7s  %s' "$1" "$2" "$3" "$4" "$st" "$t" "$ratio" "$sm" "$m" "$note")")
	echo "row: ${rows[-1]}" >&2 # kept in the log should the run die
	if $per_n && [[ $st != - ]]; then
		growth["$1 $3|$4"]=$st
	fi
}
per_n=false # whether row records strata's figure for the growth table
# strata_run PREPARE CHECK ARGS... times strata and keeps the figures for
# row.
strata_run() {
	local prepare=$1 check=$2
	shift 2
	timeit "$prepare" "$check" "$strata" "$@"
	st=$t sm=$m sfail=$fail
}
# no_other leaves the comparator's figures empty.
no_other() { t=- m=- fail=; }

# --- checks of what a run wrote ----------------------------------------------

revision() { echo "$S"/migrations/*.sql; }
check_strata_full() {
	local n
	n=$(strata_upgrade_section $(revision) | grep -c '^CREATE TABLE' || true)
	((n == N)) || echo "revision has $n CREATE TABLE, want $N"
}
check_strata_one() {
	local up
	up=$(strata_upgrade_section $(revision))
	if [[ $(wc -l <<<"$up") != 1 || $up != *ALTER\ TABLE*ADD\ COLUMN*extra_col* ]]; then
		echo "revision has $(wc -l <<<"$up") statements, want one ADD COLUMN extra_col: $(head -3 <<<"$up")"
	fi
}
# alembic_ops MSG prints the op. lines of the upgrade of Alembic's revision.
alembic_ops() {
	awk '/^def upgrade/ { f = 1; next } /^def downgrade/ { f = 0 } f && /^    op\./' "$A"/alembic/versions/*_"$1".py
}
check_alembic_full() {
	local n
	n=$(alembic_ops full | grep -c 'op.create_table(' || true)
	((n == N)) || echo "revision has $n create_table, want $N"
}
check_alembic_none() {
	local ops
	ops=$(alembic_ops nochange)
	[[ -z $ops ]] || echo "spurious changes: $(head -3 <<<"$ops")"
}
check_alembic_one() {
	local ops
	ops=$(alembic_ops onecol)
	if [[ $(wc -l <<<"$ops") != 1 || $ops != *op.add_column*extra_col* ]]; then
		echo "revision has $(wc -l <<<"$ops") ops, want one add_column extra_col: $(head -3 <<<"$ops")"
	fi
}

# --- the cases ----------------------------------------------------------------

# project DIALECT [-add-column] (re)writes both projects' models for N.
project() {
	local d=$1
	shift
	rm -rf "$S/models" "$A/benchmodels"
	"$gen" models -n "$N" -dir "$S" "$@" >&2
	if $use_alembic; then
		"$gen" alembic -n "$N" -dialect "$d" -url "${aurl[$d]}" -dir "$A" "$@" >&2
		"$PYTHON" -m compileall -q "$A/benchmodels"
	fi
}

# bench_n DIALECT runs the cases that depend on N.
bench_n() {
	local d=$1 full=$work/full.sql use_alembic=$have_alembic
	((N <= ALEMBIC_MAX_N)) || use_alembic=false
	echo "== $d, N=$N, $runs runs + 1 warm-up; $(load_note)" >&2
	mkdir -p "$S/migrations" "$A/alembic/versions"
	printf 'database_url = "%s"\nversions_dir = "migrations"\nmodels = ["./models"]\n' "${surl[$d]}" >"$S/strata.toml"
	rm -f "$S"/migrations/*.sql "$A"/alembic/versions/*.py
	project "$d"

	echo "autogen-empty" >&2
	local ours=("fresh $d s; rm -f $S/migrations/*.sql" check_strata_full -c "$S/strata.toml" revision --autogenerate -m full)
	if ! want autogen-empty; then
		fresh "$d" s
		"$strata" -c "$S/strata.toml" revision --autogenerate -m full >/dev/null
		[[ -z $(check_strata_full) ]] || { echo "autogenerate failed: $(check_strata_full)" >&2; return; }
		if $use_alembic; then
			fresh "$d" a
			"$PYTHON" -m alembic -c "$A/alembic.ini" revision --autogenerate -m full >/dev/null 2>&1
		fi
	elif $use_alembic; then
		pair "${ours[@]}" -- "fresh $d a; rm -f $A/alembic/versions/*.py" check_alembic_full \
			"$PYTHON" -m alembic -c "$A/alembic.ini" revision --autogenerate -m full
	else
		strata_run "${ours[@]}"
		no_other
	fi
	if want autogen-empty; then
		row autogen-empty alembic "$d" "$N"
		[[ -n $sfail ]] && return # nothing to upgrade
	fi

	if want models; then
		echo "models" >&2
		strata_run true true -c "$S/strata.toml" models --dialect "$d"
		no_other
		row models - "$d" "$N"
	fi

	# The plain client runs the revision's statements, in one transaction
	# where the dialect has transactional DDL, as strata runs a revision.
	if [[ $d == sqlite ]]; then
		{
			echo 'BEGIN;'
			strata_upgrade_section $(revision)
			echo 'COMMIT;'
		} >"$full"
	else
		strata_upgrade_section $(revision) >"$full"
	fi

	echo "upgrade-full" >&2
	local label="(same DDL)"
	if [[ $d == postgres ]] && ! locks_fit "$N"; then
		echo "upgrade-full: $N tables need more locks than PostgreSQL's lock table holds in one transaction; revision and psql run statement by statement" >&2
		sed -i 's/^-- strata:upgrade$/-- strata:no-transaction\n&/' $(revision)
		single_tx= label="(same DDL, no -1)"
	fi
	client "$d" a "$full"
	single_tx=1
	if want upgrade-full; then
		pair "fresh $d s" "want_tables $d s $N" -c "$S/strata.toml" upgrade head -- \
			"fresh $d a" "want_tables $d a $N" "${cmd[@]}"
		row upgrade-full "${cmd[0]} $label" "$d" "$N"
		no_other
		if $use_alembic && [[ -z $fail ]]; then
			timeit "fresh $d a" "want_tables $d a $N" \
				"$PYTHON" -m alembic -c "$A/alembic.ini" upgrade head
		fi
		row upgrade-full "alembic upgrade" "$d" "$N"
	else
		fail=
		fresh "$d" s
		"$strata" -c "$S/strata.toml" upgrade head >/dev/null
		if $use_alembic && want check; then
			fresh "$d" a
			"$PYTHON" -m alembic -c "$A/alembic.ini" upgrade head >/dev/null 2>&1
		fi
	fi

	if want check; then
		echo "check" >&2
		if [[ $d == postgres ]]; then
			# What a pre-commit hook meets is a database autovacuum has
			# caught up with since its tables were made, not one whose
			# catalogs it is vacuuming and analyzing during the runs.
			psql -qd "$sdb" -c 'VACUUM (ANALYZE)'
			if $use_alembic; then psql -qd "$adb" -c 'VACUUM (ANALYZE)'; fi
		fi
		if $use_alembic && [[ -z $fail ]]; then
			pair true true -c "$S/strata.toml" check -- "rm -f $A/alembic/versions/*_nochange.py" check_alembic_none \
				"$PYTHON" -m alembic -c "$A/alembic.ini" revision --autogenerate -m nochange
		else
			strata_run true true -c "$S/strata.toml" check
			no_other
		fi
		row check "alembic no-change" "$d" "$N"
	fi

	want autogen-1col || return 0
	echo "autogen-1col: loading the schema into both databases" >&2
	local w
	for w in s a; do
		fresh "$d" "$w"
		if ! load "$d" "$w" "$full"; then
			st=- sm=- sfail="could not load the schema" t=- m=- fail=
			row autogen-1col alembic "$d" "$N"
			return
		fi
	done
	rm -f "$S"/migrations/*.sql "$A"/alembic/versions/*.py
	project "$d" -add-column
	echo "autogen-1col" >&2
	ours=("rm -f $S/migrations/*.sql" check_strata_one -c "$S/strata.toml" revision --autogenerate -m onecol)
	if $use_alembic; then
		pair "${ours[@]}" -- "rm -f $A/alembic/versions/*.py" check_alembic_one \
			"$PYTHON" -m alembic -c "$A/alembic.ini" revision --autogenerate -m onecol
	else
		strata_run "${ours[@]}"
		no_other
	fi
	row autogen-1col alembic "$d" "$N"
}

# bench_500 DIALECT times upgrade head of 500 tiny revisions against goose.
bench_500() {
	local d=$1
	echo "== $d, upgrade-500, $runs runs + 1 warm-up; $(load_note)" >&2
	printf 'database_url = "%s"\nversions_dir = "linear"\n' "${surl[$d]}" >"$work/linear.toml"
	if [[ -n $goose ]]; then
		pair "fresh $d s" "want_tables $d s 500" -c "$work/linear.toml" upgrade head -- \
			"fresh $d a" "want_tables $d a 500" "$goose" -dir "$work/goose" "${gdriver[$d]}" "${gdsn[$d]}" up
	else
		strata_run "fresh $d s" "want_tables $d s 500" -c "$work/linear.toml" upgrade head
		no_other
	fi
	row upgrade-500 "goose up" "$d" 500
}

declare -A surl aurl gdriver gdsn
surl=([sqlite]="sqlite://$work/s.db")
aurl=([sqlite]="sqlite:///$work/a.db")
gdriver=([sqlite]=sqlite3 [postgres]=postgres [mysql]=mysql)
gdsn=([sqlite]="$work/a.db")
active=()
for d in $DIALECTS; do
	case $d in
	postgres)
		if ! postgres_up; then
			echo "PostgreSQL at $PGHOST:$PGPORT does not answer; skipped" >&2
			continue
		fi
		register_db postgres "$sdb"
		register_db postgres "$adb"
		surl[$d]="postgres://$PGUSER@$PGHOST:$PGPORT/$sdb?sslmode=disable"
		aurl[$d]="postgresql+psycopg2://$PGUSER@$PGHOST:$PGPORT/$adb?sslmode=disable"
		gdsn[$d]="postgres://$PGUSER@$PGHOST:$PGPORT/$adb?sslmode=disable"
		;;
	mysql)
		if ! mysql_up; then
			echo "MariaDB at $MYSQL_HOST:$MYSQL_TCP_PORT does not answer; skipped" >&2
			continue
		fi
		register_db mysql "$sdb"
		register_db mysql "$adb"
		surl[$d]="mysql://$MYSQL_USER@$MYSQL_HOST:$MYSQL_TCP_PORT/$sdb"
		aurl[$d]="mysql+pymysql://$MYSQL_USER@$MYSQL_HOST:$MYSQL_TCP_PORT/$adb"
		gdsn[$d]="$MYSQL_USER@tcp($MYSQL_HOST:$MYSQL_TCP_PORT)/$adb"
		;;
	sqlite) ;;
	*)
		echo "unknown dialect $d (want postgres, mysql or sqlite); skipped" >&2
		continue
		;;
	esac
	active+=("$d")
done

"$gen" revisions -n 10000 -branch-every 10 -dir "$work/dag" >&2
"$gen" revisions -n 500 -linear -dir "$work/linear" >&2
"$gen" goose -n 500 -dir "$work/goose" >&2
started="$(date -u '+%Y-%m-%d %H:%M UTC'); $(load_note)"

runs=$RUNS
printf 'database_url = "sqlite://%s/unused.db"\nversions_dir = "dag"\n' "$work" >"$work/dag.toml"
for c in history heads; do
	want "$c" || continue
	echo "== $c on 10,000 revisions" >&2
	strata_run true true -c "$work/dag.toml" "$c"
	no_other
	row "$c" - - 10000
done
for d in ${active[@]+"${active[@]}"}; do
	want upgrade-500 && bench_500 "$d"
done
per_n=true
for N in $NS; do
	runs=$RUNS
	((N < 5000)) || runs=$RUNS_LARGE
	for d in ${active[@]+"${active[@]}"}; do
		bench_n "$d"
	done
done

printf '\nstrata vs others; started %s, ended %s; %s, goose %s, %s\n' \
	"$started" "$(load_note)" "$alembic_version" "${goose:+$GOOSE_VERSION}" "$(psql --version 2>/dev/null | head -1); $(my -N -e 'SELECT version()' 2>/dev/null || true)"
printf 'wall seconds, median of %s runs (%s for N >= 5000) after one warm-up; ratio = strata / other (3 significant digits), the median of the ratios of the alternating pairs; peak RSS MiB, median\n' "$RUNS" "$RUNS_LARGE"
printf '%-13s %-19s %-8s %6s %9s %9s %7s %7s %7s  %s\n' case vs dialect N strata other ratio s-MiB o-MiB note
printf '%s\n' "${rows[@]}"

# Growth: strata's median at each N over its median at the previous N.
ns=($NS)
if ((${#ns[@]} > 1)); then
	printf '\nstrata growth with N (median at N / median at the previous N)\n%-24s' "case dialect"
	for ((i = 1; i < ${#ns[@]}; i++)); do printf ' %12s' "${ns[i]}/${ns[i - 1]}"; done
	printf '\n'
	for k in $(printf '%s\n' "${!growth[@]}" | cut -d'|' -f1 | sort -u | tr ' ' '@'); do
		k=${k/@/ }
		printf '%-24s' "$k"
		for ((i = 1; i < ${#ns[@]}; i++)); do
			a=${growth["$k|${ns[i]}"]:-} b=${growth["$k|${ns[i - 1]}"]:-}
			if [[ -n $a && -n $b ]]; then
				printf ' %12s' "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1fx", (b > 0) ? a / b : 0 }')"
			else
				printf ' %12s' -
			fi
		done
		printf '\n'
	done
fi
