#!/usr/bin/env bash
# A kernel thread kept alive by a reference cycle (its own runtime holds its
# thread object) survives the set that started it; module unload must stop
# it before the module's code goes away (it used to keep running there).
. tests/lib/vmtest.sh

has_cycle_thread() { ps -eo comm | grep -q '^lp_cycle'; }

test_cycle_stopped_at_unload() {
	check_run "$LP" run tests/vm/cases/libs/lua/cycle.lua --name libs_cycle || return
	assert_eq "$("$LP" exec libs_cycle 'return start()')" ok "thread started"
	check_run "$LP" stop libs_cycle
	sleep 1
	check_run has_cycle_thread
	check_run modprobe -r lunatik
	check_fail has_cycle_thread
	sleep 1
	check_run modprobe lunatik script_root="$LPVM_REPO"
}

ALL_TESTS=(test_cycle_stopped_at_unload)
run_tests
