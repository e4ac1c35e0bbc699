#!/usr/bin/env bash
# The linux library: byte order, random, constants, time; schedule() only
# where the runtime may sleep.
. tests/lib/vmtest.sh

SCRIPT=tests/vm/cases/libs/lua/linux.lua

cleanup_tests() {
	"$LP" stop libs_linux_p >/dev/null 2>&1
	"$LP" stop libs_linux_s >/dev/null 2>&1
}

test_process() {
	local ms
	check_run "$LP" run "$SCRIPT" --name libs_linux_p --context process || return
	assert_eq "$("$LP" exec libs_linux_p 'return test()' 2>&1)" ok "linux checks, process set"
	ms=$("$LP" exec libs_linux_p 'return sleep(50)' 2>&1)
	assert_match "$ms" '^[0-9]+$' "schedule(50) returns" &&
		{ [ "$ms" -ge 50 ] && [ "$ms" -lt 5000 ]; } &&
		assert_eq ok ok "schedule(50) slept ${ms} ms"
	assert_eq "$("$LP" exec libs_linux_p 'return linux == nil' 2>&1)" true \
		"require does not set globals"
	check_run "$LP" stop libs_linux_p
}

test_softirq() {
	local cpu out
	check_run "$LP" run "$SCRIPT" --name libs_linux_s --context softirq || return
	for cpu in $(seq 0 $(($(nproc) - 1))); do
		assert_eq "$(taskset -c "$cpu" "$LP" exec libs_linux_s 'return test()' 2>&1)" ok \
			"linux checks, softirq instance of cpu $cpu"
		assert_eq "$(taskset -c "$cpu" "$LP" exec libs_linux_s \
			'return require("linux").cpu()' 2>&1)" "$cpu" "linux.cpu() on cpu $cpu"
	done
	out=$("$LP" exec libs_linux_s 'return sleep(1)' 2>&1)
	assert_match "$out" 'cannot sleep in this context' "schedule() refused in softirq"
	check_run "$LP" stop libs_linux_s
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_process test_softirq)
run_tests
