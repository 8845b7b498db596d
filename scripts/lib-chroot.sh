# lib-chroot.sh: sourced by scripts/in-fresh-debian and
# tests/integration/debian-package.test.  A throwaway Debian 12 (bookworm)
# chroot, made from the mirror this machine's apt already uses (no host is
# written here), as root:
#
#   ll_chroot_base             the bare debootstrap result (minbase plus
#                              git), made once and cached in
#                              $LL_CHROOT_BASE (default
#                              /var/cache/leaseline/bookworm-minbase)
#   ll_chroot_new PREFIX       a copy of it in a new folder PREFIX.XXXXXX,
#                              its path in LL_CHROOT: /proc, /dev, /dev/pts
#                              and /dev/shm mounted, a policy-rc.d that
#                              lets no package script start a service
#   ll_chroot_in_root PID      true when PID runs inside LL_CHROOT
#   ll_chroot_remove           stops every process inside LL_CHROOT (all
#                              were started through it), unmounts what
#                              ll_chroot_new mounted, removes the folder
#
# The functions return non-zero with the reason in LL_CHROOT_ERROR; they
# never exit, so that the caller decides: in-fresh-debian exits 75, a test
# skips.  Nothing is ever installed in the cache: each chroot is a copy.
# shellcheck shell=bash

LL_CHROOT_BASE=${LL_CHROOT_BASE:-/var/cache/leaseline/bookworm-minbase}
LL_CHROOT=
LL_CHROOT_ERROR=
LL_CHROOT_MOUNTS=()

# ll_chroot_mirror: the first Debian mirror this machine's apt uses.
ll_chroot_mirror() {
	local f
	{
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -r "$f" ] || continue
			awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' "$f"
		done
		[ -r /etc/apt/sources.list ] &&
			awk '/^deb / && $0 !~ /security/ { print $2; exit }' /etc/apt/sources.list
	} | head -n 1
}

ll_chroot_fail() {
	LL_CHROOT_ERROR=$*
	return 1
}

# ll_chroot_base: the cache, made once; a half-made one (interrupted,
# failed) is never taken for a cache.  Two runs at once make it once: the
# second waits on the lock.
ll_chroot_base() {
	local m log tmp base=$LL_CHROOT_BASE
	[ -f "$base/.leaseline-base-complete" ] && return 0
	[ "$(id -u)" -eq 0 ] ||
		ll_chroot_fail "not root (debootstrap, chroot and mount need root)" || return 1
	if ! command -v debootstrap >/dev/null 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends debootstrap >/dev/null 2>&1 ||
			{
				apt-get update -q >/dev/null 2>&1 &&
					DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
						--no-install-recommends debootstrap >/dev/null 2>&1
			} || ll_chroot_fail "debootstrap is not installed and apt-get cannot install it" ||
			return 1
	fi
	m=$(ll_chroot_mirror)
	[ -n "$m" ] || ll_chroot_fail "no Debian mirror in /etc/apt/sources.list{,.d}" || return 1
	mkdir -p "$(dirname "$base")" ||
		ll_chroot_fail "cannot create $(dirname "$base")" || return 1
	rm -f "$base.error"
	(
		flock 9 || exit 1
		# made by another run meanwhile
		[ -f "$base/.leaseline-base-complete" ] && exit 0
		tmp=$base.new
		log=$base.log
		rm -rf --one-file-system "$tmp"
		printf '%s: debootstrap bookworm (minbase, git) from %s into %s\n' \
			"${0##*/}" "$m" "$base" >&2
		if ! timeout 1800 debootstrap --variant=minbase \
			--include=git,ca-certificates bookworm "$tmp" "$m" >"$log" 2>&1; then
			rm -rf --one-file-system "$tmp"
			echo "debootstrap failed ($(tail -n 1 "$log"); see $log)" >"$base.error"
			exit 1
		fi
		touch "$tmp/.leaseline-base-complete"
		rm -rf --one-file-system "$base"
		mv "$tmp" "$base"
	) 9>"$base.lock"
	[ -f "$base/.leaseline-base-complete" ] ||
		ll_chroot_fail "$(cat "$base.error" 2>/dev/null || echo "cannot lock $base.lock")"
}

