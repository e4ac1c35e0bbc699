#!/usr/bin/env bash
# Runtime-core review regressions:
#  - a script that plants a forged class in an object's metatable cannot
#    make the core treat a closed or foreign userdata as an object (it used
#    to read the class through the metatable: a NULL dereference);
#  - a Lua-made runtime cannot stop another one (A stops B while B stops A
#    deadlocked on their locks);
#  - runtime:stop() waiting for a runtime busy in a kernel thread can be
#    killed (it used to wait uninterruptibly, wedging the set);
#  - a runtime stopped twice is closed once.
. tests/lib/vmtest.sh

S=rt_review
L=tests/vm/cases/runtime/lua

cleanup_tests() {
	"$LP" exec "${S}_t" 'worker:stop()' >/dev/null 2>&1
	"$LP" stop "$S" >/dev/null 2>&1
	"$LP" stop "${S}_s" >/dev/null 2>&1
	"$LP" stop "${S}_t" >/dev/null 2>&1
}

runtimes() {
	"$LP" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["runtimes"])'
}

# forge the class of a data object with a closed object, then store it:
# getmetatable gives the class name (a string), so the forgery cannot even
# be written, and a closed object or a table claiming the class is refused
FORGE='local data, rcu = require("data"), require("rcu")
local a, b = data.new(4), data.new(4)
do local closed <close> = b end
local mt = getmetatable(a)
local forged = pcall(function() mt.__lunatik = b end)
local t = rcu.table()
local ok = pcall(function() t.k = a end)
local okb = pcall(function() t.j = b end)
local tbl = pcall(function() t.x = setmetatable({}, mt) end)
return ok and not forged and type(mt) == "string", t.k ~= nil, okb, tbl'

test_forged_class() {
	local ctx s
	for ctx in process softirq; do
		s=$S
		[ $ctx = softirq ] && s=${S}_s
		check_run "$LP" run "$L/basic.lua" --name "$s" --context $ctx || return
		assert_eq "$("$LP" exec "$s" "$FORGE" 2>&1)" $'true\ttrue\tfalse\tfalse' \
			"$ctx: a forged metatable field changes nothing"
		assert_eq "$("$LP" exec "$s" 'return bump(1)')" 1 "$ctx: set still works"
	done
}

test_nested_stop() {
	local base
	base=$(runtimes)
	assert_match "$("$LP" exec "$S" "local a = lunatik.runtime('$L/stopper'); local b = lunatik.runtime('$L/child'); return a:resume(b)" 2>&1)" \
		$'^false\t.*runtime:stop: runtimes nest at most one level' "a Lua-made runtime cannot stop another"
	assert_eq "$("$LP" exec "$S" "local r = lunatik.runtime('$L/child'); r:stop(); r:stop(); return pcall(r.resume, r, 1, 2)" 2>&1)" \
		$'false\truntime was stopped' "a second stop is a no-op"
	assert_eq "$("$LP" exec "$S" 'collectgarbage(); collectgarbage(); return 1')" 1 "collect"
	assert_eq "$(runtimes)" "$base" "every Lua-made runtime closed once"
}

test_killable_stop() {
	local rc
	check_run "$LP" run "$L/rv_thread.lua" --name "${S}_t" || return
	sleep 1	# let the thread take the runtime's lock
	{ timeout -s KILL 3 "$LP" exec "${S}_t" 'idle:stop()' >/dev/null 2>&1; } 2>/dev/null
	rc=$?
	assert_eq "$rc" 137 "stop waiting for a busy runtime is killed"
	assert_eq "$("$LP" exec "${S}_t" 'worker:stop(); idle:stop(); return pcall(idle.resume, idle)' 2>&1)" \
		$'false\truntime was stopped' "the thread stops, then the runtime"
	check_run "$LP" stop "${S}_t"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_forged_class test_nested_stop test_killable_stop)
run_tests
