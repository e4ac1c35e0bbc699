#!/usr/bin/env bash
# Scripts cannot switch off the safety nets: an endless __gc finalizer is cut
# by the instruction budget (it used to run with hooks off: a softirq
# lockup), and the debug functions that remove the budget hook or forge
# userdata types are absent. The set keeps working afterwards.
. tests/lib/vmtest.sh

S=rt_safety
cleanup_tests() { "$LP" stop "$S" >/dev/null 2>&1; }

test_gc_loop_is_cut() {
	local out rc
	check_run "$LP" run tests/vm/cases/runtime/lua/basic.lua --name "$S" --context softirq
	out=$("$LP" exec "$S" 'setmetatable({}, {__gc = function() while true do end end}); collectgarbage(); collectgarbage(); return "survived"' 2>&1)
	rc=$?
	assert_eq "$rc" 1 "endless __gc ends the call with an error"
	assert_match "$out" "instruction budget exceeded" "the error names the budget"
	assert_eq "$("$LP" exec "$S" 'return 1 + 1')" 2 "set still works after the cut"
	budget=$("$LP" list --json | python3 -c 'import json,sys; print([s for s in json.load(sys.stdin)["sets"] if s["name"]==sys.argv[1]][0]["totals"]["budget_hits"])' "$S")
	assert_eq "$budget" 1 "the cut counts as a budget hit"
}

test_debug_is_safe() {
	assert_eq "$("$LP" exec "$S" 'return debug.sethook, debug.setmetatable, debug.setupvalue, debug.upvaluejoin, debug.setuservalue, debug.getregistry')" \
		"$(printf 'nil\tnil\tnil\tnil\tnil\tnil')" "unsafe debug functions are absent"
	assert_match "$("$LP" exec "$S" 'return debug.traceback("x")')" "^x" "debug.traceback stays"
}

ALL_TESTS=(test_gc_loop_is_cut test_debug_is_safe)
run_tests
