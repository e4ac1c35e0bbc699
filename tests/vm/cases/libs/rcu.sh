#!/usr/bin/env bash
# The rcu library: table semantics in one runtime, then a table published by
# a process set and read/written by every instance of a softirq set.
. tests/lib/vmtest.sh

cleanup_tests() {
	"$LP" stop libs_rcu_w >/dev/null 2>&1
	"$LP" stop libs_rcu_r >/dev/null 2>&1
}

on_cpus() { seq 0 $(($(nproc) - 1)); }

test_table() {
	check_run "$LP" run tests/vm/cases/libs/lua/rcu_writer.lua --name libs_rcu_w || return
	assert_eq "$("$LP" exec libs_rcu_w 'return test()' 2>&1)" ok "rcu checks, process set"
}

test_shared() {
	local cpu n
	check_run "$LP" run tests/vm/cases/libs/lua/rcu_reader.lua --name libs_rcu_r \
		--context softirq || return
	for cpu in $(on_cpus); do
		assert_eq "$(taskset -c "$cpu" "$LP" exec libs_rcu_r 'return get("count")' 2>&1)" 0 \
			"reader on cpu $cpu sees the initial value"
	done
	assert_eq "$("$LP" exec libs_rcu_w 'return bump()' 2>&1)" 1 "writer bumps"
	assert_eq "$("$LP" exec libs_rcu_w 'return bump()' 2>&1)" 2 "writer bumps again"
	for cpu in $(on_cpus); do
		assert_eq "$(taskset -c "$cpu" "$LP" exec libs_rcu_r 'return get("count")' 2>&1)" 2 \
			"reader on cpu $cpu sees the update"
		assert_eq "$(taskset -c "$cpu" "$LP" exec libs_rcu_r 'return get("flag")' 2>&1)" true \
			"boolean on cpu $cpu"
		assert_eq "$(taskset -c "$cpu" "$LP" exec libs_rcu_r 'return get("buf")' 2>&1)" \
			"data $((0xcafe))" "data object shared with cpu $cpu"
		check_run taskset -c "$cpu" "$LP" exec libs_rcu_r "return put('cpu$cpu')"
		assert_eq "$("$LP" exec libs_rcu_w "return get('cpu$cpu')" 2>&1)" "$cpu" \
			"writer sees what cpu $cpu wrote"
	done
	n=$("$LP" exec libs_rcu_r 'return count()' 2>&1)
	assert_eq "$n" $((3 + $(nproc))) "pairs in softirq context"
	test_cas_concurrent
	assert_eq "$("$LP" exec libs_rcu_w 'return unpublish()' 2>&1)" nil "unpublish"
	assert_eq "$("$LP" exec libs_rcu_r 'return get("count")' 2>&1)" unpublished \
		"reader no longer finds the table"
	check_run "$LP" stop libs_rcu_r
	check_run "$LP" stop libs_rcu_w
}

# rcu.cas increments from every CPU at once: none is lost
test_cas_concurrent() {
	local cpu pids=() total
	for cpu in $(on_cpus); do
		taskset -c "$cpu" "$LP" exec libs_rcu_r 'return add(3000)' >/dev/null 2>&1 &
		pids+=($!)
	done
	wait "${pids[@]}"
	total=$("$LP" exec libs_rcu_w 'return get("adds")' 2>&1)
	assert_eq "$total" $((3000 * $(nproc))) "concurrent rcu.cas increments"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_table test_shared)
run_tests
