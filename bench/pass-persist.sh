#!/bin/sh
# bench/pass-persist.sh: the pass_persist baseline of scripts/bench.
#
# What a sysadmin writes instead of a subagent: a script that snmpd runs
# once and feeds requests through a pipe (snmpd.conf(5), pass_persist).
# It serves the same table as bench/floor-subagent, ROWS rows of COLS
# columns computed from row and column, under another playpen OID
# (default NET-SNMP-MIB::netSnmpPlaypen.44):
#
#   BASE.1.1.COL.ROW    COL 1..COLS, ROW 1..ROWS
#   odd columns: string "row ROW column COL"; even: Gauge32 ROW * COL
#
# In snmpd.conf:
#   pass_persist .1.3.6.1.4.1.8072.9999.9999.44 /path/to/pass-persist.sh -n 1000 -c 8
#
# Usage: pass-persist.sh [-n ROWS] [-c COLS] [-o OID]
#
# POSIX sh and awk (mawk or gawk): one awk process answers every request,
# each in O(1), which is the best such a script can do.
set -eu

rows=1000
cols=8
base=.1.3.6.1.4.1.8072.9999.9999.44
while getopts n:c:o: opt; do
	case $opt in
	n) rows=$OPTARG ;;
	c) cols=$OPTARG ;;
	o) base=$OPTARG ;;
	*) echo "usage: pass-persist.sh [-n ROWS] [-c COLS] [-o OID]" >&2; exit 2 ;;
	esac
done

# mawk reads a whole buffer before it looks at a line unless told to be
# interactive; then snmpd and the script would wait for each other.
interactive=
if awk -W version 2>/dev/null | grep -q mawk; then
	interactive="-W interactive"
fi

# shellcheck disable=SC2086 # $interactive is empty or two words
exec awk $interactive -v ROWS="$rows" -v COLS="$cols" -v BASE="$base" '
BEGIN {
	sub(/^\./, "", BASE)
	ne = split(BASE ".1.1", E, ".")
	want = ""
}
# Where the name in R[1..nr] lies: -1 before BASE.1.1 and its cells, 1
# after them, 0 under BASE.1.1 (S[1..ns] is then the rest of the name).
function locate(    i, n) {
	n = nr < ne ? nr : ne
	for (i = 1; i <= n; i++) {
		if (R[i] + 0 < E[i] + 0)
			return -1
		if (R[i] + 0 > E[i] + 0)
			return 1
	}
	if (nr <= ne)
		return -1
	ns = 0
	for (i = ne + 1; i <= nr; i++)
		S[++ns] = R[i] + 0
	return 0
}
function cell(col, row) {
	print "." BASE ".1.1." col "." row
	if (col % 2 == 1) {
		print "string"
		print "row " row " column " col
	} else {
		print "gauge"
		print (row * col) % 4294967296
	}
}
function answer(cmd, name,    where, col, row) {
	sub(/^\./, "", name)
	nr = split(name, R, ".")
	where = locate()
	if (cmd == "get") {
		if (where == 0 && ns == 2 && S[1] >= 1 && S[1] <= COLS &&
		    S[2] >= 1 && S[2] <= ROWS)
			cell(S[1], S[2])
		else
			print "NONE"
		return
	}
	if (where > 0) {
		print "NONE"
		return
	}
	col = 1
	row = 1
	if (where == 0 && S[1] >= 1) {
		col = S[1]
		if (ns >= 2) {
			row = S[2]
			if (row == 0)
				row = 1
			else
				row++
		}
		if (row > ROWS + 0) {
			col++
			row = 1
		}
	}
	if (col > COLS + 0 || ROWS + 0 == 0)
		print "NONE"
	else
		cell(col, row)
}
want == "" && $0 == "PING" { print "PONG"; fflush(); next }
want == "" && ($0 == "get" || $0 == "getnext" || $0 == "set") {
	want = $0
	next
}
want == "" && $0 == "" { exit }
want == "" { next }
want == "set" { want = "set-value"; next }
want == "set-value" { print "not-writable"; fflush(); want = ""; next }
{
	answer(want, $0)
	fflush()
	want = ""
}'
