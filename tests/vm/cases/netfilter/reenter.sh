#!/usr/bin/env bash
# The busy path of the hook core: the stack transmits while the set's
# instance is running on this CPU, and the set's own LOCAL_OUT hook meets
# that busy instance. No Lua API transmits, so the test module
# lunatik_selftest_reenter.ko does it from inside lunatik_set_call() (what a
# C extension that emits packets would do). The nested packet gets the set's
# default verdict - pass: it reaches the peer although the script drops its
# port; drop: it never does although the script accepts it - "busy" counts
# it, and nothing deadlocks. Same for a --shared set, whose one lock other
# CPUs wait for (never counted busy).
. tests/lib/vmtest.sh
. tests/vm/cases/netfilter/common.sh

S=nf_reenter
MOD=lunatik_selftest_reenter
XMIT=/sys/module/$MOD/parameters/xmit
LAST=/sys/module/$MOD/parameters/last

cleanup_tests() {
	nf_cleanup
	rmmod "$MOD" 2>/dev/null
}

# reenter_xmit PORT N: N nested sends from A to 10.9.0.2:PORT; prints the
# outcome of each ("<call> <ip_local_out>") on one line
reenter_xmit() {
	local port=$1 n=$2 i out=()
	for i in $(seq "$n"); do
		ip netns exec "$A" sh -c "echo '$S 10.9.0.2 $port' >$XMIT" || return 1
		out+=("$(cat "$LAST")")
	done
	echo "${out[*]}"
}

# reenter_pass [RUN ARGS...]: default pass - the nested 9999 is sent on
reenter_pass() {
	local what=$1 rx=rp$RANDOM
	shift
	check_run nf_lp "$A" run "$NFLUA/output.lua" --name "$S" --context softirq "$@" || return
	nf_recv_start "$B" 10.9.0.2 9999,9998 60 "$rx" || return
	nf_send "$A" 10.9.0.2 9998 2 warm	# ARP, and the hook accepts 9998
	nf_send "$A" 10.9.0.2 9999 3 normal
	assert_eq "$(reenter_xmit 9999 3)" "0 0 0 0 0 0" \
		"$what: nested sends ran in the instance, ip_local_out sent them on"
	nf_recv_wait "$rx"
	assert_eq "$(nf_recv_count "$rx" 9999) $(nf_recv_first "$rx" 9999)" "3 reenter" \
		"$what: only the 3 nested datagrams to 9999 got through (default ACCEPT)"
	assert_eq "$(nf_hook "$A" "$S" 0 'h["busy"], h["fallback"], h["verdicts"]["DROP"], h["errors"]')" \
		"(3, 3, 3, 0)" "$what: busy 3, 3 defaults, the 3 normal ones dropped by the script"
	check_run nf_lp "$A" stop "$S"
}

# reenter_drop [RUN ARGS...]: default drop - the nested 9998 is dropped
reenter_drop() {
	local what=$1 rx=rd$RANDOM
	shift
	check_run nf_lp "$A" run "$NFLUA/output.lua" --name "$S" --context softirq \
		--default-verdict drop "$@" || return
	nf_recv_start "$B" 10.9.0.2 9998 60 "$rx" || return
	nf_send "$A" 10.9.0.2 9998 3 normal
	assert_eq "$(reenter_xmit 9998 3)" "0 -1 0 -1 0 -1" \
		"$what: nested sends ran, ip_local_out says dropped (-EPERM)"
	nf_recv_wait "$rx"
	assert_eq "$(nf_recv_count "$rx" 9998) $(nf_recv_first "$rx" 9998)" "3 normal" \
		"$what: the script accepts 9998, the nested ones got the default DROP"
	assert_eq "$(nf_hook "$A" "$S" 0 'h["busy"], h["fallback"], h["verdicts"]["DROP"], h["verdicts"]["ACCEPT"] >= 3')" \
		"(3, 3, 3, True)" "$what: busy 3, given as DROP"
	check_run nf_lp "$A" stop "$S"
}

test_setup() {
	local ko
	ko=build/kmod-selftest/$(uname -r | cut -d. -f1,2)/$MOD.ko
	[ -f "$ko" ] || skip "test module not built: $ko"
	check_run insmod "$ko" || return
	nf_topo
}

test_percpu_pass() { reenter_pass per-CPU; }
test_percpu_drop() { reenter_drop per-CPU; }
test_shared_pass() { reenter_pass shared --shared; }
test_shared_drop() { reenter_drop shared --shared; }

test_not_a_set() {
	local out
	out=$(ip netns exec "$A" bash -c "echo 'nope 10.9.0.2 9999' >$XMIT" 2>&1)
	assert_match "$out" "No such file" "no set of that name in the netns: ENOENT"
	out=$(ip netns exec "$A" bash -c "echo 'garbage' >$XMIT" 2>&1)
	assert_match "$out" "Invalid argument" "malformed request: EINVAL"
}

