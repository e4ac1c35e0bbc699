#!/usr/bin/env bash
# 1000 create/stop cycles and 1000 reloads leak nothing: the module's own
# allocation counters (LUNATIK_CMD_STATS) read the same before and after.
# Failed creates, failed reloads, Lua-made runtimes and failing calls are
# mixed in, since error paths are where leaks hide. The loops use genl.py
# (one process): the CLI's start-up would make them take ~15 minutes here.
. tests/lib/vmtest.sh

S=rt_leak
D=tests/vm/cases/runtime
L=$D/lua
N=${RT_LEAK_CYCLES:-1000}

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
}

stats() {
	python3 "$D/genl.py" stats
}

test_create_stop() {
	local before after
	before=$(stats)
	assert_eq "$(python3 "$D/genl.py" cycles "$N" "$L/basic.lua" "$S")" "$N" \
		"$N create/stop cycles (process and softirq)"
	check_fail --status 1 "$LP" run "$L/syntax_error.lua" --name "$S"
	check_fail --status 10 "$LP" run "$L/membomb.lua" --name "$S" --mem 1M --context softirq
	check_fail --status 10 "$LP" run "$L/endless.lua" --name "$S"
	check_run "$LP" run "$L/basic.lua" --name "$S" --context softirq
	check_fail --status 1 "$LP" exec "$S" 'local t = {}; for i = 1, 1000 do t[i] = {i} end; error("x")'
	check_fail --status 1 "$LP" exec "$S" 'while true do end'
	check_run "$LP" stop "$S"
	after=$(stats)
	assert_eq "$after" "$before" "allocs/bytes/sets/runtimes before == after create/stop"
}

test_reload() {
	local before after
	before=$(stats)
	check_run "$LP" run "$L/parent.lua" --name "$S" --context process || return
	assert_eq "$("$LP" exec "$S" 'return child:resume(1, 2)')" 3 "Lua-made runtime in the set"
	assert_eq "$(python3 "$D/genl.py" reloads "$N" "$S" "$L/runtime_error.lua")" "$N" \
		"$N reloads (a failing one every 100)"
	assert_eq "$("$LP" exec "$S" 'return child:resume(3, 4)')" 7 "Lua-made runtime works after reloads"
	check_run "$LP" stop "$S"
	after=$(stats)
	assert_eq "$after" "$before" "allocs/bytes/sets/runtimes before == after reloads"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_create_stop test_reload)
run_tests