# ll_chroot_mount ARGS... TARGET: mount, remembered for ll_chroot_remove.
ll_chroot_mount() {
	mount "$@" || return 1
	LL_CHROOT_MOUNTS+=("${!#}")
}

# ll_chroot_new PREFIX: a fresh copy of the base, ready to chroot into.
ll_chroot_new() {
	local root
	ll_chroot_base || return 1
	root=$(mktemp -d "$1.XXXXXX") || ll_chroot_fail "mktemp $1.XXXXXX failed" || return 1
	LL_CHROOT=$root
	LL_CHROOT_MOUNTS=()
	cp -a "$LL_CHROOT_BASE/." "$root/" || ll_chroot_fail "cannot copy $LL_CHROOT_BASE" || return 1
	rm -f "$root/.leaseline-base-complete"
	cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
	# No init runs in a chroot, and a daemon started by a postinst (snmpd,
	# PostgreSQL) would outlive the run: package scripts start nothing.
	printf '#!/bin/sh\n# lib-chroot.sh: no init runs in this chroot\nexit 101\n' \
		>"$root/usr/sbin/policy-rc.d"
	chmod 0755 "$root/usr/sbin/policy-rc.d"
	ll_chroot_mount -t proc proc "$root/proc" ||
		ll_chroot_fail "cannot mount /proc in the chroot" || return 1
	ll_chroot_mount --bind /dev "$root/dev" ||
		ll_chroot_fail "cannot bind /dev into the chroot" || return 1
	ll_chroot_mount --bind /dev/pts "$root/dev/pts" 2>/dev/null
	ll_chroot_mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm" 2>/dev/null
	return 0
}

# ll_chroot_in_root PID: true when PID runs inside LL_CHROOT.  (Inside a
# chroot itself, /proc/PID/root reads as seen from this one's root, so
# this holds for a chroot made in a chroot too.)
ll_chroot_in_root() {
	local r
	[ -n "$LL_CHROOT" ] || return 1
	r=$(readlink "/proc/$1/root" 2>/dev/null) || return 1
	[ "$r" = "$LL_CHROOT" ] || [[ $r == "$LL_CHROOT/"* ]]
}

# ll_chroot_stop_inside: every process whose root is the chroot, TERM
# then KILL.
ll_chroot_stop_inside() {
	local sig d pid left
	for sig in TERM KILL; do
		left=0
		for d in /proc/[0-9]*; do
			pid=${d#/proc/}
			[ "$pid" -ne $$ ] || continue
			if ll_chroot_in_root "$pid"; then
				kill -s "$sig" "$pid" 2>/dev/null
				left=1
			fi
		done
		[ "$left" -eq 1 ] || return 0
		sleep 2
	done
}

# ll_chroot_remove: everything undone; false (reason in LL_CHROOT_ERROR)
# when something could not be, and then the folder is left in place.
ll_chroot_remove() {
	local i rc=0
	[ -n "$LL_CHROOT" ] || return 0
	LL_CHROOT_ERROR=
	ll_chroot_stop_inside
	for ((i = ${#LL_CHROOT_MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${LL_CHROOT_MOUNTS[i]}" 2>/dev/null ||
			umount -l "${LL_CHROOT_MOUNTS[i]}" ||
			{
				LL_CHROOT_ERROR="could not unmount ${LL_CHROOT_MOUNTS[i]}"
				rc=1
			}
	done
	LL_CHROOT_MOUNTS=()
	# Only when nothing is mounted below it any more.
	if ! grep -qF " $LL_CHROOT/" /proc/self/mounts; then
		rm -rf --one-file-system "$LL_CHROOT"
		LL_CHROOT=
	else
		LL_CHROOT_ERROR="${LL_CHROOT_ERROR:+$LL_CHROOT_ERROR; }left $LL_CHROOT: something is still mounted below it"
		rc=1
	fi
	return "$rc"
}
