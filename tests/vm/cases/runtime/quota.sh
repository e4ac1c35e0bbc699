#!/usr/bin/env bash
# The memory cap covers all the kernel memory a script makes the module
# keep, not only its lua_State: data buffers, rcu table entries, runtimes
# created from Lua, kernel threads. Each bomb below would exhaust the
# guest's memory without the cap; with it, it ends in a Lua memory error,
# the set keeps working, and the memory is given back.
. tests/lib/vmtest.sh

S=rt_quota
D=tests/vm/cases/runtime
L=$D/lua

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
}

ex() {
	"$LP" exec "$S" "$1" 2>&1
}

mem_used() {
	"$LP" list --json | python3 -c 'import json,sys; s=[x for x in json.load(sys.stdin)["sets"] if x["name"]==sys.argv[1]][0]; print(sum(i["mem_used"] for i in s["instances"]))' "$S"
}

module_bytes() {
	"$LP" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["alloc_bytes"])'
}

# $1: a chunk that allocates without end; the set runs with a 4 MiB cap
bomb() {
	local chunk=$1 what=$2 base out
	check_run "$LP" run "$L/basic.lua" --name "$S" --mem 4M \
		--budget 200000000 || return
	base=$(mem_used)
	out=$(ex "$chunk")
	assert_match "$out" 'not enough memory' "$what: ends in a memory error"
	assert_eq "$(ex 'return bump()')" 1 "$what: the set still works"
	ex 'collectgarbage(); collectgarbage(); return 1' >/dev/null
	# what the chunk kept is garbage now: back near where it started
	assert_eq "$(($(mem_used) < base + 65536))" 1 \
		"$what: memory given back ($(mem_used) vs $base)"
	check_run "$LP" stop "$S"
}

test_data_bomb() {
	bomb 'local data = require("data") local t = {} for i = 1, 1000 do t[i] = data.new(1 << 20) end' \
		"data.new bomb"
}

test_rcu_bomb() {
	bomb 'local t = require("rcu").table() for i = 1, 10000000 do t["k" .. i] = i end' \
		"rcu entry bomb"
}

test_runtime_bomb() {
	bomb 'local t = {} for i = 1, 1000000 do t[i] = lunatik.runtime("tests/vm/cases/runtime/lua/child") end' \
		"lunatik.runtime bomb"
}

test_thread_bomb() {
	local n
	check_run "$LP" run "$L/basic.lua" --name "$S" --mem 2M || return
	assert_match "$(ex 'local thread = require("thread")
		local rt = lunatik.runtime("tests/vm/cases/libs/lua/idle")
		T = {}
		for i = 1, 100000 do T[i] = thread.run(rt, "lp_bomb") end')" \
		'not enough memory' "thread.run bomb: ends in a memory error"
	n=$(ps -eo comm | grep -c '^lp_bomb')
	# each thread is charged its kernel stack: 2 MiB hold at most 128
	assert_eq "$((n > 0 && n <= 128))" 1 "thread.run bomb: $n threads started"
	check_run "$LP" stop "$S"
	for _ in $(seq 50); do
		ps -eo comm | grep -q '^lp_bomb' || break
		sleep 0.1
	done
	assert_eq "$(ps -eo comm | grep -c '^lp_bomb')" 0 "threads stopped with the set"
}

test_garbage_is_collected() {
	# garbage data buffers do not pile up to the cap: the collector is
	# paced by their size, not by their small userdata
	check_run "$LP" run "$L/basic.lua" --name "$S" --mem 4M \
		--budget 200000000 || return
	assert_eq "$(ex 'local data = require("data") for i = 1, 500 do local d = data.new(1 << 20); d:setbyte(0, 1) end return "done"')" \
		done "500 MiB of short-lived 1 MiB buffers under a 4 MiB cap"
	check_run "$LP" stop "$S"
}

test_no_leak() {
	local before
	before=$(module_bytes)
	test_data_bomb >/dev/null
	test_rcu_bomb >/dev/null
	test_runtime_bomb >/dev/null
	assert_eq "$(module_bytes)" "$before" "module allocations back to the start"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_data_bomb test_rcu_bomb test_runtime_bomb test_thread_bomb
	test_garbage_is_collected test_no_leak)
run_tests
