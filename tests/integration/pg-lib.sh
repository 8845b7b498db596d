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
