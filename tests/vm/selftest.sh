#!/usr/bin/env bash
# Host-side self-test of tests/vm/run for one kernel series: a passing guest
# script passes; a failing guest script, and a kernel WARN provoked by a
# script that itself exits 0, each make the harness fail.
# Usage: tests/vm/selftest.sh [6.12|6.1]   (prints ok/not ok lines; exit 1 on any failure)
set -o nounset
series=${1:-6.12}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
rc=0

expect() {
	local want=$1 name=$2
	shift 2
	local out
	out=$(tests/vm/run --kernel "$series" "$@" 2>&1)
	local got=$?
	if { [ "$want" = pass ] && [ $got -eq 0 ]; } ||
		{ [ "$want" = fail ] && [ $got -ne 0 ]; }; then
		echo "ok - vm-selftest $series: $name (harness exit $got)"
		if [ "$want" = fail ]; then
			# The failing runs' directories are kept on purpose; drop them.
			rm -rf "$(echo "$out" | sed -n 's/^# kept: //p')"
		fi
	else
		echo "not ok - vm-selftest $series: $name (harness exit $got, wanted $want)"
		echo "$out" | tail -30 | sed 's/^/#   /'
		rc=1
	fi
}

expect pass "passing script passes" tests/vm/selftest/guest-passes.sh
expect fail "failing script fails the run" tests/vm/selftest/guest-fails.sh
expect fail "kernel WARN fails the run" tests/vm/selftest/guest-warns.sh
exit $rc
