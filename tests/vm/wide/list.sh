#!/usr/bin/env bash
# Run by tests/run-all.sh in a guest with many possible CPUs (tests/vm/run
# --maxcpus): a softirq set has an instance per possible CPU, and its LIST
# message is then larger than a default netlink dump buffer. Listing it, and
# replying to create and reload, must still work.
. tests/lib/vmtest.sh

S=wide_list
L=tests/vm/cases/runtime/lua

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
}

possible_cpus() {
	python3 -c 'import sys
n = 0
for r in open("/sys/devices/system/cpu/possible").read().strip().split(","):
    a, _, b = r.partition("-")
    n += int(b or a) - int(a) + 1
print(n)'
}

instances() {
	"$LP" list --json | python3 -c 'import json,sys; s=[x for x in json.load(sys.stdin)["sets"] if x["name"]==sys.argv[1]][0]; print(len(s["instances"]), s["instances"][-1]["cpu"])' "$S"
}

test_list_wide_set() {
	local n
	n=$(possible_cpus)
	[ "$n" -ge 64 ] || skip "only $n possible CPUs (run with tests/vm/run --maxcpus)"
	check_run "$LP" run "$L/basic.lua" --name "$S" --context softirq || return
	assert_eq "$(instances)" "$n $((n - 1))" "list shows all $n instances"
	assert_match "$("$LP" list)" "$S" "plain list"
	assert_eq "$("$LP" exec "$S" 'return bump()')" 1 "exec"
	assert_match "$("$LP" reload "$S")" "^$S generation [0-9]+$" "reload reply"
	assert_eq "$(instances)" "$n $((n - 1))" "list after reload"
	check_run "$LP" stop "$S"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_list_wide_set)
run_tests
