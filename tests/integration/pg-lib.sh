# pg-lib.sh: a PostgreSQL 15 server for the tests of the PostgreSQL ledger
# (postgres.test, pg-agents.test, pg-outage.test, ledger-copy.test),
# sourced after lib.sh and ll_setup.
# pg_start_server installs postgresql-15 if it is missing (as scripts/test
# would: never a skip for want of the server), makes a cluster with
# initdb in the test's temp dir and starts it with pg_ctl on 127.0.0.1
# and a free port, as nobody when the test runs as root (initdb refuses
# root); the EXIT trap stops it (immediate mode), whatever happens, then
# runs lib.sh's cleanup.  su_psql runs psql as the superuser through the
# socket (trust): the test's own setup, never the programs'.
#
# Sets PGBIN PGROOT PGDATA PGSOCK PGLOG PGPORT BADPORT (a free port where
# nothing listens) and as_pg (the command prefix that runs as the
# server's user).
# pg_start_standby (pg-standby.test) adds a streaming standby of that
# cluster, made by pg_basebackup -R, on its own port (PGPORT2, PGDATA2),
# stopped by the same cleanup; pg_start_master and pg_start_agent run
# snmpd masters with a leaselined each (pg-writers.test, pg-standby.test).

PGBIN=/usr/lib/postgresql/15/bin

pg_need_server() {
	ll_need psql
	if [ ! -x "$PGBIN/initdb" ]; then
		. "$top_srcdir/scripts/lib-deps.sh"
		LL_DEPS=(postgresql-15)
		ll_deps_install >&2 || bail "cannot install postgresql-15"
		[ -x "$PGBIN/initdb" ] ||
			bail "$PGBIN/initdb missing after install"
	fi
}

pg_up=
# pg_ctl_as ARG...: pg_ctl on our cluster, as the server's user.
pg_ctl_as() {
	(cd / && "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" "$@")
}

# pg_stop [MODE]: immediate (the default: the cleanup's, a crash) or
# fast (what an operator's restart does).
pg_stop() {
	[ -n "$pg_up" ] || return 0
	pg_up=
	pg_ctl_as -m "${1:-immediate}" -w -t 20 stop >>"$PGLOG" 2>&1
}

# pg_start: starts the cluster pg_start_server made (again).
pg_start() {
	pg_up=1
	pg_ctl_as -l "$PGLOG" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGSOCK -c fsync=off" \
		start >>"$LL_TMP/pg_ctl.log" 2>&1
}

pg_cleanup() {
	local rc=$?
	pg_standby_stop
	pg_stop
	(exit $rc)
	ll_cleanup
}

# pg_start_server: initdb, start, trap; bails out when it cannot.
pg_start_server() {
	PGROOT=$LL_TMP/pg
	PGDATA=$PGROOT/data
	PGSOCK=$PGROOT/sock
	PGLOG=$LL_TMP/postgres.log
	mkdir -p "$PGROOT" "$PGSOCK"
	: >"$PGLOG"
	as_pg=()
	if [ "$(id -u)" -eq 0 ]; then
		chmod 0711 "$LL_TMP"
		chown -R nobody "$PGROOT" "$PGLOG"
		as_pg=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
	fi
	PGPORT=$("$LL_FREEPORT") || bail "no free port on 127.0.0.1"
	BADPORT=$("$LL_FREEPORT") || bail "no free port on 127.0.0.1"
	trap pg_cleanup EXIT
	(cd / && "${as_pg[@]}" "$PGBIN/initdb" -D "$PGDATA" -U postgres \
		--auth-local=trust --auth-host=scram-sha-256 --no-sync \
		-E UTF8 --locale=C.UTF-8) >>"$PGLOG" 2>&1 ||
		bail "initdb failed"
	pg_start || bail "pg_ctl start failed"
}

su_psql() {
	psql -X -q -v ON_ERROR_STOP=1 -h "$PGSOCK" -p "$PGPORT" -U postgres \
		-d "${DB:-leaseline}" "$@"
}

# ---- a streaming standby (pg-standby.test) ----------------------------------

pg_standby_up=
# pg_ctl2_as ARG...: pg_ctl on the standby's cluster, as the server's user.
pg_ctl2_as() {
	(cd / && "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGDATA2" "$@")
}

# pg_standby_stop [MODE]: like pg_stop, for the standby (or the primary
# it was promoted to).
pg_standby_stop() {
	[ -n "$pg_standby_up" ] || return 0
	pg_standby_up=
	pg_ctl2_as -m "${1:-immediate}" -w -t 20 stop >>"$PGLOG2" 2>&1
}

