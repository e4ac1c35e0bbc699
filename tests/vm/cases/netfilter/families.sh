#!/usr/bin/env bash
# netfilter.register for every family, on the real softirq path: UDP through
# a veth between two netns. A drop is proven by the peer receiving nothing
# and the hook counter moving; a rewrite by what the peer receives; the data
# layout (Ethernet first on ingress, IP at 0 on LOCAL_OUT) by the scripts
# only acting when the bytes are where DESIGN §4 says.
. tests/lib/vmtest.sh
. tests/vm/cases/netfilter/common.sh

S=nf_fam

cleanup_tests() {
	nf_cleanup
}

test_ipv4_ingress() {
	nf_topo || return
	check_run nf_lp "$B" run "$NFLUA/ingress.lua" --name "$S" --context softirq || return
	assert_eq "$(nf_hook "$B" "$S" 0 'h["desc"]')" "ipv4 PRE_ROUTING prio 0" "hook listed"
	assert_eq "$(nf_hook "$B" "$S" 0 'len(hooks)')" 2 "two hooks for the set (not per CPU)"
	nf_recv_start "$B" 10.9.0.2 9999,9998,9991 60 r4 || return
	nf_send "$A" 10.9.0.2 9999 20 drop-me
	nf_send "$A" 10.9.0.2 9998 20 pass-me
	nf_send "$A" 10.9.0.2 9991 5 hello
	nf_recv_wait r4
	assert_eq "$(nf_recv_count r4 9999)" 0 "UDP 9999 dropped at PRE_ROUTING"
	assert_eq "$(nf_recv_count r4 9998)" 20 "UDP 9998 passed"
	assert_eq "$(nf_recv_first r4 9991)" HELLO "payload rewritten by the hook (Ethernet first)"
	assert_eq "$(nf_hook "$B" "$S" 0 'h["verdicts"]["DROP"] >= 20')" True "DROP counted"
	assert_eq "$(nf_hook "$B" "$S" 0 'h["verdicts"]["ACCEPT"] >= 25 and h["errors"] == 0')" True \
		"ACCEPT counted, no errors"
}

test_ipv6_ingress() {
	nf_recv_start "$B" fd00::2 9999,9998,9991 60 r6 || return
	nf_send "$A" fd00::2 9999 20 drop-me
	nf_send "$A" fd00::2 9998 20 pass-me
	nf_send "$A" fd00::2 9991 5 hello
	nf_recv_wait r6
	assert_eq "$(nf_recv_count r6 9999)" 0 "IPv6 UDP 9999 dropped"
	assert_eq "$(nf_recv_count r6 9998)" 20 "IPv6 UDP 9998 passed"
	assert_eq "$(nf_recv_first r6 9991)" HELLO "IPv6 payload rewritten"
	assert_eq "$(nf_hook "$B" "$S" 1 'h["desc"] + " " + str(h["verdicts"]["DROP"] >= 20)')" \
		"ipv6 PRE_ROUTING prio 0 True" "IPv6 hook counted its drops"
	check_run nf_lp "$B" stop "$S"
}

test_local_out() {
	check_run nf_lp "$A" run "$NFLUA/output.lua" --name "$S" --context softirq || return
	nf_recv_start "$B" 10.9.0.2 9999,9990 60 ro || return
	nf_send "$A" 10.9.0.2 9999 10 drop-me
	nf_send "$A" 10.9.0.2 9990 3 hello
	nf_recv_wait ro
	assert_eq "$(nf_recv_count ro 9999)" 0 "LOCAL_OUT: IP at offset 0, 9999 dropped"
	assert_eq "$(nf_recv_first ro 9990)" HELLO "LOCAL_OUT rewrite is what the peer receives"
	assert_eq "$(nf_hook "$A" "$S" 0 'h["verdicts"]["DROP"]')" 10 "10 drops counted"
	check_run nf_lp "$A" stop "$S"
}

