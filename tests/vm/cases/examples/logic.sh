#!/usr/bin/env bash
# The DNS examples' shared modules in the kernel's Lua, before the netfilter
# and xtables libraries exist: decisions on crafted packets in every
# instance of a softirq set, a blocklist shared through rcu, and worst-case
# packets within a packet-sized call budget.
. tests/lib/vmtest.sh

SET=tests/vm/cases/examples/lua/dns_logic

cleanup_tests() {
	"$LP" stop "$SET" >/dev/null 2>&1
	"$LP" stop examples_budget >/dev/null 2>&1
}

test_decisions() {
	local cpu
	check_run "$LP" run "$SET.lua" --context softirq || return
	assert_eq "$("$LP" exec "$SET" 'return add("example.com")' 2>&1)" added "add a name"
	for cpu in $(seq 0 $(($(nproc) - 1))); do
		assert_eq "$(taskset -c "$cpu" "$LP" exec "$SET" 'return test()' 2>&1)" ok \
			"packet checks on cpu $cpu"
		assert_eq "$(taskset -c "$cpu" "$LP" exec "$SET" \
			'return classify("a.b.example.com")' 2>&1)" blocked \
			"cpu $cpu sees the shared blocklist"
	done
	check_run "$LP" stop "$SET"
}

# The worst packets the scripts accept must fit a budget far below the
# default: 200000 instructions per call.
test_budget() {
	check_run "$LP" run "$SET.lua" --name examples_budget --budget 200000 || return
	assert_eq "$("$LP" exec examples_budget 'return worst("labels")' 2>&1)" allowed \
		"127 labels, 127 suffix lookups"
	assert_eq "$("$LP" exec examples_budget 'return worst("tcp")' 2>&1)" allowed \
		"4 TCP messages of 8 long questions"
	assert_eq "$("$LP" exec examples_budget 'return worst("answers")' 2>&1)" "rewritten 64" \
		"64 answers with 62-label owners"
	check_run "$LP" stop examples_budget
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_decisions test_budget)
run_tests
