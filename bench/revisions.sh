#!/usr/bin/env bash
# Times strata on large revision directories:
#   - strata history and strata heads on 10,000 revisions with branches and
#     merges (target: under 300 ms each);
#   - strata upgrade head of 1,000 linear one-statement revisions on SQLite,
#     PostgreSQL and MariaDB, each against a baseline: the same statements in
#     one script run by sqlite3, psql and mariadb. The difference divided by
#     the number of revisions is strata's overhead per revision (target:
#     under 5 ms).
#
# Every upgrade run starts on a fresh database. Uses hyperfine when present
# (installing it with apt-get when run as root); otherwise a loop timed with
# date. Prints the median of RUNS runs.
#
# Environment: RUNS (default 7), DAG_REVISIONS (10000), LINEAR_REVISIONS
# (1000), PGHOST/PGPORT/PGUSER (127.0.0.1/5432/postgres, trust auth),
# MYSQL_HOST/MYSQL_TCP_PORT/MYSQL_USER (127.0.0.1/3306/root, no password),
# NO_HYPERFINE=1 to use the fallback loop. A server that does not answer is
# skipped.
set -euo pipefail

cd "$(dirname "$0")/.."
. bench/lib.sh

RUNS=${RUNS:-7}
DAG_REVISIONS=${DAG_REVISIONS:-10000}
LINEAR_REVISIONS=${LINEAR_REVISIONS:-1000}

work=$(mktemp -d "${TMPDIR:-/tmp}/strata-bench.XXXXXX")
export BENCH_DB="strata_bench_$$"
export BENCH_WORK="$work"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# fresh_sqlite empties the benchmark database, as fresh_postgres and
# fresh_mysql do; hyperfine runs them as --prepare commands in bash, hence
# the export.
fresh_sqlite() { rm -f "$BENCH_WORK/bench.db"; }
export -f fresh_sqlite

if [[ -z ${NO_HYPERFINE:-} ]] && ! command -v hyperfine >/dev/null; then
	apt_install hyperfine || echo "could not install hyperfine; timing with a loop" >&2
fi
use_hyperfine=false
if [[ -z ${NO_HYPERFINE:-} ]] && command -v hyperfine >/dev/null; then
	use_hyperfine=true
fi

# median_ms PREPARE COMMAND prints the median wall time of COMMAND in
# milliseconds over RUNS runs, running PREPARE (untimed) before each.
median_ms() {
	local prepare=$1 cmd=$2
	if $use_hyperfine; then
		hyperfine --shell=bash --style=none --warmup 1 --runs "$RUNS" --prepare "$prepare" \
			--export-json "$work/hf.json" "$cmd" >/dev/null
		if command -v jq >/dev/null; then
			jq -r '.results[0].median * 1000' "$work/hf.json"
		else
			python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"]*1000)' "$work/hf.json"
		fi
		return
	fi
	local times=() i t0 t1
	bash -c "$prepare; $cmd" # warm-up
	for ((i = 0; i < RUNS; i++)); do
		bash -c "$prepare"
		t0=$(date +%s%N)
		bash -c "$cmd"
		t1=$(date +%s%N)
		times+=($(((t1 - t0) / 1000)))
	done
	printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {
		m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		print m / 1000
	}'
}

rows=()
# row NAME MEDIAN_MS [OVERHEAD] records one line of the result table.
row() { rows+=("$(printf '%-48s %10.1f ms  %s' "$1" "$2" "${3:-}")"); }

echo "building strata and the generator" >&2
go build -o "$work/strata" ./cmd/strata
go build -o "$work/gen" ./bench/gen
"$work/gen" revisions -n "$DAG_REVISIONS" -branch-every 10 -dir "$work/dag" >&2
"$work/gen" revisions -n "$LINEAR_REVISIONS" -linear -dir "$work/linear" -script "$work/baseline.sql" >&2
strata=$work/strata

printf 'database_url = "sqlite://%s/unused.db"\nversions_dir = "dag"\n' "$work" >"$work/dag.toml"
echo "timing history and heads on $DAG_REVISIONS revisions ($RUNS runs each)" >&2
for c in history heads; do
	t=$(median_ms true "'$strata' -c '$work/dag.toml' $c >/dev/null")
	row "strata $c ($DAG_REVISIONS revisions)" "$t"
done

# upgrade DIALECT URL BASELINE_NAME BASELINE_COMMAND times strata upgrade
# head and the baseline script on fresh databases.
upgrade() {
	local d=$1 url=$2 bname=$3 bcmd=$4 toml="$work/$1.toml" s b o
	printf 'database_url = "%s"\nversions_dir = "linear"\n' "$url" >"$toml"
	echo "timing upgrade of $LINEAR_REVISIONS revisions on $d ($RUNS runs each)" >&2
	s=$(median_ms "fresh_$d $BENCH_DB" "'$strata' -c '$toml' upgrade head >/dev/null")
	b=$(median_ms "fresh_$d $BENCH_DB" "$bcmd >/dev/null")
	o=$(awk -v s="$s" -v b="$b" -v n="$LINEAR_REVISIONS" 'BEGIN { printf "%.2f ms/revision overhead", (s - b) / n }')
	row "strata upgrade head, $d ($LINEAR_REVISIONS revisions)" "$s" "$o"
	row "  baseline: $bname, one script" "$b"
}

upgrade sqlite "sqlite://$work/bench.db" sqlite3 "sqlite3 '$work/bench.db' <'$work/baseline.sql'"
if postgres_up; then
	register_db postgres "$BENCH_DB"
	upgrade postgres "postgres://$PGUSER@$PGHOST:$PGPORT/$BENCH_DB?sslmode=disable" "psql -q -f" \
		"psql -q -v ON_ERROR_STOP=1 -d $BENCH_DB -f '$work/baseline.sql'"
else
	echo "PostgreSQL at $PGHOST:$PGPORT does not answer; skipped" >&2
fi
if mysql_up; then
	register_db mysql "$BENCH_DB"
	upgrade mysql "mysql://$MYSQL_USER@$MYSQL_HOST:$MYSQL_TCP_PORT/$BENCH_DB" mariadb \
		"my $BENCH_DB <'$work/baseline.sql'"
else
	echo "MariaDB at $MYSQL_HOST:$MYSQL_TCP_PORT does not answer; skipped" >&2
fi

timer=loop
$use_hyperfine && timer=hyperfine
printf '\n%-48s %13s  %s\n' "command (median of $RUNS, $timer)" "time" "per revision"
printf '%s\n' "${rows[@]}"
