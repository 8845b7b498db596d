# lib.sh: sourced by every tests/integration/*.test.
#
# Gives a test a private SNMP topology on loopback and TAP helpers:
#
#   ll_setup                 temp dir, MIB environment, free ports
#   ll_start_snmpd           snmpd on udp:127.0.0.1:$LL_PORT, AgentX master
#                            on the unix socket $LL_AGENTX
#   ll_start_leaselined DAY [CONFIG]
#                            leaselined on CONFIG (conf/leaseline.conf by
#                            default), evaluating on DAY; waits until the
#                            module answers through snmpd
#   ll_get / ll_getv / ll_walk ...
#                            net-snmp tools aimed at that snmpd
#   plan N, ok, not_ok, is, like, diag, done_testing
#
# Run by `make check` (AM_TESTS_ENVIRONMENT exports top_srcdir and
# top_builddir), or by hand:
#   top_srcdir=$PWD top_builddir=$PWD/build bash tests/integration/walk.test
#
# Rules every test keeps: everything is bounded in time; only 127.0.0.1 is
# ever addressed; only processes this test started are ever signalled, by
# their PID; the temp dir is removed on success, and kept (with the logs
# printed as TAP comments) when anything failed.

: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir

LL_LEASELINED=$top_builddir/agent/leaselined
LL_FREEPORT=$top_builddir/tests/freeport
LL_CONFIG=$top_srcdir/conf/leaseline.conf
LL_MIBROOT=.1.3.6.1.4.1.8072.9999.9999.42
LL_TIMEOUT=${LL_TIMEOUT:-300} # seconds, for the whole test

LL_TMP=
LL_PIDS=()           # every process this test started, by PID
LL_SNMPD_WRAP=()     # a command snmpd runs under (env LD_PRELOAD=...)
LL_SNMPD_ARGS=()     # more options for snmpd (-u nobody)
LL_SNMPD_PID=
LL_LEASELINED_PID=
LL_WATCHDOG_PID=

# ---------------------------------------------------------------- TAP --

ll_tap_n=0
ll_tap_failed=0
ll_tap_planned=

plan() {
	ll_tap_planned=$1
	echo "1..$1"
}

# automake's TAP driver reads the skip from the plan line; a non-zero exit
# would be an error to it.
skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

diag() {
	local line
	printf '%s\n' "$@" | while IFS= read -r line; do
		printf '# %s\n' "$line"
	done
}

ok() { # ok DESCRIPTION
	ll_tap_n=$((ll_tap_n + 1))
	echo "ok $ll_tap_n - $1"
}

