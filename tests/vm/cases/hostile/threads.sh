#!/usr/bin/env bash
# Hostile scripts against the thread library: threads that stop each other,
# sleeps SIGKILL cannot end. Nothing may deadlock; every wait ends on a kill
# or within thrd:stop()'s grace period, and set stop and stats still return.
. tests/lib/vmtest.sh

S=hostile_threads
L=tests/vm/cases/hostile/lua

cleanup_tests() {
	timeout 30 "$LP" stop "$S" >/dev/null 2>&1
}

# Two threads, A runs B:stop() while B runs A:stop(): both end, the set is
# usable, and stop and stats return (they hung in kthread_stop and
# flush_workqueue).
test_mutual_stop() {
	local t0 t1
	check_run "$LP" run "$L/libs_base.lua" --name "$S" || return
	check_run timeout 20 "$LP" exec "$S" '
		local t = rcu.table(16)
		rcu.publish("libs.mutual", t)
		t.a = thread.run(lunatik.runtime("'"$L"'/libs_mutual"), "lp_mut_a")
		t.b = thread.run(lunatik.runtime("'"$L"'/libs_mutual"), "lp_mut_b")
		t.go = true
		return "ok"'
	t0=$(date +%s)
	while pgrep -x 'lp_mut_[ab]' >/dev/null && [ $(($(date +%s) - t0)) -lt 20 ]; do
		sleep 1
	done
	t1=$(date +%s)
	assert_eq "$(pgrep -x 'lp_mut_[ab]' | wc -l)" 0 "both threads ended ($((t1 - t0)) s)"
	assert_eq "$(timeout 20 "$LP" exec "$S" 'return 7')" 7 "the set still answers"
	check_run timeout 20 "$LP" stop "$S"
	check_run timeout 20 "$LP" stats
}

# The same, stopping the set while both threads still wait for each other:
# the set's teardown must not block on them.
test_mutual_stop_by_set() {
	check_run "$LP" run "$L/libs_base.lua" --name "$S" || return
	check_run timeout 20 "$LP" exec "$S" '
		local t = rcu.table(16)
		rcu.publish("libs.mutual", t)
		t.a = thread.run(lunatik.runtime("'"$L"'/libs_mutual"), "lp_mut_a")
		t.b = thread.run(lunatik.runtime("'"$L"'/libs_mutual"), "lp_mut_b")
		t.go = true
		return "ok"'
	check_run timeout 30 "$LP" stop "$S"
	check_run timeout 30 "$LP" stats
	assert_eq "$(pgrep -x 'lp_mut_[ab]' | wc -l)" 0 "no thread left"
}

# A thread sleeping UNINTERRUPTIBLE in a loop: thrd:stop() ends it (the
# sleep is killable, and a stopping thread does not sleep).
test_stop_uninterruptible_sleeper() {
	local t0 t1
	check_run "$LP" run "$L/libs_base.lua" --name "$S" || return
	check_run "$LP" exec "$S" 'sl = thread.run(lunatik.runtime("'"$L"'/libs_sleeper"), "lp_sleeper") return 1'
	sleep 1
	t0=$(date +%s)
	check_run timeout 20 "$LP" exec "$S" 'sl:stop() return 1'
	t1=$(date +%s)
	assert_match "$((t1 - t0))" '^[0-4]$' "stopped before the 5 s grace kill ($((t1 - t0)) s)"
	check_run timeout 20 "$LP" stop "$S"
}

# thrd:stop() on a thread stopped already, twice, and on thread.current()
test_stop_twice() {
	check_run "$LP" run "$L/libs_base.lua" --name "$S" || return
	check_run timeout 20 "$LP" exec "$S" '
		local th = thread.run(lunatik.runtime("'"$L"'/libs_sleeper"), "lp_twice")
		th:stop(); th:stop()
		local ok, err = pcall(thread.current().stop, thread.current())
		assert(not ok and err:find("not a thread made by thread.run"), err)
		return "ok"'
	check_run timeout 20 "$LP" stop "$S"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_mutual_stop test_mutual_stop_by_set test_stop_uninterruptible_sleeper test_stop_twice)
run_tests