test_inet() {
	check_run nf_lp "$B" run "$NFLUA/inet.lua" --name "$S" --context softirq || return
	nf_recv_start "$B" 10.9.0.2 9999,9998 60 ri4 || return
	nf_recv_start "$B" fd00::2 9999,9998 60 ri6 || return
	nf_send "$A" 10.9.0.2 9999 10 x
	nf_send "$A" fd00::2 9999 10 x
	nf_send "$A" 10.9.0.2 9998 10 x
	nf_send "$A" fd00::2 9998 10 x
	nf_recv_wait ri4
	nf_recv_wait ri6
	assert_eq "$(nf_recv_count ri4 9999)/$(nf_recv_count ri6 9999)" 0/0 "INET drops v4 and v6"
	assert_eq "$(nf_recv_count ri4 9998)/$(nf_recv_count ri6 9998)" 10/10 "INET passes the rest"
	assert_eq "$(nf_hook "$B" "$S" 0 'h["verdicts"]["DROP"]')" 20 "one INET hook counted both"
	check_run nf_lp "$B" stop "$S"
}

test_arp() {
	ip -n "$A" neigh flush dev nfa
	check_run nf_lp "$B" run "$NFLUA/arp.lua" --name "$S" --context softirq || return
	nf_recv_start "$B" 10.9.0.2 9998 60 ra || return
	nf_send "$A" 10.9.0.2 9998 10 x 50
	nf_recv_wait ra
	assert_eq "$(nf_recv_count ra 9998)" 0 "ARP dropped: A cannot resolve B"
	assert_eq "$(nf_hook "$B" "$S" 0 'h["desc"] + " " + str(h["verdicts"]["DROP"] > 0)')" \
		"arp IN prio 0 True" "ARP hook counted drops"
	check_run nf_lp "$B" stop "$S"
	ip -n "$A" neigh flush dev nfa
	nf_recv_start "$B" 10.9.0.2 9998 60 ra2 || return
	nf_send "$A" 10.9.0.2 9998 10 x 50
	nf_recv_wait ra2
	assert_eq "$(nf_recv_count ra2 9998)" 10 "stopped: ARP and UDP flow again"
}

test_netdev() {
	check_run nf_lp "$B" run "$NFLUA/netdev.lua" --name "$S" --context softirq || return
	assert_eq "$(nf_hook "$B" "$S" 0 'h["desc"]')" "netdev INGRESS dev nfb prio 0" "netdev hook listed"
	nf_recv_start "$B" 10.9.0.2 9999,9998 60 rn || return
	nf_send "$A" 10.9.0.2 9999 10 x
	nf_send "$A" 10.9.0.2 9998 10 x
	nf_recv_wait rn
	assert_eq "$(nf_recv_count rn 9999)/$(nf_recv_count rn 9998)" 0/10 "NETDEV ingress drop"
	# the device goes away while the hook is registered: unhooked, no splat
	ip -n "$B" link del nfb
	check_run nf_lp "$B" stop "$S"
	check_fail --status 8 nf_lp "$B" run "$NFLUA/netdev.lua" --name "$S" --context softirq
}

test_bridge() {
	local R
	netns_new R || return
	netns_new C || return
	netns_new D || return
	ip link add br0 netns "$R" type bridge 2>/dev/null || { echo "    # no bridge support"; return 0; }
	ip link add p1 netns "$R" type veth peer name e1 netns "$C"
	ip link add p2 netns "$R" type veth peer name e2 netns "$D"
	ip -n "$R" link set p1 master br0
	ip -n "$R" link set p2 master br0
	ip -n "$R" link set p1 up
	ip -n "$R" link set p2 up
	ip -n "$R" link set br0 up
	ip -n "$C" addr add 10.8.0.1/24 dev e1
	ip -n "$D" addr add 10.8.0.2/24 dev e2
	ip -n "$C" link set e1 up
	ip -n "$D" link set e2 up
	check_run nf_lp "$R" run "$NFLUA/bridge.lua" --name "$S" --context softirq || return
	nf_recv_start "$D" 10.8.0.2 9999,9998 60 rb || return
	nf_send "$C" 10.8.0.2 9999 10 x
	nf_send "$C" 10.8.0.2 9998 10 x
	nf_recv_wait rb
	assert_eq "$(nf_recv_count rb 9999)/$(nf_recv_count rb 9998)" 0/10 "BRIDGE FORWARD drop"
	assert_eq "$(nf_hook "$R" "$S" 0 'h["desc"] + " " + str(h["verdicts"]["DROP"])')" \
		"bridge FORWARD prio -200 10" "bridge hook counted"
	check_run nf_lp "$R" stop "$S"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_ipv4_ingress test_ipv6_ingress test_local_out test_inet test_arp
	   test_netdev test_bridge)
run_tests