# pg_start_standby USER PASSWORD: pg_basebackup -R of the running cluster
# as the replication role USER (its password in a passfile of the
# server's user, which -R writes into primary_conninfo), started on
# 127.0.0.1 and a free port PGPORT2.  initdb's pg_hba.conf lets
# replication in from 127.0.0.1 with scram-sha-256.
pg_start_standby() {
	PGDATA2=$PGROOT/standby
	PGLOG2=$LL_TMP/postgres-standby.log
	PGREPLPASS=$PGROOT/replpass
	: >"$PGLOG2"
	echo "127.0.0.1:$PGPORT:*:$1:$2" >"$PGREPLPASS"
	chmod 0600 "$PGREPLPASS"
	if [ "${#as_pg[@]}" -gt 0 ]; then
		chown nobody "$PGREPLPASS" "$PGLOG2"
	fi
	PGPORT2=$("$LL_FREEPORT") || bail "no free port on 127.0.0.1"
	(cd / && "${as_pg[@]}" env PGPASSFILE="$PGREPLPASS" \
		"$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PGPORT" -U "$1" \
		-D "$PGDATA2" -R -X stream -c fast --no-sync) >>"$PGLOG2" 2>&1 ||
		return 1
	pg_standby_start
}

# pg_standby_start: starts the standby's cluster (again).
pg_standby_start() {
	pg_standby_up=1
	pg_ctl2_as -l "$PGLOG2" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $PGPORT2 -k $PGSOCK -c fsync=off" \
		start >>"$LL_TMP/pg_ctl.log" 2>&1
}

# ---- snmpd masters with a leaselined each ---------------------------------

# Indexed by the agent's number I.
PG_SNMPD_PID=()
PG_AGENT_PID=()
PG_SNMP_PORT=()

# pg_start_master I: snmpd master I on its own port and AgentX socket,
# its traps to the one snmptrapd (ll_start_snmptrapd first).
pg_start_master() {
	local i=$1 n
	PG_SNMP_PORT[i]=$("$LL_FREEPORT") || bail "no free port on 127.0.0.1"
	cat >"$LL_TMP/snmpd$i.conf" <<EOF
master agentx
dontLogTCPWrappersConnects yes
agentXSocket $LL_TMP/agentx$i.sock
agentXTimeout 5
agentXRetries 1
view all included .1
rocommunity public 127.0.0.1 -V all
trap2sink 127.0.0.1:$LL_TRAP_PORT public
EOF
	snmpd -f -r -C -I -smux -c "$LL_TMP/snmpd$i.conf" \
		-p "$LL_TMP/snmpd$i.pid" -Lf "$LL_TMP/snmpd$i.log" \
		"udp:127.0.0.1:${PG_SNMP_PORT[i]}" </dev/null \
		>>"$LL_TMP/snmpd.out.log" 2>&1 &
	PG_SNMPD_PID[i]=$!
	LL_PIDS+=("$!")
	for ((n = 0; n < 30; n++)); do
		snmpget -v2c -c public -t 0.5 -r 0 \
			"127.0.0.1:${PG_SNMP_PORT[i]}" \
			SNMPv2-MIB::sysUpTime.0 >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	return 1
}

# pg_agent_answers I: agent I's LEASELINE-MIB answers through master I.
pg_agent_answers() {
	local v
	v=$(snmpget -v2c -c public -t 1 -r 0 -Oqv \
		"127.0.0.1:${PG_SNMP_PORT[$1]}" \
		LEASELINE-MIB::llAgentVersion.0 2>/dev/null) || return 1
	[ -n "$v" ] && [[ $v != No\ Such* ]]
}

# pg_agent_getv I OID...: values (-Oqv) from master I.
pg_agent_getv() {
	local i=$1
	shift
	timeout 60 snmpget -v2c -t 3 -r 1 -c public -Oqv \
		"127.0.0.1:${PG_SNMP_PORT[i]}" "$@"
}

# pg_agent_walk I OID: a bulk walk of OID through master I.
pg_agent_walk() {
	timeout 120 snmpbulkwalk -v2c -t 3 -r 1 -c public \
		"127.0.0.1:${PG_SNMP_PORT[$1]}" "$2"
}

# pg_start_agent I CONF URI DAY [DAYFILE]: leaselined I under master I.
pg_start_agent() {
	local i=$1 conf=$2 uri=$3 day=$4 dayfile=${5:-}
	local extra=()
	[ -z "$dayfile" ] || extra=(--date-file "$dayfile")
	"$LL_LEASELINED" -f -c "$conf" -x "$LL_TMP/agentx$i.sock" \
		--date "$day" "${extra[@]}" -l "$uri" \
		-p "$LL_TMP/leaselined$i.pid" </dev/null \
		>>"$LL_TMP/leaselined$i.log" 2>&1 &
	PG_AGENT_PID[i]=$!
	LL_PIDS+=("$!")
}
