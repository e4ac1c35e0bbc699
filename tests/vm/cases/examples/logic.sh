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

# The worst packets the scripts accept, against a packet-sized budget: each
# must decide within 50000 instructions per call. The smallest budget that
# suffices is printed for each (a measure, not an assertion).
WORST=(labels questions tcp answers rewrite)
declare -A WANT=([labels]=allowed [questions]=malformed [tcp]=malformed
	[answers]="malformed 0" [rewrite]="rewritten 64")

test_budget() {
	local b kind out
	declare -A least=()
	# builds and publishes the packets (default budget)
	check_run "$LP" run "$SET.lua" --name examples_budget || return
	check_run "$LP" stop examples_budget
	for b in 5000 10000 20000 30000 50000; do
		if [ "$b" != 50000 ]; then
			# loading (lexing included) may not fit the smallest budgets
			"$LP" run "$SET.lua" --name examples_budget --budget "$b" >/dev/null 2>&1 ||
				continue
		else
			check_run "$LP" run "$SET.lua" --name examples_budget --budget "$b" || return
		fi
		for kind in "${WORST[@]}"; do
			out=$("$LP" exec examples_budget "return worst('$kind')" 2>&1)
			if [ "$out" = "${WANT[$kind]}" ] && [ -z "${least[$kind]:-}" ]; then
				least[$kind]=$b
			fi
			if [ "$b" = 50000 ]; then
				assert_eq "$out" "${WANT[$kind]}" "$kind within 50000 instructions"
			fi
		done
		check_run "$LP" stop examples_budget
	done
	for kind in "${WORST[@]}"; do
		echo "    # $kind: decided within a budget of ${least[$kind]:-more than 50000}"
	done
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_decisions test_budget)
run_tests
