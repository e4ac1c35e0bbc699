#!/usr/bin/env bash
# Issue 6 item 13: string.format's integer conversions in the kernel are
# C's and stock Lua's ("%#x" of 0 is "0", "%.0d" of 0 is ""), not the
# kernel vsnprintf's. Runs the host test tests/lua/format.lua (and the
# host's hostile-input checks, tests/lua/hostile.lua) as set scripts: a
# failed assertion fails the load.
. tests/lib/vmtest.sh

S=hostile_format

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
}

test_format() {
	local ctx f
	for ctx in process softirq; do
		for f in format hostile; do
			check_run "$LP" run "tests/lua/$f.lua" --name "$S" --context $ctx || continue
			check_run "$LP" stop "$S"
		done
		check_run "$LP" run tests/vm/cases/runtime/lua/basic.lua --name "$S" --context $ctx || continue
		assert_eq "$(taskset -c 0 "$LP" exec "$S" 'return ("%#x|%.0d|%05.3d|%#o"):format(0, 0, 7, 0)')" \
			'0||  007|0' "format in an exec ($ctx)"
		"$LP" stop "$S" >/dev/null 2>&1
	done
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_format)
run_tests
