#!/usr/bin/env bash
# rcu under concurrency: a kernel thread rewrites a shared table while the
# softirq instances of every CPU walk and read it at the same time.
. tests/lib/vmtest.sh

cleanup_tests() {
	"$LP" exec libs_stress_p 'return stop()' >/dev/null 2>&1
	"$LP" stop libs_stress_s >/dev/null 2>&1
	"$LP" stop libs_stress_p >/dev/null 2>&1
}

test_concurrent() {
	local cpu round pids=() out dir
	check_run "$LP" run tests/vm/cases/libs/lua/stress.lua --name libs_stress_p || return
	check_run "$LP" run tests/vm/cases/libs/lua/stress.lua --name libs_stress_s \
		--context softirq || return
	assert_eq "$("$LP" exec libs_stress_p 'return start()' 2>&1)" ok "writer thread started"
	dir=$(mktemp -d)
	for round in $(seq 5); do
		for cpu in $(seq 0 $(($(nproc) - 1))); do
			taskset -c "$cpu" "$LP" exec libs_stress_s 'return read(20)' \
				>"$dir/$round.$cpu" 2>&1 &
			pids+=($!)
		done
		wait "${pids[@]}"
		pids=()
	done
	out=$(cat "$dir"/* | grep -v '^[0-9][0-9]*$' || true)
	assert_eq "$out" "" "every concurrent read succeeded"
	out=$("$LP" exec libs_stress_p 'return require("rcu").subscribe("libs.stress").rounds' 2>&1)
	assert_match "$out" '^[0-9]+$' "writer made progress ($out rounds)"
	assert_eq "$("$LP" exec libs_stress_p 'return stop()' 2>&1)" ok "writer thread stopped"
	rm -rf "$dir"
	check_run "$LP" stop libs_stress_s
	check_run "$LP" stop libs_stress_p
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_concurrent)
run_tests
