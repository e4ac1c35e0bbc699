#!/usr/bin/env bash
# Work Lua does in C, where the VM's instruction hook never runs, is charged
# to the call's budget: a backtracking pattern, a 2^40-element table.move
# and a big table.sort end in "instruction budget exceeded" (not a CPU
# stuck in softirq), a pcall in the script cannot swallow the cut, the
# budget hit is counted and the set keeps working. (Found by tests/fuzz.)
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
		hits=$(budget_hits)
		assert_eq "$hits" 4 "budget hits counted ($ctx)"
		assert_eq "$(taskset -c 0 "$LP" exec "$S" 'return string.rep("", 1 << 40) .. bump()')" 1 \
			"set still works; rep of nothing is immediate ($ctx)"
		check_run "$LP" stop "$S"
	done
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_c_loops)
run_tests
