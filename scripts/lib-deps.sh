# lib-deps.sh: sourced by scripts/demo and scripts/test.
#
# ll_deps_install: makes sure the Debian 12 packages of LL_DEPS (what
# leaseline needs to build and demonstrate itself) are installed; installs
# the missing ones with apt-get (as root, or through sudo).  Does nothing
# when all are there already, so it is cheap to call every time.
# scripts/test adds LL_TEST_DEPS first: every tool a test uses, so that
# no test is skipped for a missing program on a fresh machine.
#
# ll_repo_root: the top of the source tree these scripts live in.

LL_DEPS=(
	build-essential autoconf automake libtool pkg-config
	libsnmp-dev snmpd snmp snmptrapd
	libconfig-dev libsqlite3-dev sqlite3 libpq-dev libcmocka-dev
	smitools erlang-snmp
)

# What the test suite runs besides: the sanitizers and libFuzzer (clang),
# valgrind, clang-format, xxd (badinput.test decodes hex), procps and
# e2fsprogs (ps, chattr: the fault tests), python3 with its YAML parser
# (ctl.test's JSON, zabbix.test's template), strace and systemd (for
# systemd-analyze: privilege.test checks the unit), Nagios 4 and Icinga 2
# (nagios.test runs check_leaseline under both), and a Zabbix 6.0 server
# with its PostgreSQL and PHP frontend, and Chromium with a font of Chinese
# glyphs to render its dashboard headless (zabbix.test).  mailutils stands
# first for the "mailx" that nagios4-common needs: with bsd-mailx, apt
# would bring a mail server (exim4) along.  debhelper, lintian and
# debootstrap: debian-package.test builds the packages, checks them and
# installs them in a throwaway chroot.  prometheus,
# prometheus-snmp-exporter (with its generator), snmptt and libsnmp-perl:
# prometheus.test and snmptt.test run them against the agent.
# postgresql-15 (initdb, pg_ctl, psql): postgres.test runs the ledger's
# PostgreSQL engine against a server of its own.
LL_TEST_DEPS=(
	valgrind clang libclang-rt-14-dev clang-format strace xxd
	procps e2fsprogs python3 python3-yaml systemd
	mailutils nagios4-core icinga2-bin
	zabbix-server-pgsql zabbix-frontend-php php-pgsql php-cli postgresql curl
	postgresql-15
	chromium fonts-wqy-zenhei
	debhelper lintian debootstrap
	prometheus prometheus-snmp-exporter snmptt libsnmp-perl
)

ll_repo_root() {
	(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
}

ll_say() {
	printf '%s: %s\n' "${0##*/}" "$*" >&2
}

# The packages of LL_DEPS that are not installed, one per line.
ll_deps_missing() {
	local p status
	for p in "${LL_DEPS[@]}"; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) || status=
		[ "$status" = "install ok installed" ] || echo "$p"
	done
}

ll_deps_install() {
	local missing sudo=()

	if ! command -v dpkg-query >/dev/null 2>&1; then
		ll_say "not a Debian system: install the equivalents of" \
			"${LL_DEPS[*]} yourself, then run again"
		# Carry on: the build says precisely what it lacks.
		return 0
	fi
	mapfile -t missing < <(ll_deps_missing)
	[ ${#missing[@]} -gt 0 ] || return 0

	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			sudo=(sudo)
		else
			ll_say "missing packages: ${missing[*]}"
			ll_say "not root and no sudo: install them as root" \
				"(apt-get install ${missing[*]}), then run again"
			return 1
		fi
	fi
	ll_say "installing ${missing[*]}"
	local start=$SECONDS before
	before=$(dpkg-query -W -f='${Status}\n' | grep -c ' installed$')
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
		return 1
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" || return 1
	mapfile -t missing < <(ll_deps_missing)
	if [ ${#missing[@]} -gt 0 ]; then
		ll_say "still missing after apt-get: ${missing[*]}"
		return 1
	fi
	ll_say "packages: $(($(dpkg-query -W -f='${Status}\n' |
		grep -c ' installed$') - before)) installed in" \
		"$((SECONDS - start)) s"
	return 0
}

# ll_build DIR [CONFIGURE-ARG...]: configures (when DIR has no Makefile
# yet, or configure changed) and builds the tree out of DIR.
ll_build() {
	local dir=$1 src
	shift
	src=$(ll_repo_root)
	if [ ! -x "$src/configure" ] || [ "$src/configure.ac" -nt "$src/configure" ] ||
		[ "$src/Makefile.am" -nt "$src/Makefile.in" ]; then
		(cd "$src" && ./autogen.sh) || return 1
	fi
	mkdir -p "$dir" || return 1
	if [ ! -f "$dir/Makefile" ] || [ "$src/configure" -nt "$dir/Makefile" ] ||
		[ "$(cat "$dir/.ll-configure-args" 2>/dev/null)" != "$*" ]; then
		(cd "$dir" && "$src/configure" "$@") || return 1
		printf '%s' "$*" >"$dir/.ll-configure-args"
	fi
	make -C "$dir" -j2 || return 1
}
