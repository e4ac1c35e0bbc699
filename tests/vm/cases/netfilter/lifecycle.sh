#!/usr/bin/env bash
# Reload, stop, netns deletion and module unload while traffic flows
# through the hooks: reload keeps unchanged hooks (their counters go on),
# adds new ones and removes old ones with no packet passing unfiltered;
# everything else ends with no splat and no leaked allocation.
. tests/lib/vmtest.sh
. tests/vm/cases/netfilter/common.sh

S=nf_life

cleanup_tests() {
	nf_cleanup
	lsmod | grep -q '^lunatik ' || modprobe lunatik script_root="$(pwd)"
}

# nf_flood NS ADDR PORT SECONDS: background flood, pid in _nf_flood
nf_flood() {
	ip netns exec "$1" $UDP flood "$2" "$3" "$4" >/dev/null &
	_nf_flood=$!
	_nf_pids+=($!)
}

test_reload_under_traffic() {
	local i before after
	nf_topo || return
	check_run nf_lp "$B" run "$NFLUA/v1.lua" --name "$S" --context softirq || return
	nf_recv_start "$B" 10.9.0.2 9999 120 rr || return
	nf_flood "$A" 10.9.0.2 9999 600
	for i in $(seq 60); do
		before=$(nf_hook "$B" "$S" 0 'h["packets"]')
		[ "$before" -gt 0 ] && break
		sleep 0.5
	done
	for i in 1 2 3; do
		check_run nf_lp "$B" reload "$S" --script "$NFLUA/v2.lua"
		assert_eq "$(nf_hook "$B" "$S" 0 'len(hooks)')" 2 "reload $i: new hook added"
		check_run nf_lp "$B" reload "$S" --script "$NFLUA/v1.lua"
		assert_eq "$(nf_hook "$B" "$S" 0 'len(hooks)')" 1 "reload $i: hook removed"
	done
	sleep 1
	kill "$_nf_flood"
	wait "$_nf_flood" 2>/dev/null
	after=$(nf_hook "$B" "$S" 0 'h["packets"]')
	nf_recv_wait rr
	assert_eq "$(nf_recv_count rr 9999)" 0 "no packet passed unfiltered during 6 reloads"
	assert_eq "$((after > before && before > 0))" 1 "the kept hook counted on across reloads ($before -> $after)"
	assert_eq "$(nf_hook "$B" "$S" 0 'h["stopped"], h["fallback"], h["errors"]')" "(0, 0, 0)" \
		"the kept hook never lacked a generation"
	assert_eq "$(nf_lp "$B" exec "$S" 'return VERSION')" v1 "last generation runs"
}

test_reload_diff() {
	nf_recv_start "$B" 10.9.0.2 9998 60 rd1 || return
	nf_send "$A" 10.9.0.2 9998 5 x
	nf_recv_wait rd1
	assert_eq "$(nf_recv_count rd1 9998)" 5 "v1: 9998 passes"
	check_run nf_lp "$B" reload "$S" --script "$NFLUA/v2.lua"
	nf_recv_start "$B" 10.9.0.2 9998 60 rd2 || return
	nf_send "$A" 10.9.0.2 9998 5 x
	nf_recv_wait rd2
	assert_eq "$(nf_recv_count rd2 9998)" 0 "v2: the new LOCAL_IN hook drops 9998"
	assert_eq "$(nf_hook "$B" "$S" 1 'h["desc"], h["verdicts"]["DROP"]')" \
		"('ipv4 LOCAL_IN prio 0', 5)" "new hook counted"
	# a reload that fails keeps the running generation and its hooks
	check_fail --status 1 nf_lp "$B" reload "$S" --script "$NFLUA/percpu.lua"
	assert_eq "$(nf_lp "$B" exec "$S" 'return VERSION')" v2 "failed reload: v2 still runs"
	assert_eq "$(nf_hook "$B" "$S" 0 'len(hooks)')" 2 "failed reload: hooks unchanged"
	check_run nf_lp "$B" stop "$S"
}

# stop, netns deletion and rmmod with packets flowing through the hooks
nf_allocs() {
	"$LP" stats --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["allocs"], s["sets"])'
}

test_teardown_under_traffic() {
	local base now i
	# retired generations close from a work item: wait until quiet
	base=$(nf_allocs)
	for i in $(seq 30); do
		sleep 1
		now=$(nf_allocs)
		[ "$now" = "$base" ] && break
		base=$now
	done
	check_run nf_lp "$B" run "$NFLUA/ingress.lua" --name "$S" --context softirq || return
	nf_flood "$A" 10.9.0.2 9998 4
	sleep 1
	check_run nf_lp "$B" stop "$S"
	wait "$_nf_flood"
	now=$("$LP" stats --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["allocs"], s["sets"])')
	for i in $(seq 30); do
		[ "$now" = "$base" ] && break
		sleep 1
		now=$("$LP" stats --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["allocs"], s["sets"])')
	done
	assert_eq "$now" "$base" "stop under traffic: allocations back to baseline"

	check_run nf_lp "$B" run "$NFLUA/ingress.lua" --name "$S" --context softirq || return
	check_run nf_lp "$B" run "$NFLUA/netdev.lua" --name "${S}_dev" --context softirq || return
	nf_flood "$A" 10.9.0.2 9998 4
	sleep 1
	ip netns del "$B"
	wait "$_nf_flood"
	# netns exit also drains deferred object frees: at most the baseline
	for i in $(seq 30); do
		now=$(nf_allocs)
		[ "${now#* }" = 0 ] && [ "${now% *}" -le "${base% *}" ] && break
		sleep 1
	done
	assert_eq "$(( ${now#* } == 0 && ${now% *} <= ${base% *} ))" 1 \
		"netns deleted under traffic: its sets and hooks are gone ($now, baseline $base)"

	netns_new B || return
	ip link add nfa2 netns "$A" type veth peer name nfb netns "$B"
	ip -n "$A" addr add 10.9.1.1/24 dev nfa2
	ip -n "$B" addr add 10.9.1.2/24 dev nfb
	ip -n "$A" link set nfa2 up
	ip -n "$B" link set nfb up
	check_run nf_lp "$B" run "$NFLUA/ingress.lua" --name "$S" --context softirq || return
	check_run nf_lp "$B" run "$NFLUA/netdev.lua" --name "${S}_dev" --context softirq || return
	nf_flood "$A" 10.9.1.2 9998 4
	sleep 1
	local leaks
	leaks=$(dmesg | grep -c 'lunatik: .* leaked')
	check_run rmmod lunatik
	wait "$_nf_flood"
	assert_eq "$(dmesg | grep -c 'lunatik: .* leaked')" "$leaks" "rmmod under traffic: nothing leaked"
	check_run modprobe lunatik script_root="$(pwd)"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_reload_under_traffic test_reload_diff test_teardown_under_traffic)
run_tests
