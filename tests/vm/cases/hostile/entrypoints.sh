#!/usr/bin/env bash
# Hostile scripts against every C entry point Lua can reach (issue 6, items
# 1, 2 and 8): class metatables, their __gc/__close, the runtime's
# trampoline and the rcu library's protected helpers reached through
# debug.getinfo/getlocal from the chunk and from finalizers running inside
# C, and every function of data, rcu and the standard libraries called with
# wrong types, counts and foreign userdata. Each must end in a Lua error or
# do its job; the harness fails the run on any kernel splat.
. tests/lib/vmtest.sh

S=hostile_entry
L=tests/vm/cases/hostile/lua

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
}

probe() {
	local out
	out=$(taskset -c 0 "$LP" exec "$S" "return $1" 2>&1)
	assert_eq "$out" ok "$1 ($ctx)"
}

test_entrypoints() {
	local ctx
	for ctx in process softirq; do
		check_run "$LP" run "$L/entry.lua" --name "$S" --context $ctx \
			--budget 50000000 || return
		probe 't_metatable()'
		probe 't_gc_foreign()'
		probe 't_box()'
		probe 't_trampoline()'
		probe 't_frames(300)'
		probe 't_libs()'
		probe 't_stdlib()'
		assert_eq "$(taskset -c 0 "$LP" exec "$S" 'return 1 + 1')" 2 "set still works ($ctx)"
		check_run "$LP" stop "$S"
	done
}

# 8: a script cannot make objects of a class leak by removing its __gc:
# after create/stop the module's allocation counters read as before
test_metatable_gc() {
	local before after
	before=$(python3 tests/vm/cases/runtime/genl.py stats)
	check_run "$LP" run "$L/entry.lua" --name "$S" --mem 12M || return
	taskset -c 0 "$LP" exec "$S" 'local mt = getmetatable(require("data").new(1)) if type(mt) == "table" then mt.__gc = nil mt.__close = nil end' >/dev/null 2>&1
	for _ in 1 2 3; do
		check_run taskset -c 0 "$LP" exec "$S" 'local data = require("data") for i = 1, 16 do local d = data.new(1 << 20) end collectgarbage() collectgarbage()'
	done
	check_run "$LP" stop "$S"
	after=$(python3 tests/vm/cases/runtime/genl.py stats)
	assert_eq "$after" "$before" "allocs/bytes/sets/runtimes before == after"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_entrypoints test_metatable_gc)
run_tests
