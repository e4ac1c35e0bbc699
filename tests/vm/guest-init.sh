#!/bin/bash
# PID 1 of the test VM after switch_root: the host's userspace over 9p.
# Reads /run/lpvm/env and /run/lpvm/scripts (written by tests/vm/run), loads
# the module, runs each script from the repository root and records
#   /run/lpvm/results   "<exit status> <script>" per script
#   /run/lpvm/dmesg     the kernel log after the last script
#   /run/lpvm/done      written last: the guest finished on its own
# then powers off with sysrq (PID 1 must never exit).
set -o nounset
run=/run/lpvm

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null

# shellcheck source=/dev/null
. "$run/env"

poweroff_now() {
	sync
	echo o >/proc/sysrq-trigger
	sleep 30
}

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp TERM=${LPVM_TERM:-linux} LPVM=1 LPVM_SERIES LPVM_REPO
export LPVM_OUT=$run
hostname "lpvm-$LPVM_SERIES"
ip link set lo up
# Keep the console for test output; the log is checked after the run.
echo 1 >/proc/sys/kernel/printk

# The repository is shared on its own (read-only, same path): it may live
# under a directory that is the guest's own tmpfs (/tmp, /run, /var).
mkdir -p "$LPVM_REPO" 2>/dev/null
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,ro,cache=loose \
	repo "$LPVM_REPO" || echo "lpvm: cannot mount the repository"
cd "$LPVM_REPO" || poweroff_now

# Every checkout installs its modules into the same shared modules tree, so
# a concurrent run elsewhere may have replaced them: put this checkout's
# builds over extra/ (modprobe and a test's rmmod+modprobe then find them)
# and load what they depend on, whatever modules.dep says.
lpvm_own_modules() {
	local extra=/lib/modules/$(uname -r)/extra own=/tmp/lpvm-extra ko deps
	mkdir -p "$own"
	for ko in "$LPVM_REPO/build/kmod/$LPVM_SERIES/lunatik.ko" \
		"$LPVM_REPO/build/kmod-selftest/$LPVM_SERIES/lunatik_selftest_warn.ko"; do
		[ -f "$ko" ] && cp "$ko" "$own/"
	done
	[ -d "$extra" ] && mount --bind "$own" "$extra"
	[ -f "$own/lunatik.ko" ] || return 0
	deps=$(modinfo -F depends "$own/lunatik.ko" | tr ',' ' ')
	# shellcheck disable=SC2086
	[ -z "$deps" ] || modprobe -a $deps
}
lpvm_own_modules

if [ "$LPVM_MODULE" = 1 ]; then
	if ! modprobe lunatik script_root="$LPVM_REPO"; then
		echo "lpvm: modprobe lunatik failed"
		echo "255 modprobe-lunatik" >>"$run/results"
	fi
fi

if [ "$LPVM_SHELL" = 1 ]; then
	echo "lpvm: interactive shell (kernel $(uname -r)); exit to power off"
	setsid -c bash -l </dev/ttyS0 >/dev/ttyS0 2>&1
else
	mapfile -t scripts <"$run/scripts"
	echo "TAP version 13"
	echo "1..${#scripts[@]}"
	n=0
	for s in "${scripts[@]}"; do
		n=$((n + 1))
		echo "# $s"
		t0=$SECONDS
		if [ -x "$s" ]; then
			case $s in /*) exe=$s ;; *) exe=./$s ;; esac
			timeout "$LPVM_SCRIPT_TIMEOUT" "$exe" </dev/null
		else
			timeout "$LPVM_SCRIPT_TIMEOUT" bash "$s" </dev/null
		fi
		rc=$?
		# the slow cases are what to look at when the suite grows
		echo "# $s: $((SECONDS - t0)) s"
		echo "$rc $s" >>"$run/results"
		if [ $rc -eq 0 ]; then
			echo "ok $n $s"
		elif [ $rc -eq 4 ]; then
			echo "ok $n $s # SKIP"
		else
			echo "not ok $n $s # exit $rc"
		fi
	done
fi

dmesg >"$run/dmesg"
touch "$run/done"
poweroff_now
