# zabbix-lib.sh: a private Zabbix 6.0 for zabbix.test, from Debian 12's
# packages, on loopback, in the test's temp dir.  Sourced after lib.sh.
#
#   zbx_prepare              true when a Zabbix can be started here; else
#                            false with the reason in ZBX_SKIP (as when
#                            ZBX_PACKAGES are not installed: scripts/test
#                            installs them).
#   zbx_init                 its temp dir and EXIT trap; call it first
#   zbx_start                PostgreSQL cluster + schema, zabbix_server,
#                            frontend (php -S), API login; false with the
#                            reason in ZBX_ERROR
#   zbx_call METHOD PARAMS   one JSON-RPC call; the result in ZBX_RESULT
#   zbx_q EXPR               a PHP expression on the decoded result $r
#   zbx_prepare_snmptrapd    its configuration, and snmpd's trap2sink to it
#                            (before ll_start_snmpd)
#   zbx_start_snmptrapd      snmptrapd writing Zabbix's SNMP trapper file
#
# Everything this starts runs in a process group of its own and is
# stopped by zbx_stop_all (PID and group, never by name), which the EXIT
# trap calls before lib.sh's ll_cleanup.  Nothing is written outside the
# temp dir: the frontend is pointed at our
# zabbix.conf.php by an auto_prepend_file that defines CConfigFile with
# another path (/etc/zabbix/zabbix.conf.php is never touched), and
# zabbix_server gets its own configuration, sockets, logs and net-snmp
# settings.

# shellcheck disable=SC2034 # ZBX_SKIP, ZBX_TEMPLATE_NAME: for zabbix.test
# shellcheck disable=SC2154 # ll_tap_failed: lib.sh's
ZBX_PACKAGES=(zabbix-server-pgsql zabbix-frontend-php php-pgsql php-cli
	postgresql curl chromium)
ZBX_FRONTEND=/usr/share/zabbix
ZBX_SCHEMA=/usr/share/zabbix-server-pgsql
ZBX_TEMPLATE_NAME='Leaseline by SNMP'

ZBX_PGIDS=()         # process groups we started, in start order
ZBX_SKIP=
ZBX_ERROR=
ZBX_AUTH=
ZBX_RESULT=

# ---------------------------------------------------------------- setup --

zbx_missing() { # the packages of ZBX_PACKAGES that are not installed
	local p status
	for p in "${ZBX_PACKAGES[@]}"; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) || status=
		[ "$status" = "install ok installed" ] || echo "$p"
	done
}

zbx_pg_bindir() { # the newest /usr/lib/postgresql/N/bin with initdb
	local d best=
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && [ -x "$d/postgres" ] && best=$d
	done
	[ -n "$best" ] && echo "$best"
}

