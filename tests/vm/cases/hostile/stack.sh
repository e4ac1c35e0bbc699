#!/usr/bin/env bash
# Issue 6 item 3: the C stack budget is bounded by the real kernel stack.
# A runtime resumed from deep inside its caller's nesting gets only what is
# left of the stack: every attempt ends in a Lua error or a result, never
# in a kernel stack overflow (the harness fails the run on the splat).
. tests/lib/vmtest.sh

S=hostile_stack
L=tests/vm/cases/hostile/lua

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
}

test_resume_from_depth() {
	local ctx
	for ctx in process softirq; do
		check_run "$LP" run "$L/deep.lua" --name "$S" --context $ctx || return
		assert_eq "$(taskset -c 0 "$LP" exec "$S" 'return probe(60)' 2>&1)" 60 \
			"resumes from 60 nesting depths end cleanly ($ctx)"
		assert_match "$(taskset -c 0 "$LP" exec "$S" 'return child:resume()' 2>&1)" \
			'stack overflow' "the child still recurses until its own budget ($ctx)"
		check_run "$LP" stop "$S"
	done
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_resume_from_depth)
run_tests
