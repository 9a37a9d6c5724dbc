#!/usr/bin/env bash
# Times adopting an existing PostgreSQL database: `strata init --from-db`
# in a new Go module, on a database of N tables (bench/gen models: 14
# columns, a unique key, a composite index and a foreign key per table)
# plus a view, a function and a trigger per 100 tables, so the unmanaged
# objects are read and replayed too. One run is the whole adoption: read
# the schema and its unmanaged objects, write strata.toml, the models
# package (one file per table) and the baseline revision, stamp the
# database.
#
# The database is built once (the generated models' revision, upgraded).
# Before each run the project directory is recreated (go.mod only) and
# strata's version tables are dropped, untimed. The warm-up run's output is
# checked: N model files, a baseline with N CREATE TABLE statements and the
# views, functions and triggers, the database stamped at it.
#
# Prints the median wall time of RUNS runs (after one warm-up) with the
# min-max, and the peak RSS of strata (median and largest), read by
# /usr/bin/time (installed with apt-get when missing and run as root).
#
# Environment: N (default 1000), RUNS (default 7), PGHOST/PGPORT/PGUSER
# (127.0.0.1/5432/postgres, trust auth).
set -euo pipefail

cd "$(dirname "$0")/.."
. bench/lib.sh

N=${N:-1000}
RUNS=${RUNS:-7}

work=$(mktemp -d "${TMPDIR:-/tmp}/strata-adopt.XXXXXX")
db="strata_adopt_$$"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

if ! postgres_up; then
	echo "PostgreSQL at $PGHOST:$PGPORT does not answer" >&2
	exit 1
fi
rss_timer=()
if need_time; then
	rss_timer=(/usr/bin/time -f %M -o "$work/rss")
fi

echo "building strata and the generator" >&2
go build -o "$work/strata" ./cmd/strata
go build -o "$work/gen" ./bench/gen
strata=$work/strata
url="postgres://$PGUSER@$PGHOST:$PGPORT/$db?sslmode=disable"

echo "building a database of $N tables" >&2
register_db postgres "$db"
fresh_postgres "$db"
src=$work/src
mkdir -p "$src/migrations"
printf 'database_url = "%s"\nmodels = ["./models"]\n' "$url" >"$src/strata.toml"
"$work/gen" models -n "$N" -dir "$src" >&2
"$strata" -c "$src/strata.toml" revision --autogenerate -m base >/dev/null
# Statement by statement: one transaction creating 1,000 tables can fill
# the server's lock table while other work holds locks.
strata_upgrade_section "$src"/migrations/*.sql | psql -qAt -v ON_ERROR_STOP=1 -d "$db" >/dev/null
extras=$((N / 100))
mapfile -t tables < <(psql -qAt -d "$db" -c "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE 'strata%' ORDER BY table_name LIMIT $extras")
{
	for ((i = 0; i < extras; i++)); do
		t=${tables[i]}
		echo "CREATE VIEW bench_view_$i AS SELECT * FROM \"$t\";"
		echo "CREATE FUNCTION bench_touch_$i() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RETURN NEW; END \$\$;"
		echo "CREATE TRIGGER bench_trigger_$i BEFORE UPDATE ON \"$t\" FOR EACH ROW EXECUTE FUNCTION bench_touch_$i();"
	done
} | psql -qAt -v ON_ERROR_STOP=1 -d "$db" >/dev/null

proj=$work/proj
# prepare recreates the project and unstamps the database.
prepare() {
	rm -rf "$proj"
	mkdir -p "$proj"
	printf 'module example.com/adopt\n\ngo 1.26\n' >"$proj/go.mod"
	PGOPTIONS="-c client_min_messages=warning" psql -qAt -d "$db" -c "DROP TABLE IF EXISTS strata_version, strata_version_revisions" >/dev/null
}

# check says what is wrong with the warm-up run's result.
check() {
	local n
	n=$(find "$proj/models" -name '*.go' | wc -l)
	((n >= N)) || echo "wrote $n model files, want $N"
	n=$(strata_upgrade_section "$proj"/migrations/*.sql | grep -c '^CREATE TABLE' || true)
	((n == N)) || echo "baseline has $n CREATE TABLE, want $N"
	for what in VIEW FUNCTION TRIGGER; do
		n=$(strata_upgrade_section "$proj"/migrations/*.sql | grep -Ec "^CREATE (OR REPLACE )?$what" || true)
		((n == extras)) || echo "baseline has $n CREATE $what, want $extras"
	done
	"$strata" -c "$proj/strata.toml" current 2>&1 | grep -q head || echo "database not stamped at the baseline"
}

times=() rss=()
echo "timing init --from-db ($RUNS runs + 1 warm-up)" >&2
for ((i = 0; i <= RUNS; i++)); do
	prepare
	t0=$(date +%s%N)
	if ! (cd "$proj" && "${rss_timer[@]}" "$strata" init --from-db --database-url "$url" </dev/null >"$work/out" 2>"$work/err"); then
		echo "strata init --from-db failed:" >&2
		cat "$work/err" >&2
		exit 1
	fi
	t1=$(date +%s%N)
	if ((i == 0)); then
		problem=$(check)
		if [[ -n $problem ]]; then
			echo "unexpected result: $problem" >&2
			exit 1
		fi
		continue
	fi
	times+=($(((t1 - t0) / 1000000)))
	if ((${#rss_timer[@]})); then
		rss+=($(tail -1 "$work/rss"))
	fi
done

printf '\nstrata init --from-db, PostgreSQL, N=%d tables (+%d views, functions, triggers); %s\n' "$N" "$extras" "$(load_note)"
printf 'runs %d  wall s median %.3f [%.3f-%.3f]' "$RUNS" \
	"$(median "${times[@]}" | awk '{ print $1 / 1000 }')" \
	"$(printf '%s\n' "${times[@]}" | sort -n | head -1 | awk '{ print $1 / 1000 }')" \
	"$(printf '%s\n' "${times[@]}" | sort -n | tail -1 | awk '{ print $1 / 1000 }')"
if ((${#rss[@]})); then
	printf '  peak RSS MiB median %.0f max %.0f' \
		"$(median "${rss[@]}" | awk '{ print $1 / 1024 }')" \
		"$(printf '%s\n' "${rss[@]}" | sort -n | tail -1 | awk '{ print $1 / 1024 }')"
fi
echo