zbx_prepare() {
	local missing
	if [ "${LEASELINE_ZABBIX:-}" = no ]; then
		ZBX_SKIP="LEASELINE_ZABBIX=no"
		return 1
	fi
	if [ "$(id -u)" -ne 0 ]; then
		ZBX_SKIP="not root: a private PostgreSQL runs as user postgres"
		return 1
	fi
	command -v dpkg-query >/dev/null 2>&1 || {
		ZBX_SKIP="not a Debian system (needs ${ZBX_PACKAGES[*]})"
		return 1
	}
	# scripts/test installs them (scripts/lib-deps.sh, LL_TEST_DEPS).
	mapfile -t missing < <(zbx_missing)
	if [ ${#missing[@]} -gt 0 ]; then
		ZBX_SKIP="not installed: ${missing[*]} (scripts/test installs them)"
		return 1
	fi
	ZBX_PGBIN=$(zbx_pg_bindir) || {
		ZBX_SKIP="no PostgreSQL server binaries in /usr/lib/postgresql"
		return 1
	}
	local f
	for f in /usr/sbin/zabbix_server "$ZBX_FRONTEND/api_jsonrpc.php" \
		"$ZBX_SCHEMA/schema.sql.gz" "$ZBX_SCHEMA/images.sql.gz" \
		"$ZBX_SCHEMA/data.sql.gz"; do
		[ -e "$f" ] || {
			ZBX_SKIP="$f not found"
			return 1
		}
	done
	for f in php curl setpriv; do
		command -v "$f" >/dev/null || {
			ZBX_SKIP="$f not found"
			return 1
		}
	done
	php -m 2>/dev/null | grep -qx pgsql || {
		ZBX_SKIP="php has no pgsql extension (php-pgsql)"
		return 1
	}
	id postgres >/dev/null 2>&1 || {
		ZBX_SKIP="no user postgres"
		return 1
	}
	return 0
}

# zbx_spawn NAME COMMAND...: COMMAND in a process group of its own, its
# output in $ZBX_DIR/NAME.log; sets ZBX_PID.
zbx_spawn() {
	local name=$1
	shift
	setsid "$@" </dev/null >>"$ZBX_DIR/$name.log" 2>&1 &
	ZBX_PID=$!
	ZBX_PGIDS+=("$ZBX_PID")
}

# zbx_group_alive PGID: true while a process of the group runs (zombies
# do not count); reads /proc, so that procps is not needed.
zbx_group_alive() {
	local pgid=$1 f s fields
	for f in /proc/[0-9]*/stat; do
		s=$(cat "$f" 2>/dev/null) || continue
		# after the command name: state ppid pgrp ...
		read -r -a fields <<<"${s##*) }"
		[ "${fields[0]}" != Z ] && [ "${fields[2]}" = "$pgid" ] &&
			return 0
	done
	return 1
}

# zbx_stop_group PGID SIGNAL SECONDS: SIGNAL to the leader, then the group
# is killed if anything of it is left after SECONDS.
zbx_stop_group() {
	local pgid=$1 sig=$2 secs=$3 end
	kill "-$sig" "$pgid" 2>/dev/null
	end=$((SECONDS + secs))
	while [ "$SECONDS" -lt "$end" ]; do
		zbx_group_alive "$pgid" || break
		sleep 0.2
	done
	if zbx_group_alive "$pgid"; then
		diag "process group $pgid still there after ${secs}s: killing it"
		kill -KILL -- "-$pgid" 2>/dev/null
		sleep 0.5
	fi
	wait "$pgid" 2>/dev/null
	return 0
}

# zbx_stop_all: the frontend, the server, then PostgreSQL (fast shutdown).
zbx_stop_all() {
	local i pgid sig
	for ((i = ${#ZBX_PGIDS[@]} - 1; i >= 0; i--)); do
		pgid=${ZBX_PGIDS[i]}
		sig=TERM
		[ "$pgid" = "${ZBX_PG_PID:-}" ] && sig=INT
		zbx_stop_group "$pgid" "$sig" 20
	done
	ZBX_PGIDS=()
}

# zbx_cleanup: the EXIT trap once zbx_start ran: stops what it started,
# shows its logs if anything failed, then hands over to lib.sh.
zbx_cleanup() {
	local rc=$? f
	trap - EXIT
	[ ${#ZBX_PGIDS[@]} -eq 0 ] || zbx_stop_all
	if [ "$rc" -ne 0 ] || [ "$ll_tap_failed" -ne 0 ]; then
		for f in "$ZBX_DIR"/*.log; do
			[ -e "$f" ] && ll_dump_file "${f##*/}" "$f"
		done
	fi
	(exit "$rc")
	ll_cleanup
}

# ----------------------------------------------------------- PostgreSQL --

zbx_psql() { # zbx_psql [ARG...]: psql as postgres on the private socket
	"$ZBX_PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$ZBX_DIR/pgsock" \
		-p "$ZBX_PG_PORT" -U postgres "$@"
}

zbx_start_postgres() {
	local i
	ZBX_PG_PORT=$("$LL_FREEPORT") || return 1
	ZBX_DB_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
	mkdir -p "$ZBX_DIR/pgdata" "$ZBX_DIR/pgsock"
	chown postgres: "$ZBX_DIR/pgdata" "$ZBX_DIR/pgsock"
	chmod 700 "$ZBX_DIR/pgdata"
	# initdb: trust on the socket (only root and postgres can reach it),
	# passwords on TCP, where the server and the frontend connect.
	if ! setpriv --reuid=postgres --regid=postgres --init-groups \
		"$ZBX_PGBIN/initdb" -D "$ZBX_DIR/pgdata" -U postgres -E UTF8 \
		--locale=C --no-sync --auth-local=trust \
		--auth-host=scram-sha-256 >"$ZBX_DIR/initdb.log" 2>&1; then
		ZBX_ERROR="initdb failed (initdb.log)"
		return 1
	fi
	zbx_spawn postgres setpriv --reuid=postgres --regid=postgres \
		--init-groups "$ZBX_PGBIN/postgres" -D "$ZBX_DIR/pgdata" \
		-c listen_addresses=127.0.0.1 -p "$ZBX_PG_PORT" \
		-c unix_socket_directories="$ZBX_DIR/pgsock" \
		-c fsync=off -c synchronous_commit=off -c full_page_writes=off \
		-c logging_collector=off
	ZBX_PG_PID=$ZBX_PID
	for ((i = 0; i < 150; i++)); do
		"$ZBX_PGBIN/pg_isready" -q -h "$ZBX_DIR/pgsock" \
			-p "$ZBX_PG_PORT" && break
		ll_alive "$ZBX_PG_PID" || break
		sleep 0.2
	done
	"$ZBX_PGBIN/pg_isready" -q -h "$ZBX_DIR/pgsock" -p "$ZBX_PG_PORT" || {
		ZBX_ERROR="PostgreSQL did not start within 30 s (postgres.log)"
		return 1
	}
	zbx_psql -c "CREATE ROLE zabbix LOGIN PASSWORD '$ZBX_DB_PASSWORD'" \
		-c "CREATE DATABASE zabbix OWNER zabbix ENCODING 'UTF8'" \
		>>"$ZBX_DIR/schema.log" 2>&1 || {
		ZBX_ERROR="cannot create the zabbix role and database (schema.log)"
		return 1
	}
	# The schema as the owner (its files hold their own transactions).
	if ! { zcat "$ZBX_SCHEMA/schema.sql.gz" "$ZBX_SCHEMA/images.sql.gz" \
		"$ZBX_SCHEMA/data.sql.gz"; } |
		"$ZBX_PGBIN/psql" -X -q -v ON_ERROR_STOP=1 \
			-h "$ZBX_DIR/pgsock" -p "$ZBX_PG_PORT" -U zabbix zabbix \
			>>"$ZBX_DIR/schema.log" 2>&1; then
		ZBX_ERROR="loading the Zabbix schema failed (schema.log)"
		return 1
	fi
	return 0
}

# ---------------------------------------------------------- the server --

# The caches are sized for zabbix.test's one host; scripts/bench-zabbix,
# with tens of thousands of items, raises them through ZBX_*_CACHE_SIZE.
zbx_start_server() {
	local i
	# zabbix_server wants its ListenPort below 32768.
	ZBX_SERVER_PORT=$("$LL_FREEPORT" 20000 32767) || {
		ZBX_ERROR="no free TCP port below 32768"
		return 1
	}
	mkdir -p "$ZBX_DIR/run" "$ZBX_DIR/snmp" "$ZBX_DIR/snmp-persist"
	# What a stock Debian server sees: no MIB at all (Debian's snmp.conf
	# says "mibs :"), so strings with Chinese come as hex and the
	# template has to cope.
	echo 'mibs :' >"$ZBX_DIR/snmp/snmp.conf"
	: >"$ZBX_DIR/zabbix_traps.tmp"
	cat >"$ZBX_DIR/zabbix_server.conf" <<EOF
# written by tests/integration/zabbix-lib.sh
ListenIP=127.0.0.1
ListenPort=$ZBX_SERVER_PORT
LogType=file
LogFile=$ZBX_DIR/zabbix_server.log
LogFileSize=0
DebugLevel=3
PidFile=$ZBX_DIR/run/zabbix_server.pid
SocketDir=$ZBX_DIR/run
DBHost=127.0.0.1
DBPort=$ZBX_PG_PORT
DBName=zabbix
DBUser=zabbix
DBPassword=$ZBX_DB_PASSWORD
AllowRoot=1
StartPollers=2
StartPollersUnreachable=1
StartPreprocessors=1
StartHistoryPollers=1
StartTrappers=1
StartPingers=0
StartDiscoverers=0
StartHTTPPollers=0
StartTimers=1
StartEscalators=1
StartAlerters=1
StartDBSyncers=1
StartLLDProcessors=1
StartProxyPollers=0
StartODBCPollers=0
StartReportWriters=0
StartSNMPTrapper=1
SNMPTrapperFile=$ZBX_DIR/zabbix_traps.tmp
CacheUpdateFrequency=2
HousekeepingFrequency=0
ProblemHousekeepingFrequency=3600
ServiceManagerSyncFrequency=3600
CacheSize=${ZBX_CACHE_SIZE:-32M}
HistoryCacheSize=${ZBX_HISTORY_CACHE_SIZE:-16M}
ValueCacheSize=${ZBX_VALUE_CACHE_SIZE:-16M}
HistoryIndexCacheSize=${ZBX_HISTORY_INDEX_CACHE_SIZE:-4M}
Timeout=4
UnreachablePeriod=45
UnreachableDelay=5
UnavailableDelay=10
EOF
	zbx_spawn zabbix_server env -u MIBS -u MIBDIRS \
		SNMPCONFPATH="$ZBX_DIR/snmp" \
		SNMP_PERSISTENT_DIR="$ZBX_DIR/snmp-persist" \
		/usr/sbin/zabbix_server -f -c "$ZBX_DIR/zabbix_server.conf"
	ZBX_SERVER_PID=$ZBX_PID
	for ((i = 0; i < 300; i++)); do
		grep -q 'server #0 started' "$ZBX_DIR/zabbix_server.log" \
			2>/dev/null && return 0
		ll_alive "$ZBX_SERVER_PID" || break
		sleep 0.2
	done
	ZBX_ERROR="zabbix_server did not start within 60 s (zabbix_server.log)"
	return 1
}

# --------------------------------------------------------- the frontend --

zbx_start_frontend() {
	local i
	ZBX_WEB_PORT=$("$LL_FREEPORT") || return 1
	ZBX_URL=http://127.0.0.1:$ZBX_WEB_PORT/api_jsonrpc.php
	cat >"$ZBX_DIR/zabbix.conf.php" <<EOF
<?php
// written by tests/integration/zabbix-lib.sh
\$DB['TYPE'] = 'POSTGRESQL';
\$DB['SERVER'] = '127.0.0.1';
\$DB['PORT'] = '$ZBX_PG_PORT';
\$DB['DATABASE'] = 'zabbix';
\$DB['USER'] = 'zabbix';
\$DB['PASSWORD'] = '$ZBX_DB_PASSWORD';
\$DB['SCHEMA'] = '';
\$DB['ENCRYPTION'] = false;
\$DB['KEY_FILE'] = '';
\$DB['CERT_FILE'] = '';
\$DB['CA_FILE'] = '';
\$DB['VERIFY_HOST'] = false;
\$DB['CIPHER_LIST'] = '';
\$DB['VAULT_URL'] = '';
\$DB['VAULT_DB_PATH'] = '';
\$DB['VAULT_TOKEN'] = '';
\$DB['DOUBLE_IEEE754'] = true;
\$ZBX_SERVER = '127.0.0.1';
\$ZBX_SERVER_PORT = '$ZBX_SERVER_PORT';
\$ZBX_SERVER_NAME = 'leaseline test';
\$IMAGE_FORMAT_DEFAULT = IMAGE_FORMAT_PNG;
EOF
	# The frontend reads the fixed path CConfigFile::CONFIG_FILE_PATH
	# (/etc/zabbix/zabbix.conf.php).  Defined first, this copy of the
	# class, with our path, is the one the autoloader never replaces.
	sed "s|'/etc/zabbix/zabbix.conf.php'|'$ZBX_DIR/zabbix.conf.php'|" \
		"$ZBX_FRONTEND/include/classes/core/CConfigFile.php" \
		>"$ZBX_DIR/CConfigFile.php"
	grep -q "$ZBX_DIR/zabbix.conf.php" "$ZBX_DIR/CConfigFile.php" || {
		ZBX_ERROR="CConfigFile.php has no CONFIG_FILE_PATH to redirect"
		return 1
	}
	printf '<?php\nrequire_once %s;\n' "'$ZBX_DIR/CConfigFile.php'" \
		>"$ZBX_DIR/prepend.php"
	zbx_spawn frontend php -d auto_prepend_file="$ZBX_DIR/prepend.php" \
		-d memory_limit=512M -d post_max_size=32M \
		-d max_execution_time=300 -d error_log="$ZBX_DIR/php-errors.log" \
		-S "127.0.0.1:$ZBX_WEB_PORT" -t "$ZBX_FRONTEND"
	ZBX_WEB_PID=$ZBX_PID
	for ((i = 0; i < 150; i++)); do
		zbx_call apiinfo.version '[]' 2>/dev/null && return 0
		ll_alive "$ZBX_WEB_PID" || break
		sleep 0.2
	done
	ZBX_ERROR="the API did not answer within 30 s: ${ZBX_ERROR:-}"
	return 1
}

# -------------------------------------------------------------- the API --

# zbx_call METHOD PARAMS-JSON: ZBX_RESULT is the "result" member as JSON;
# false with the error in ZBX_ERROR.  PARAMS-JSON may be @FILE.
zbx_call() {
	local method=$1 params=$2 req=$ZBX_DIR/request.json out
	ZBX_CALLS=$((${ZBX_CALLS:-0} + 1))
	if [ "${params:0:1}" = @ ]; then
		params=$(cat "${params:1}")
	fi
	printf '{"jsonrpc":"2.0","method":"%s","params":%s,"id":%d%s}' \
		"$method" "$params" "$ZBX_CALLS" \
		"${ZBX_AUTH:+,\"auth\":\"$ZBX_AUTH\"}" >"$req"
	out=$(curl -sS --max-time 120 -H 'Content-Type: application/json-rpc' \
		--data-binary @"$req" "$ZBX_URL" 2>&1) || {
		ZBX_ERROR="curl: $out"
		return 1
	}
	printf '%s' "$out" >"$ZBX_DIR/response.json"
	ZBX_RESULT=$(php -r '
		$r = json_decode(file_get_contents($argv[1]), true);
		if (!is_array($r)) { fwrite(STDERR, "not JSON\n"); exit(2); }
		if (isset($r["error"])) {
			fwrite(STDERR, $r["error"]["message"] . " " .
				$r["error"]["data"] . "\n");
			exit(1);
		}
		echo json_encode($r["result"], JSON_UNESCAPED_UNICODE |
			JSON_UNESCAPED_SLASHES);' "$ZBX_DIR/response.json" \
		2>"$ZBX_DIR/call.err") || {
		ZBX_ERROR="$method: $(cat "$ZBX_DIR/call.err") $(head -c 300 \
			"$ZBX_DIR/response.json")"
		return 1
	}
	return 0
}

# zbx_q EXPR: evaluates the PHP expression EXPR, where $r is ZBX_RESULT
# decoded into arrays, and prints it (arrays as JSON).
zbx_q() {
	printf '%s' "$ZBX_RESULT" | php -r '
		$r = json_decode(stream_get_contents(STDIN), true);
		$v = eval("return " . $argv[1] . ";");
		echo is_array($v) ? json_encode($v, JSON_UNESCAPED_UNICODE |
			JSON_UNESCAPED_SLASHES) : (is_bool($v) ? ($v ? "1" : "0") : $v);
	' "$1"
}

# zbx_json STRING: STRING as a JSON string literal.
zbx_json() {
	php -r 'echo json_encode($argv[1], JSON_UNESCAPED_UNICODE |
		JSON_UNESCAPED_SLASHES);' "$1"
}

zbx_login() {
	zbx_call user.login '{"username":"Admin","password":"zabbix"}' ||
		return 1
	ZBX_AUTH=$(zbx_q '$r')
	[ -n "$ZBX_AUTH" ]
}

# zbx_init: the directory $LL_TMP/zabbix, and the EXIT trap that stops
# what this file starts.  First, before anything is started.
zbx_init() {
	ZBX_DIR=$LL_TMP/zabbix
	mkdir -p "$ZBX_DIR"
	# PostgreSQL runs as postgres and must get through the temp dir.
	chmod 711 "$LL_TMP"
	trap zbx_cleanup EXIT
}

# zbx_start: everything, in order; false with ZBX_ERROR set.
zbx_start() {
	zbx_start_postgres || return 1
	zbx_start_server || return 1
	zbx_start_frontend || return 1
	zbx_login || {
		ZBX_ERROR="login as Admin failed: $ZBX_ERROR"
		return 1
	}
}

# zbx_wait SECONDS COMMAND...: ll_wait_for, every second.
zbx_wait() {
	local end=$((SECONDS + $1))
	shift
	while :; do
		"$@" && return 0
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 1
	done
}

# ------------------------------------------------------------- traps --

# zbx_prepare_snmptrapd: a snmptrapd configuration handing every trap to a
# shell handler that appends it to Zabbix's SNMP trapper file in the format
# of zabbix_trap_receiver.pl ("TIME ZBXTRAP ADDRESS", then the text), on a
# free loopback port (ZBX_TRAP_PORT), and the trap2sink of lib.sh's snmpd
# aimed at it.  (lib.sh's ll_start_snmptrapd logs traps for tests; this
# one feeds Zabbix.)
zbx_prepare_snmptrapd() {
	ZBX_TRAP_PORT=$("$LL_FREEPORT") || return 1
	cat >"$ZBX_DIR/traphandle.sh" <<'EOF'
#!/bin/sh
# snmptrapd traphandle: stdin is the host name, the transport address and
# one "OID value" line per variable binding.
read -r host
read -r addr
ip=$(printf '%s\n' "$addr" | sed -n 's/^UDP: \[\([^]]*\)\].*/\1/p')
{
	printf '%s ZBXTRAP %s\n' "$(date +%H:%M:%S)" "${ip:-$host}"
	printf '%s\n' "$addr"
	cat
} >>"$1"
EOF
	cat >"$ZBX_DIR/snmptrapd.conf" <<EOF
disableAuthorization yes
traphandle default /bin/sh $ZBX_DIR/traphandle.sh $ZBX_DIR/zabbix_traps.tmp
EOF
	echo "trap2sink 127.0.0.1:$ZBX_TRAP_PORT public" >>"$LL_SNMPD_CONF"
}

zbx_start_snmptrapd() {
	zbx_spawn snmptrapd snmptrapd -f -C -c "$ZBX_DIR/snmptrapd.conf" \
		-Lf "$ZBX_DIR/snmptrapd-log.log" "udp:127.0.0.1:$ZBX_TRAP_PORT"
	ZBX_TRAPD_PID=$ZBX_PID
	sleep 1
	ll_alive "$ZBX_TRAPD_PID"
}
