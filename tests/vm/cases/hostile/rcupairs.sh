#!/usr/bin/env bash
# Issue 6 item 12: clearing an rcu table inside pairs() left 192 of 200
# entries (the walk jumped to the next bucket when the current key was
# gone). Chains are sorted now and the walk resumes after the deleted key.
. tests/lib/vmtest.sh

S=hostile_rcupairs
L=tests/vm/cases/hostile/lua

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
}

test_delete_while_walking() {
	local ctx b
	for ctx in process softirq; do
		check_run "$LP" run "$L/rcupairs.lua" --name "$S" --context $ctx || return
		for b in 1 16 1024; do
			assert_eq "$(taskset -c 0 "$LP" exec "$S" "return clear($b, 200)")" "200 0" \
				"clear 200 entries in pairs, $b buckets ($ctx)"
			assert_eq "$(taskset -c 0 "$LP" exec "$S" "return halve($b, 200)")" "200 0 100" \
				"delete half in pairs: all visited once, 100 left, $b buckets ($ctx)"
			assert_eq "$(taskset -c 0 "$LP" exec "$S" "return mapclear($b, 200)")" "200 0" \
				"clear in rcu.map, $b buckets ($ctx)"
		done
		check_run "$LP" stop "$S"
	done
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_delete_while_walking)
run_tests
