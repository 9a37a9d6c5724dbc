# Shell shared by the bench scripts; source it after `set -euo pipefail`.
#
# Servers: PGHOST/PGPORT/PGUSER (127.0.0.1/5432/postgres, trust auth) and
# MYSQL_HOST/MYSQL_TCP_PORT/MYSQL_USER (127.0.0.1/3306/root, no password),
# exported so that psql, mariadb and the scripts' subshells see them.

export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export MYSQL_HOST=${MYSQL_HOST:-127.0.0.1} MYSQL_TCP_PORT=${MYSQL_TCP_PORT:-3306} MYSQL_USER=${MYSQL_USER:-root}

# my runs the mariadb client on the benchmark server.
my() { mariadb -h "$MYSQL_HOST" -P "$MYSQL_TCP_PORT" -u "$MYSQL_USER" "$@"; }

# postgres_up and mysql_up say whether the server answers.
postgres_up() { psql -qAt -d postgres -c 'SELECT 1' >/dev/null 2>&1; }
mysql_up() { my -e 'SELECT 1' >/dev/null 2>&1; }

# fresh_postgres DB and fresh_mysql DB drop and recreate database DB, empty.
fresh_postgres() {
	PGOPTIONS="-c client_min_messages=warning" psql -qAt -v ON_ERROR_STOP=1 -d postgres \
		-c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null
}
fresh_mysql() { my -e "DROP DATABASE IF EXISTS $1; CREATE DATABASE $1"; }
# Exported for hyperfine's --prepare, which runs in a fresh bash.
export -f my fresh_postgres fresh_mysql

# bench_dbs lists the server databases bench_cleanup drops, as DIALECT:NAME.
bench_dbs=()
# register_db DIALECT NAME has bench_cleanup drop the database on exit.
register_db() { bench_dbs+=("$1:$2"); }

# bench_cleanup drops the registered databases and removes $work; the
# scripts install it with `trap bench_cleanup EXIT`.
bench_cleanup() {
	local e
	for e in ${bench_dbs[@]+"${bench_dbs[@]}"}; do
		case $e in
		postgres:*) psql -qAt -d postgres -c "DROP DATABASE IF EXISTS ${e#*:} WITH (FORCE)" >/dev/null 2>&1 || true ;;
		mysql:*) my -e "DROP DATABASE IF EXISTS ${e#*:}" >/dev/null 2>&1 || true ;;
		esac
	done
	if [[ -n ${work:-} ]]; then
		rm -rf "$work"
	fi
}

# apt_install PACKAGE... installs Debian packages when run as root with
# apt-get, updating the package lists once if the first try fails. It
# fails when the packages could not be installed.
apt_install() {
	[[ $(id -u) == 0 ]] && command -v apt-get >/dev/null || return 1
	echo "installing $*" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1; }
}

# need_time makes sure /usr/bin/time is there, which reads peak RSS; it
# fails if it is not and cannot be installed.
need_time() {
	[[ -x /usr/bin/time ]] || apt_install time || {
		echo "no /usr/bin/time; peak memory not measured" >&2
		return 1
	}
}

# median prints the median of its numeric arguments ("-" for none).
median() {
	printf '%s\n' "$@" | awk 'NF' | sort -g | awk '{ a[NR] = $1 } END {
		if (NR == 0) { print "-"; exit }
		print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
	}'
}

# load_note prints the load average, for the record of a noisy machine.
load_note() { echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"; }

# strata_upgrade_section FILE... prints the non-blank, non-comment lines of
# the upgrade section of strata revision files.
strata_upgrade_section() {
	awk '/^-- strata:upgrade$/ { f = 1; next } /^-- strata:downgrade$/ { f = 0 } f && NF && !/^--/' "$@"
}
