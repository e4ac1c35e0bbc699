#!/usr/bin/env bash
# Regressions found by the library safety review (kmod/lib/): nested rcu
# tables released without recursion, rcu next() converting its key outside
# the RCU read lock, methods whose own object is closed by a finalizer in
# the middle of the call, and thrd:stop() on a thread sleeping
# UNINTERRUPTIBLE in a loop.
. tests/lib/vmtest.sh

SCRIPT=tests/vm/cases/libs/lua/review_libs.lua

cleanup_tests() {
	"$LP" stop libs_review_p >/dev/null 2>&1
	"$LP" stop libs_review_s >/dev/null 2>&1
	"$LP" stop libs_review_t >/dev/null 2>&1
}

allocs() {
	"$LP" stats --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["allocs"])'
}

test_nested() {
	local before after cpu
	before=$(allocs)
	check_run "$LP" run "$SCRIPT" --name libs_review_p --context process || return
	assert_eq "$("$LP" exec libs_review_p 'return nested(20000)' 2>&1)" ok \
		"chain of 20000 nested tables released by the GC (process)"
	assert_eq "$("$LP" exec libs_review_p 'return nested_rcu(20000)' 2>&1)" ok \
		"chain of 20000 nested tables released by an RCU callback"
	check_run "$LP" run "$SCRIPT" --name libs_review_s --context softirq || return
	for cpu in $(seq 0 $(($(nproc) - 1))); do
		assert_eq "$(taskset -c "$cpu" "$LP" exec libs_review_s 'return nested(20000)' 2>&1)" ok \
			"chain of 20000 nested tables released in the softirq instance of cpu $cpu"
	done
	check_run "$LP" stop libs_review_p
	check_run "$LP" stop libs_review_s
	after=$(allocs)
	assert_eq "$after" "$before" "every table and entry of the chains freed"
}

test_next_key() {
	check_run "$LP" run "$SCRIPT" --name libs_review_p --context process || return
	assert_eq "$("$LP" exec libs_review_p 'return next_number()' 2>&1)" ok \
		"rcu next() with a number key"
	check_run "$LP" stop libs_review_p
}

test_finalizer_close() {
	local kind
	check_run "$LP" run "$SCRIPT" --name libs_review_p --context process || return
	for kind in data rcuget rcuset rcunext; do
		assert_eq "$("$LP" exec libs_review_p "return gcclose('$kind', 40)" 2>&1)" \
			"hits>0:true bad:0" "$kind: object closed by a finalizer mid-call raises"
	done
	check_run "$LP" stop libs_review_p
}

# kthread_stop() wakes the sleep once and SIGKILL never does: before the
# fix the next linux.schedule() slept for good and stop() never returned
test_stop_sleeper() {
	local t0 t1
	check_run "$LP" run tests/vm/cases/libs/lua/linux.lua --name libs_review_t || return
	check_run "$LP" exec libs_review_t 'sleeper = require("thread").run(
		require("lunatik").runtime("tests/vm/cases/libs/lua/sleeper"), "lp_sleeper") return "ok"'
	sleep 1
	assert_match "$(ps -eo comm)" 'lp_sleeper' "sleeping thread running"
	t0=$(date +%s)
	check_run timeout 60 "$LP" exec libs_review_t 'sleeper:stop() return "ok"'
	t1=$(date +%s)
	assert_match "$((t1 - t0))" '^([0-9]|1[0-9])$' "stop returned ($((t1 - t0)) s)"
	assert_eq "$(ps -eo comm | grep -c lp_sleeper)" 0 "thread gone"
	check_run "$LP" stop libs_review_t
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_nested test_next_key test_finalizer_close test_stop_sleeper)
run_tests
