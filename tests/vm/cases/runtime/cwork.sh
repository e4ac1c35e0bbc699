#!/usr/bin/env bash
# Work Lua does in C, where the VM's instruction hook never runs, is charged
# to the call's budget (luai_work, kmod/lua/luaconf.h): each chunk below is
# one or a few instructions doing unbounded or huge work in C, and ends in
# "instruction budget exceeded" (not a CPU stuck in softirq); a pcall in the
# script cannot swallow the cut, the budget hit is counted and the set keeps
# working. (Found by tests/fuzz and a review of the C loops.)
. tests/lib/vmtest.sh

S=rt_cwork
L=tests/vm/cases/runtime/lua

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
}

budget_hits() {
	"$LP" list --json | python3 -c 'import json,sys; s=[x for x in json.load(sys.stdin)["sets"] if x["name"]==sys.argv[1]][0]; print(sum(i["budget_hits"] for i in s["instances"]))' "$S"
}

cut() {
	local out
	out=$(taskset -c 0 "$LP" exec "$S" "$1" 2>&1)
	assert_match "$out" 'instruction budget exceeded' "$2 ($ctx)"
}

test_c_loops() {
	local ctx hits
	for ctx in process softirq; do
		check_run "$LP" run "$L/basic.lua" --name "$S" --context $ctx || return
		cut 'return string.find(string.rep("a", 3000), string.rep("a-", 10) .. "b")' \
			"pattern backtracking"
		cut 'table.move({}, 1, 1 << 40, 2)' "table.move of 2^40 nils"
		cut 'local t = {} for i = 1, 100000 do t[i] = -i end table.sort(t)' \
			"table.sort of 100000"
		cut 'pcall(table.move, {}, 1, 1 << 40, 2) return "swallowed"' \
			"pcall cannot swallow the cut"
		cut 'table.remove(setmetatable({}, {__len = function() return math.maxinteger end}), 1)' \
			"table.remove trusting __len"
		cut 'local r = string.rep("%1", 1 << 20) string.rep("b", 1000):gsub("(a-)", r)' \
			"gsub replacement scans"
		cut 'local s = string.rep("a", 1 << 20) s:find(string.rep("a", 4096) .. "b", 1, true)' \
			"quadratic plain find"
		cut 'local a, b = string.rep("\0", 1 << 20), string.rep("\0", 1 << 20) .. "x" local n = 0 while a < b do n = n + 1 end' \
			"comparing long strings in a loop"
		cut 'local t = {} for i = 1, 1900 do t = setmetatable({}, {__index = t}) end while t.x == nil do end' \
			"deep __index chain in a loop"
		cut "return a$(printf ' or a%.0s' $(seq 12000))" "compiling a 12000-term or chain"
		cut 'local t = require("rcu").table(1) for i = 1, 100000 do t["k" .. i] = i end' \
			"filling one rcu bucket (chain walks)"
		cut 'local t = {} for i = 1, 50000 do t[i] = {} end while true do collectgarbage() end' \
			"full collections in a loop"
		check_run taskset -c 0 "$LP" exec "$S" 'KEEP = {} for i = 1, 100 do KEEP[i] = string.rep("y", 100000) .. i end'
		cut 'while true do pcall(string.rep, "x", 20 << 20) end' \
			"memory errors caught in a loop (a full collection each)"
		check_run taskset -c 0 "$LP" exec "$S" 'KEEP = nil collectgarbage()'
		check_run taskset -c 0 "$LP" exec "$S" 'T = {} for i = 1, 150000 do T[i] = true end'
		check_run taskset -c 0 "$LP" exec "$S" 'for i = 1, 150000 do T[i] = nil end T.x = 1'
		cut 'while true do next(T) end' "next() over an array of nils"
		hits=$(budget_hits)
		assert_eq "$hits" 14 "budget hits counted ($ctx)"
		assert_eq "$(taskset -c 0 "$LP" exec "$S" 'return string.rep("", 1 << 40) .. bump()')" 1 \
			"set still works; rep of nothing is immediate ($ctx)"
		check_run "$LP" stop "$S"
	done
}

# resuming another runtime runs on what is left of the caller's budget and
# is charged to it: 1000 resumes of 300k instructions each are cut
test_resume_shares_budget() {
	local ctx
	for ctx in process softirq; do
		check_run "$LP" run "$L/resumer.lua" --name "$S" --context $ctx || return
		assert_eq "$(taskset -c 0 "$LP" exec "$S" 'return spinner:resume(10)')" 10 \
			"a short resume works ($ctx)"
		cut 'for _ = 1, 1000 do spinner:resume(100000) end return "done"' \
			"resumes cannot multiply the budget"
		check_run "$LP" stop "$S"
	done
}

# one print makes at most 16 kernel log records
test_print_bounded() {
	local before after
	check_run "$LP" run "$L/basic.lua" --name "$S" || return
	before=$(dmesg | wc -l)
	check_run "$LP" exec "$S" 'print(string.rep("cwork\n", 100000))'
	after=$(dmesg | wc -l)
	assert_eq "$((after - before <= 17))" 1 "$((after - before)) records for 100000 lines"
	assert_match "$(dmesg | tail -1)" 'output truncated' "truncation noted"
	check_run "$LP" stop "$S"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_c_loops test_resume_shares_budget test_print_bounded)
run_tests
