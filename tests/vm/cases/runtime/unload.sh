#!/usr/bin/env bash
# Unloading the module with sets alive (process and softirq, a Lua-made
# runtime, a set in another netns) stops and frees everything: no splat
# (tests/vm/run checks dmesg) and no "leaked" report from the module.
. tests/lib/vmtest.sh

L=tests/vm/cases/runtime/lua

cleanup_tests() {
	lsmod | grep -q '^lunatik ' || modprobe lunatik script_root="$(pwd)"
}

test_unload_with_sets() {
	local ns
	netns_new ns || return
	check_run "$LP" run "$L/basic.lua" --name rt_unload_p || return
	check_run "$LP" run "$L/basic.lua" --name rt_unload_s --context softirq
	check_run "$LP" run "$L/parent.lua" --name rt_unload_lua
	check_run ip netns exec "$ns" "$LP" run "$L/basic.lua" --name rt_unload_ns
	assert_eq "$(ip netns exec "$ns" "$LP" exec rt_unload_ns 'return version')" v1 "set in another netns"
	check_fail --status 6 "$LP" exec rt_unload_ns 'return version'
	local leaks
	leaks=$(dmesg | grep -c 'lunatik: .* leaked')
	check_run rmmod lunatik
	assert_eq "$(dmesg | grep -c 'lunatik: .* leaked')" "$leaks" "module freed all its allocations"
	check_run modprobe lunatik script_root="$(pwd)"
	assert_eq "$("$LP" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["sets"]))')" 0 "no set after reload of the module"
}

# a netns going away stops its sets
test_netns_exit() {
	local ns before
	before=$("$LP" stats --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["sets"], s["runtimes"])')
	netns_new ns || return
	check_run ip netns exec "$ns" "$LP" run "$L/basic.lua" --name rt_unload_ns --context softirq || return
	ip netns del "$ns"
	local i now
	for i in $(seq 1 30); do # netns cleanup runs from a workqueue
		now=$("$LP" stats --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["sets"], s["runtimes"])')
		[ "$now" = "$before" ] && break
		sleep 1
	done
	assert_eq "$now" "$before" "netns exit stopped its set"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_unload_with_sets test_netns_exit)
run_tests
