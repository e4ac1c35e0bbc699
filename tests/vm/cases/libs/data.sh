#!/usr/bin/env bash
# The data library: every getter/setter, byte order, bounds errors, in a
# process set and in every instance of a softirq set (BH disabled).
. tests/lib/vmtest.sh

SCRIPT=tests/vm/cases/libs/lua/data.lua

cleanup_tests() {
	"$LP" stop libs_data_p >/dev/null 2>&1
	"$LP" stop libs_data_s >/dev/null 2>&1
}

test_process() {
	check_run "$LP" run "$SCRIPT" --name libs_data_p --context process || return
	assert_eq "$("$LP" exec libs_data_p 'return test()' 2>&1)" ok "data checks, process set"
	check_run "$LP" stop libs_data_p
}

test_softirq() {
	local cpu
	check_run "$LP" run "$SCRIPT" --name libs_data_s --context softirq || return
	for cpu in $(seq 0 $(($(nproc) - 1))); do
		assert_eq "$(taskset -c "$cpu" "$LP" exec libs_data_s 'return test()' 2>&1)" ok \
			"data checks, softirq instance of cpu $cpu"
	done
	check_run "$LP" stop libs_data_s
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_process test_softirq)
run_tests
