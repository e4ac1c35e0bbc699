#!/usr/bin/env bash
# thrd:stop() on a thread that never checks thread.shouldstop(): after a
# grace period it is killed (the runtime's hook ends the Lua call).
. tests/lib/vmtest.sh

cleanup_tests() {
	"$LP" stop libs_kill >/dev/null 2>&1
}

test_kill() {
	local t0 t1
	check_run "$LP" run tests/vm/cases/libs/lua/linux.lua --name libs_kill || return
	check_run "$LP" exec libs_kill 'busy = require("thread").run(
		require("lunatik").runtime("tests/vm/cases/libs/lua/busy"), "lp_busy") return "ok"'
	sleep 1
	assert_match "$(ps -eo comm)" 'lp_busy' "busy thread running"
	t0=$(date +%s)
	check_run "$LP" exec libs_kill 'busy:stop() return "ok"'
	t1=$(date +%s)
	assert_match "$((t1 - t0))" '^([4-9]|1[0-9])$' "stop waited for the grace period ($((t1 - t0)) s)"
	assert_match "$(dmesg | grep lunatik | tail -n 3)" 'interrupted' "the Lua call was interrupted"
	check_run "$LP" stop libs_kill
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_kill)
run_tests