not_ok() { # not_ok DESCRIPTION [DIAGNOSTIC LINE...]
	ll_tap_n=$((ll_tap_n + 1))
	ll_tap_failed=$((ll_tap_failed + 1))
	echo "not ok $ll_tap_n - $1"
	shift
	[ $# -eq 0 ] || diag "$@"
}

# check DESCRIPTION COMMAND [ARG...]: ok when the command exits 0; its
# output is shown when it does not.
check() {
	local desc=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$desc"
	else
		not_ok "$desc" "command: $*" "exit status: $rc" "output:" "$out"
	fi
}

# is GOT EXPECTED DESCRIPTION: exact comparison of two strings (bytes).
is() {
	if [ "$1" == "$2" ]; then
		ok "$3"
	else
		not_ok "$3" "     got: '$1'" "expected: '$2'"
	fi
}

# like GOT REGEX DESCRIPTION: bash extended regex match.
like() {
	if [[ $1 =~ $2 ]]; then
		ok "$3"
	else
		not_ok "$3" "     got: '$1'" "expected to match: /$2/"
	fi
}

# contains GOT SUBSTRING DESCRIPTION
contains() {
	if [[ $1 == *"$2"* ]]; then
		ok "$3"
	else
		not_ok "$3" "     got: '$1'" "expected to contain: '$2'"
	fi
}

# done_testing: a plan mismatch is a failure too.
done_testing() {
	if [ -n "$ll_tap_planned" ] && [ "$ll_tap_n" -ne "$ll_tap_planned" ]; then
		diag "planned $ll_tap_planned tests but ran $ll_tap_n"
		ll_tap_failed=$((ll_tap_failed + 1))
	fi
	[ "$ll_tap_failed" -eq 0 ]
}

# BAIL: an abort the rest of the test cannot run past.
bail() {
	echo "Bail out! $*"
	ll_tap_failed=$((ll_tap_failed + 1))
	exit 1
}

# ---------------------------------------------------------- processes --

# ll_alive PID: true while PID runs (a zombie child counts as gone).
ll_alive() {
	local stat
	[ -n "$1" ] || return 1
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# ll_wait_gone PID SECONDS: waits until PID has exited; false on timeout.
ll_wait_gone() {
	local pid=$1 tenths=$(($2 * 10))
	while [ "$tenths" -gt 0 ]; do
		ll_alive "$pid" || return 0
		sleep 0.1
		tenths=$((tenths - 1))
	done
	! ll_alive "$pid"
}

# ll_reap PID: sets LL_STATUS to the exit status of our child PID, which
# must be gone (call ll_wait_gone first).  Not in a subshell: only this
# shell can wait for its children.
# shellcheck disable=SC2034 # LL_STATUS is read by the tests
ll_reap() {
	LL_STATUS=0
	wait "$1" 2>/dev/null || LL_STATUS=$?
	ll_forget "$1"
}

ll_forget() {
	local p keep=()
	for p in "${LL_PIDS[@]}"; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	LL_PIDS=("${keep[@]}")
}

# ll_stop PID: TERM, then KILL after 10 s; only ever a PID we started.
ll_stop() {
	local pid=$1 p mine=
	[ -n "$pid" ] || return 0
	for p in "${LL_PIDS[@]}"; do
		[ "$p" = "$pid" ] && mine=1
	done
	[ -n "$mine" ] || return 0
	if ll_alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null
		if ! ll_wait_gone "$pid" 10; then
			diag "PID $pid ignored SIGTERM for 10 s: killing it"
			kill -KILL "$pid" 2>/dev/null
			ll_wait_gone "$pid" 5
		fi
	fi
	wait "$pid" 2>/dev/null
	ll_forget "$pid"
	return 0
}

ll_dump_file() { # ll_dump_file TITLE FILE
	[ -s "$2" ] || return 0
	# snmpd logs a line per request (with -Lo/-Lf): noise that would
	# push what matters out of the last lines.
	diag "---- $1 ($2), last 60 lines but snmpd's \"Connection from\" ----"
	diag "$(grep -v '^Connection from ' "$2" | tail -n 60)"
}

ll_cleanup() {
	local rc=$? i
	trap - EXIT INT TERM HUP
	for ((i = ${#LL_PIDS[@]} - 1; i >= 0; i--)); do
		ll_stop "${LL_PIDS[i]}"
	done
	if [ -n "$LL_WATCHDOG_PID" ]; then
		kill -TERM "$LL_WATCHDOG_PID" 2>/dev/null
		wait "$LL_WATCHDOG_PID" 2>/dev/null
	fi
	if [ -n "$ll_tap_planned" ] && [ "$ll_tap_n" -ne "$ll_tap_planned" ]; then
		rc=1
	fi
	if [ "$rc" -ne 0 ] || [ "$ll_tap_failed" -ne 0 ]; then
		[ "$rc" -ne 0 ] || rc=1
		if [ -n "$LL_TMP" ] && [ -d "$LL_TMP" ]; then
			local f
			for f in "$LL_TMP"/*.log; do
				[ -e "$f" ] && ll_dump_file "${f##*/}" "$f"
			done
			diag "temp dir kept: $LL_TMP"
		fi
	elif [ -n "$LL_TMP" ] && [ -d "$LL_TMP" ]; then
		rm -rf -- "$LL_TMP"
	fi
	exit "$rc"
}

# --------------------------------------------------------------- setup --

# ll_asan PROGRAM: true if PROGRAM is built with AddressSanitizer, its
# runtime linked in (gcc) or built in (clang).
ll_asan() {
	ldd "$1" 2>/dev/null | grep -q libasan ||
		grep -q __asan_init "$1" 2>/dev/null
}

ll_need() { # ll_need COMMAND...: skip the whole test if one is missing
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip_all "$c not found"
	done
}

ll_setup() {
	PATH=$PATH:/usr/sbin:/sbin
	ll_need snmpd snmpwalk snmpget snmpbulkwalk snmptable snmptranslate \
		snmpset timeout
	[ -x "$LL_LEASELINED" ] || bail "$LL_LEASELINED not built"
	[ -x "$LL_FREEPORT" ] || bail "$LL_FREEPORT not built"

	# Base MIBs: SNMPv2-SMI and friends come from erlang-snmp on Debian.
	local erl= d
	for d in /usr/lib/erlang/lib/snmp-*/mibs; do
		[ -r "$d/SNMPv2-SMI.mib" ] && erl=$d
	done
	[ -n "$erl" ] || skip_all "base MIBs not found in" \
		"/usr/lib/erlang/lib/snmp-*/mibs (apt-get install erlang-snmp)"

	LL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/leaseline-test.XXXXXX") ||
		bail "mktemp failed"
	trap ll_cleanup EXIT
	trap 'exit 143' TERM
	trap 'exit 130' INT
	trap 'exit 129' HUP

	# The watchdog ends a test that hangs; it signals only this shell.
	(
		sleep "$LL_TIMEOUT" &
		trap 'kill $! 2>/dev/null; exit 0' TERM
		wait $!
		echo "Bail out! test timed out after ${LL_TIMEOUT}s"
		kill -TERM $$ 2>/dev/null
	) &
	LL_WATCHDOG_PID=$!

	# A quiet, private net-snmp environment: no system or user snmp.conf
	# (Debian's says "mibs :"), no persistent state outside the temp dir.
	mkdir -p "$LL_TMP/snmpconf" "$LL_TMP/persist"
	export SNMPCONFPATH=$LL_TMP/snmpconf
	export SNMP_PERSISTENT_DIR=$LL_TMP/persist
	export MIBDIRS=$top_srcdir/mibs:$erl:/usr/share/snmp/mibs
	export MIBS=LEASELINE-MIB
	unset LEASELINE_DATE

	LL_PORT=$("$LL_FREEPORT") || bail "no free port on 127.0.0.1"
	LL_AGENT=udp:127.0.0.1:$LL_PORT
	LL_AGENTX=$LL_TMP/agentx.sock
	LL_SNMPD_CONF=$LL_TMP/snmpd.conf
	LL_LEDGER=$LL_TMP/ledger.db
	LL_PIDFILE=$LL_TMP/leaselined.pid
	cat >"$LL_SNMPD_CONF" <<EOF
# written by tests/integration/lib.sh; the listening address
# ($LL_AGENT) is on snmpd's command line.
master agentx
dontLogTCPWrappersConnects yes
agentXSocket $LL_AGENTX
agentXTimeout 5
agentXRetries 1
view all included .1
rocommunity public 127.0.0.1 -V all
# Writes reach the module (and are refused by it) only with this one.
rwcommunity private 127.0.0.1 $LL_MIBROOT
EOF
}

# ll_start_snmpd: starts snmpd and waits (at most 15 s) until it answers.
# A restart finds its port taken for a moment now and then (a client of
# another test, a server still closing): snmpd then exits "Error opening
# specified endpoint", and is started again, up to 5 times a second apart.
ll_start_snmpd() {
	local i tries
	for ((tries = 1; ; tries++)); do
		ll_spawn_snmpd
		for ((i = 0; i < 30; i++)); do
			ll_alive "$LL_SNMPD_PID" || break
			if snmpget -v2c -c public -t 0.5 -r 0 -Oqv "$LL_AGENT" \
				SNMPv2-MIB::sysUpTime.0 >/dev/null 2>&1; then
				return 0
			fi
			sleep 0.5
		done
		if ll_alive "$LL_SNMPD_PID"; then
			diag "snmpd did not answer on $LL_AGENT within 15 s"
			return 1
		fi
		ll_reap "$LL_SNMPD_PID"
		if [ "$tries" -lt 5 ] && tail -n 3 "$LL_TMP/snmpd.log" |
			grep -q "Error opening specified endpoint"; then
			diag "snmpd could not open $LL_AGENT (try $tries); again in 1 s"
			sleep 1
			continue
		fi
		diag "snmpd exited at start (status $LL_STATUS):" \
			"$(tail -n 3 "$LL_TMP/snmpd.log" "$LL_TMP/snmpd.out.log")"
		return 1
	done
}

ll_spawn_snmpd() {
	# -I -smux: no SMUX listener on the fixed port 199.
	"${LL_SNMPD_WRAP[@]}" snmpd -f -r -C -I -smux -c "$LL_SNMPD_CONF" \
		-p "$LL_TMP/snmpd.pid" -Lf "$LL_TMP/snmpd.log" \
		"${LL_SNMPD_ARGS[@]}" "$LL_AGENT" \
		</dev/null >>"$LL_TMP/snmpd.out.log" 2>&1 &
	LL_SNMPD_PID=$!
	LL_PIDS+=("$LL_SNMPD_PID")
}

# ll_start_snmptrapd [trap|inform]: a snmptrapd on a free loopback port,
# logging one line per notification to $LL_TRAPLOG:
#     TRAP <varbind>|<varbind>|...
# and the snmpd configuration's sink aimed at it (trap2sink, or informsink
# so that the master waits for snmptrapd's acknowledgement).  Call it
# before ll_start_snmpd.
ll_start_snmptrapd() {
	local kind=${1:-trap} i
	ll_need snmptrapd
	LL_TRAP_PORT=$("$LL_FREEPORT") || bail "no free port on 127.0.0.1"
	LL_TRAPLOG=$LL_TMP/snmptrapd.log
	cat >"$LL_TMP/snmptrapd.conf" <<EOF
disableAuthorization yes
doNotRetainNotificationLogs yes
format2 TRAP %V|%v\n
EOF
	case $kind in
	inform) echo "informsink 127.0.0.1:$LL_TRAP_PORT public" ;;
	*) echo "trap2sink 127.0.0.1:$LL_TRAP_PORT public" ;;
	esac >>"$LL_SNMPD_CONF"
	snmptrapd -f -C -c "$LL_TMP/snmptrapd.conf" -Lf "$LL_TRAPLOG" \
		-p "$LL_TMP/snmptrapd.pid" "udp:127.0.0.1:$LL_TRAP_PORT" \
		</dev/null >>"$LL_TMP/snmptrapd.out.log" 2>&1 &
	LL_PIDS+=("$!")
	for ((i = 0; i < 50; i++)); do
		grep -q 'NET-SNMP version' "$LL_TRAPLOG" 2>/dev/null && return 0
		sleep 0.2
	done
	diag "snmptrapd did not start within 10 s"
	return 1
}

# ll_traps NAME: the log lines of notification NAME (llContractSuspended).
ll_traps() {
	grep -E "^TRAP .*= OID: LEASELINE-MIB::$1(\||$)" "$LL_TRAPLOG" 2>/dev/null
}

# ll_trap_count NAME
ll_trap_count() {
	ll_traps "$1" | wc -l
}

# ll_wait_traps NAME COUNT SECONDS: waits until COUNT of NAME arrived.
ll_wait_traps() {
	local end=$((SECONDS + $3))
	while [ "$(ll_trap_count "$1")" -lt "$2" ]; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# ll_trap_value LINE OBJECT: the value of OBJECT (llContractDaysOverdue,
# say) in a trap line, as snmptrapd printed it ("INTEGER: 31").
ll_trap_value() {
	printf '%s\n' "$1" | tr '|' '\n' |
		sed -n "s/^LEASELINE-MIB::$2\.[0-9.]* = //p" | head -n 1
}

# ll_module_answers: true when llAgentVersion.0 comes back through snmpd.
ll_module_answers() {
	local v
	v=$(snmpget -v2c -c public -t 1 -r 0 -Oqv "$LL_AGENT" \
		LEASELINE-MIB::llAgentVersion.0 2>/dev/null) || return 1
	[ -n "$v" ] && [[ $v != No\ Such* ]]
}

# ll_wait_module SECONDS: waits until the module answers.
ll_wait_module() {
	local end=$((SECONDS + $1))
	while [ "$SECONDS" -lt "$end" ]; do
		ll_module_answers && return 0
		if [ -n "$LL_LEASELINED_PID" ] &&
			! ll_alive "$LL_LEASELINED_PID"; then
			diag "leaselined exited"
			return 1
		fi
		sleep 0.3
	done
	ll_module_answers
}

# ll_spawn_leaselined DAY [CONFIG] [ARG...]: starts leaselined in the
# foreground, in the background of this shell, without waiting.
ll_spawn_leaselined() {
	local day=$1 conf=${2:-$LL_CONFIG}
	shift $(($# < 2 ? $# : 2))
	"$LL_LEASELINED" -f -c "$conf" -x "$LL_AGENTX" --date "$day" \
		-l "$LL_LEDGER" -p "$LL_PIDFILE" "$@" \
		</dev/null >>"$LL_TMP/leaselined.log" 2>&1 &
	LL_LEASELINED_PID=$!
	LL_PIDS+=("$LL_LEASELINED_PID")
}

# ll_start_leaselined DAY [CONFIG]: starts leaselined and waits (at most
# 20 s) until the module answers through snmpd.
ll_start_leaselined() {
	ll_spawn_leaselined "$@"
	ll_wait_module 20 && return 0
	diag "LEASELINE-MIB did not answer through snmpd within 20 s"
	return 1
}

ll_stop_leaselined() {
	ll_stop "$LL_LEASELINED_PID"
	LL_LEASELINED_PID=
}

# ll_start DAY: the usual topology; bails out when it cannot come up.
ll_start() {
	ll_start_snmpd || bail "snmpd did not start"
	ll_start_leaselined "$@" || bail "leaselined did not start"
}

# ll_wait_for SECONDS COMMAND [ARG...]: runs COMMAND every 0.2 s until it
# succeeds (true) or SECONDS have passed (false).
ll_wait_for() {
	local end=$((SECONDS + $1))
	shift
	while :; do
		"$@" && return 0
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# ------------------------------------------------------ SNMP requests --

# Every request: SNMPv2c, 3 s timeout, one retry, at most 60 s in all.
LL_SNMP_OPTS=(-v2c -t 3 -r 1)

ll_snmp() { # ll_snmp TOOL [ARG...]: TOOL aimed at our snmpd
	local tool=$1
	shift
	timeout 60 "$tool" "${LL_SNMP_OPTS[@]}" -c public "$LL_AGENT" "$@"
}

# The value only, as net-snmp prints it (-Oqv); strings without quotes
# (-OQ keeps enum labels, -Oa prints octets as text).
ll_getv() { # ll_getv OID...
	timeout 60 snmpget "${LL_SNMP_OPTS[@]}" -c public -Oqv "$LL_AGENT" "$@"
}

# ll_gete OID: the value with enumerations as numbers (-Oe).
ll_gete() {
	timeout 60 snmpget "${LL_SNMP_OPTS[@]}" -c public -Oqve "$LL_AGENT" "$@"
}

# ll_value_is OID EXPECTED: true when ll_getv OID prints EXPECTED.
ll_value_is() {
	[ "$(ll_getv "$1" 2>/dev/null)" == "$2" ]
}

ll_get() { # ll_get [OPTIONS] OID...: full snmpget
	timeout 60 snmpget "${LL_SNMP_OPTS[@]}" -c public "$LL_AGENT" "$@"
}

ll_walk() { # ll_walk [OPTIONS] OID
	timeout 120 snmpwalk "${LL_SNMP_OPTS[@]}" -c public "$LL_AGENT" "$@"
}

ll_bulkwalk() { # ll_bulkwalk [OPTIONS] OID
	timeout 120 snmpbulkwalk "${LL_SNMP_OPTS[@]}" -c public "$LL_AGENT" "$@"
}

ll_table() { # ll_table [OPTIONS] TABLE
	timeout 120 snmptable "${LL_SNMP_OPTS[@]}" -c public "$LL_AGENT" "$@"
}

# ll_datetime GOT: DateAndTime as net-snmp prints it with -Oqv, e.g.
# "2022-12-31,0:0:0.0,+8:0"; this helper only exists so tests can say
# what they expect in one place.
ll_date() { # ll_date Y M D: the DateAndTime of 00:00 +08:00 that day
	printf '%d-%d-%d,0:0:0.0,+8:0' "$1" "$((10#$2))" "$((10#$3))"
}
