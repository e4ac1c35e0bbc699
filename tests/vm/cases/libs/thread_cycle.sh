#!/usr/bin/env bash
# A kernel thread kept alive by a reference cycle (its own runtime holds its
# thread object, through a published rcu table) is stopped with the set that
# started it: by `stop`, by a reload, and by module unload with the set still
# running (it used to run on after the set, and once after unload).
. tests/lib/vmtest.sh

S=libs_cycle

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
}

has_cycle_thread() { ps -eo comm | grep -q '^lp_cycle'; }

# true once no lp_cycle thread is left (within 5 s)
cycle_thread_gone() {
	local _
	for _ in $(seq 50); do
		has_cycle_thread || return 0
		sleep 0.1
	done
	return 1
}

start_cycle() {
	check_run "$LP" run tests/vm/cases/libs/lua/cycle.lua --name "$S" || return
	assert_eq "$("$LP" exec "$S" 'return start()')" ok "thread started"
	sleep 0.5
	check_run has_cycle_thread
}

test_cycle_stopped_with_set() {
	start_cycle || return
	check_run "$LP" stop "$S"
	check_run cycle_thread_gone
}

test_cycle_stopped_by_reload() {
	start_cycle || return
	check_run "$LP" reload "$S"
	check_run cycle_thread_gone
	check_run "$LP" stop "$S"
}

test_cycle_stopped_at_unload() {
	start_cycle || return
	check_run modprobe -r lunatik
	check_fail has_cycle_thread
	check_run modprobe lunatik script_root="$LPVM_REPO"
}

ALL_TESTS=(test_cycle_stopped_with_set test_cycle_stopped_by_reload
	test_cycle_stopped_at_unload)
run_tests
