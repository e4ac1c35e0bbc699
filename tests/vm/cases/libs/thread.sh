#!/usr/bin/env bash
# The thread and completion libraries: kernel threads running Lua-made
# runtimes, stop(), completions across threads, timeouts and interrupts.
. tests/lib/vmtest.sh

cleanup_tests() {
	"$LP" stop libs_thread >/dev/null 2>&1
	"$LP" stop libs_thread_s >/dev/null 2>&1
}

# no thread named lp_* within 5 s (object releases run from a work queue)
no_threads() {
	local i
	for i in $(seq 50); do
		ps -eo comm | grep -q '^lp_' || return 0
		sleep 0.1
	done
	return 1
}

exec_ok() {
	assert_eq "$("$LP" exec libs_thread "return $1()" 2>&1)" ok "$1"
}

test_threads() {
	check_run "$LP" run tests/vm/cases/libs/lua/thread.lua --name libs_thread || return
	assert_match "$(ps -eo comm)" 'lp_worker' "worker thread listed by ps"
	exec_ok test_completion
	exec_ok test_worker
	exec_ok test_waiter
	exec_ok test_stopped_runtime
	check_run "$LP" stop libs_thread
	check_run no_threads
}

# a thread left running is stopped when its set is stopped
test_stop_with_set() {
	check_run "$LP" run tests/vm/cases/libs/lua/thread.lua --name libs_thread || return
	assert_match "$(ps -eo comm)" 'lp_waiter' "threads running"
	check_run "$LP" stop libs_thread
	check_run no_threads
}

test_softirq() {
	local out
	check_run "$LP" run tests/vm/cases/libs/lua/linux.lua --name libs_thread_s \
		--context softirq || return
	out=$("$LP" exec libs_thread_s \
		'local c = require("completion").new(); c:complete(); return c:wait()' 2>&1)
	assert_match "$out" 'cannot sleep in this context' "completion wait refused in softirq"
	out=$("$LP" exec libs_thread_s \
		'local c = require("completion").new(); c:complete(); return "ok"' 2>&1)
	assert_eq "$out" ok "complete() works in softirq"
	check_run "$LP" stop libs_thread_s
}

# threads ended by shouldstop(), not by the SIGKILL fallback or an error
test_clean_log() {
	local new
	new=$(dmesg | tail -n +$((dmesg_start + 1)) | grep 'lunatik' || true)
	assert_eq "$new" "" "no lunatik errors in the kernel log"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
dmesg_start=$(dmesg | wc -l)
ALL_TESTS=(test_threads test_stop_with_set test_softirq test_clean_log)
run_tests
