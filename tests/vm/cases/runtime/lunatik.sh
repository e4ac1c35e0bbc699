#!/usr/bin/env bash
# The lunatik library: runtimes created from Lua, resume/yield across
# runtimes, stop, and what may (not) cross between lua_States.
. tests/lib/vmtest.sh

S=rt_lunatik
L=tests/vm/cases/runtime/lua

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
}

ex() {
	assert_eq "$("$LP" exec "$S" "$1" 2>&1)" "$2" "exec $1"
}

runtimes() {
	"$LP" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["runtimes"])'
}

test_runtime() {
	local base
	base=$(runtimes)
	check_run "$LP" run "$L/parent.lua" --name "$S" || return
	assert_eq "$(runtimes)" "$((base + 2))" "set instance + Lua-made runtime counted"
	ex 'return tostring(child):match("^runtime") ~= nil' true
	ex 'return child:resume(2, 3)' 5
	ex 'return child:resume(21)' $'got 21\t42'
	ex 'return select(2, pcall(child.resume, child))' 'cannot resume dead coroutine'
	ex 'return select(2, pcall(child.resume, child, {})):match("cannot pass a table to another runtime") ~= nil' true
	ex 'local r = lunatik.runtime("tests/vm/cases/runtime/lua/child"); return r:resume(1, 1), r:stop()' 2
	ex 'local r = lunatik.runtime("tests/vm/cases/runtime/lua/child"); r:stop(); return pcall(r.resume, r, 1, 2)' $'false\truntime was stopped'
	# Lua shortens a long chunk name to "...<tail>", so only the tail is
	# independent of where the repository is checked out.
	assert_match "$("$LP" exec "$S" 'return pcall(lunatik.runtime, "tests/vm/cases/runtime/lua/syntax_error")' 2>&1)" \
		$'^false\t.*/lua/syntax_error\\.lua:2: unexpected symbol near \'=\'$' "syntax error from lunatik.runtime"
	ex 'return select(2, pcall(lunatik.runtime, "no/such/script")):match("cannot read") ~= nil' true
	ex 'local r = lunatik.runtime("tests/vm/cases/runtime/lua/child", false); return r:resume(4, 5)' 9
	ex 'collectgarbage(); collectgarbage(); return 1' 1
	check_run "$LP" stop "$S"
	assert_eq "$(runtimes)" "$base" "every runtime closed after stop"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_runtime)
run_tests
