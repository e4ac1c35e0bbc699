#!/usr/bin/env bash
# The libraries release everything: the module's allocation counter is the
# same before and after many rcu tables/entries, data objects, completions,
# published names and threads, and after sets using them are stopped.
. tests/lib/vmtest.sh

cleanup_tests() {
	"$LP" stop libs_churn >/dev/null 2>&1
}

allocs() {
	"$LP" stats --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["allocs"])'
}

# the whole state is gone after stop, so any difference is a kernel object
test_objects() {
	local before after
	before=$(allocs)
	check_run "$LP" run tests/vm/cases/libs/lua/churn.lua --name libs_churn || return
	assert_eq "$("$LP" exec libs_churn 'return churn(1000)' 2>&1)" ok "1000 rounds of objects"
	assert_eq "$("$LP" exec libs_churn 'return threads(20)' 2>&1)" ok "20 threads"
	check_run "$LP" stop libs_churn
	after=$(allocs)
	assert_eq "$after" "$before" "allocations after objects and threads"
}

test_sets() {
	local before after i
	before=$(allocs)
	for i in $(seq 10); do
		"$LP" run tests/vm/cases/libs/lua/churn.lua --name libs_churn >/dev/null &&
			"$LP" exec libs_churn 'churn(5); threads(1); return "ok"' >/dev/null &&
			"$LP" stop libs_churn >/dev/null || { check_run false "cycle $i"; return; }
	done
	after=$(allocs)
	assert_eq "$after" "$before" "allocations after 10 set cycles"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_objects test_sets)
run_tests
