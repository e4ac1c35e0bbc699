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
	assert_eq "$("$LP" exec "$S" 'return debug.sethook, debug.setmetatable, debug.setupvalue, debug.upvaluejoin, debug.setuservalue, debug.getregistry, debug.setlocal')" \
		"$(printf 'nil\tnil\tnil\tnil\tnil\tnil\tnil')" "unsafe debug functions are absent"
	assert_match "$("$LP" exec "$S" 'return debug.traceback("x")')" "^x" "debug.traceback stays"
}

# An endless __gc at close (stop of a set, stop of a runtime created from
# Lua, which has no budget of its own) must not pin the closing worker.
test_gc_loop_at_close() {
	local G=rt_safety_gc
	check_run "$LP" run tests/vm/cases/runtime/lua/gc_forever.lua --name "$G"
	check_run timeout 60 "$LP" stop "$G"
	check_run timeout 60 "$LP" stats
	check_run "$LP" run tests/vm/cases/runtime/lua/basic.lua --name "${G}_p"
	assert_eq "$(timeout 60 "$LP" exec "${G}_p" 'local rt = lunatik.runtime("tests/vm/cases/runtime/lua/gc_forever"); rt:stop(); return "stopped"')" \
		stopped "a Lua-created runtime with an endless __gc stops"
	check_run "$LP" stop "${G}_p"
	check_run timeout 60 "$LP" stats
}

ALL_TESTS=(test_gc_loop_is_cut test_debug_is_safe test_gc_loop_at_close)
run_tests