# The kernel checks SHARED itself (a raw client skips the CLI's check):
# refused for a process set and outside 0..1, taken for a softirq set.
test_raw_shared() {
	local out
	out=$(ip netns exec "$A" python3 - "$PWD/$NFLUA/count.lua" <<'PY'
import struct, sys
sys.path.insert(0, "tests/vm/cases/runtime")
import genl
A_SHARED = 16	# include/uapi/linux/lunatik_pipeline.h
g = genl.Genl()
for ctx, val in ((0, 1), (1, 2), (1, 1)):
    try:
        g.call(genl.CMD_CREATE, genl.strattr(genl.A_NAME, "raw_shared") +
               genl.strattr(genl.A_SCRIPT, sys.argv[1]) +
               genl.attr(genl.A_CONTEXT, struct.pack("B", ctx)) +
               genl.attr(A_SHARED, struct.pack("B", val)))
        print("created")
    except OSError as e:
        print(e.errno)
PY
)
	assert_eq "$(echo $out)" "22 34 created" \
		"SHARED: process set refused (EINVAL), value 2 out of range (ERANGE), softirq set created"
	assert_eq "$(nf_hook "$A" raw_shared 0 's["ninstances"]')" 1 "raw SHARED set has one instance"
	check_run nf_lp "$A" stop raw_shared
}

# A shared set: one instance, its state seen from every CPU; per-CPU sets
# keep one per CPU. Nested sends while both CPUs send: other CPUs wait for
# the lock, only same-CPU re-entry counts busy.
count_on() {
	taskset -c "$1" ip netns exec "$A" "$LP" exec "$S" 'return seen'
}

test_shared_state() {
	local i
	check_run nf_lp "$A" run "$NFLUA/count.lua" --name "$S" --context softirq || return
	taskset -c 0 ip netns exec "$A" $UDP send 10.9.0.2 9999 5 x 0
	taskset -c 1 ip netns exec "$A" $UDP send 10.9.0.2 9999 7 x 0
	assert_eq "$(count_on 0)/$(count_on 1)/$(nf_hook "$A" "$S" 0 's["ninstances"]')" "5/7/2" \
		"per-CPU: each CPU's instance counted its own sends"
	check_run nf_lp "$A" stop "$S"

	check_run nf_lp "$A" run "$NFLUA/count.lua" --name "$S" --context softirq --shared || return
	assert_eq "$(nf_hook "$A" "$S" 0 's["ninstances"], s["context"], s["instances"][0]["cpu"]')" \
		"(1, 'softirq', None)" "shared: one instance, bound to no CPU"
	taskset -c 0 ip netns exec "$A" $UDP send 10.9.0.2 9999 5 x 0
	taskset -c 1 ip netns exec "$A" $UDP send 10.9.0.2 9999 7 x 0
	assert_eq "$(count_on 0)/$(count_on 1)" "12/12" "shared: one state saw both CPUs' sends"

	# both CPUs flood 9999 while nested sends run on each CPU in turn
	taskset -c 0 ip netns exec "$A" $UDP flood 10.9.0.2 9999 4 >/dev/null &
	_nf_pids+=($!)
	taskset -c 1 ip netns exec "$A" $UDP flood 10.9.0.2 9999 4 >/dev/null &
	_nf_pids+=($!)
	local outs=()
	for i in $(seq 10); do
		outs+=("$(taskset -c $((i % 2)) ip netns exec "$A" sh -c \
			"echo '$S 10.9.0.2 9999' >$XMIT && cat $LAST")")
	done
	wait "${_nf_pids[@]}" 2>/dev/null
	_nf_pids=()
	assert_eq "$(printf '%s\n' "${outs[@]}" | sort -u)" "0 0" \
		"shared under a 2-CPU flood: 10 nested sends got the default ACCEPT"
	assert_eq "$(nf_hook "$A" "$S" 0 'h["busy"], h["fallback"], h["errors"]')" "(10, 10, 0)" \
		"busy counts only the 10 same-CPU re-entries, not the waits for the other CPU"
	assert_eq "$(count_on 0)" "$(nf_hook "$A" "$S" 0 'h["verdicts"]["DROP"]')" \
		"the one state counted every 9999 the hook dropped, from both CPUs"
	check_run nf_lp "$A" stop "$S"
	check_fail --status 2 nf_lp "$A" run "$NFLUA/count.lua" --name "$S" --shared
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_setup test_percpu_pass test_percpu_drop test_shared_pass test_shared_drop
	test_not_a_set test_raw_shared test_shared_state)
run_tests
