#!/usr/bin/env bash
# A runtime created from Lua belongs to the set instance that made it: when
# the set is stopped or reloaded, the runtime is stopped too, even when a
# reference cycle (its state holding its own object) or another set (which
# got it from a published rcu table) keeps its object alive.
. tests/lib/vmtest.sh

A=rt_tree_a
B=rt_tree_b
L=tests/vm/cases/runtime/lua

cleanup_tests() {
	"$LP" stop "$A" >/dev/null 2>&1
	"$LP" stop "$B" >/dev/null 2>&1
}

stat() {
	"$LP" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

# make a runtime that keeps its own object, drop the set's reference to it
make_cycle() {
	assert_eq "$("$LP" exec "$1" 'local r = lunatik.runtime("tests/vm/cases/runtime/lua/keeper"); local k = r:resume(r); r = nil; collectgarbage(); collectgarbage(); return k' 2>&1)" \
		kept "$1: runtime keeps its own object"
}

test_cycle_stopped_with_set() {
	local runtimes allocs
	runtimes=$(stat runtimes)
	allocs=$(stat allocs)
	check_run "$LP" run "$L/basic.lua" --name "$A" || return
	make_cycle "$A"
	assert_eq "$(stat runtimes)" "$((runtimes + 2))" "instance + the kept runtime alive"
	check_run "$LP" stop "$A"
	assert_eq "$(stat runtimes)" "$runtimes" "the kept runtime closed with its set"
	assert_eq "$(stat allocs)" "$allocs" "nothing of the cycle left"
}

test_cycle_stopped_by_reload() {
	local runtimes
	runtimes=$(stat runtimes)
	check_run "$LP" run "$L/basic.lua" --name "$A" || return
	local n
	n=$(($(stat runtimes) - runtimes))
	make_cycle "$A"
	assert_eq "$(stat runtimes)" "$((runtimes + n + 1))" "instances + the kept runtime alive"
	check_run "$LP" reload "$A"
	assert_eq "$(stat runtimes)" "$((runtimes + n))" "reload closed the old generation's runtime"
	check_run "$LP" stop "$A"
	assert_eq "$(stat runtimes)" "$runtimes" "all closed"
}

test_shared_runtime_stops_with_owner() {
	check_run "$LP" run "$L/basic.lua" --name "$A" || return
	check_run "$LP" run "$L/basic.lua" --name "$B" || return
	assert_eq "$("$LP" exec "$A" 'local rcu = require("rcu"); local t = rcu.table(); t.rt = lunatik.runtime("tests/vm/cases/runtime/lua/keeper"); rcu.publish("rt_tree", t); return "published"' 2>&1)" \
		published "A publishes its runtime"
	assert_eq "$("$LP" exec "$B" 'SHARED = require("rcu").subscribe("rt_tree").rt; return SHARED:resume(1)' 2>&1)" \
		kept "B resumes A's runtime"
	check_run "$LP" stop "$A"
	assert_eq "$("$LP" exec "$B" 'return select(2, pcall(SHARED.resume, SHARED, 2))' 2>&1)" \
		"runtime was stopped" "A's runtime stopped with A, though B holds it"
	check_run "$LP" stop "$B"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_cycle_stopped_with_set test_cycle_stopped_by_reload
	test_shared_runtime_stops_with_owner)
run_tests
