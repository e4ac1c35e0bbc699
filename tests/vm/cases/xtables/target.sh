#!/usr/bin/env bash
# A Lua x_tables target (xtable.target) rewriting packets: -j LUAREWRITE
# upper-cases the payload of UDP to its port; the peer receives the
# rewritten bytes, and the rule's verdict applies. Verdicts that would leak
# or loop (STOLEN, REPEAT, STOP), errors and garbage returns continue.
. tests/vm/cases/xtables/common.bash

SET=xt_luarewrite

cleanup_tests() {
	serve_stop
	[ -n "$C" ] && lp "$C" stop "$SET" >/dev/null 2>&1
}

test_start() {
	xt_setup || return
	serve "$S"
	check_run lp "$C" run "$X/lua/luarewrite.lua" --name "$SET" --context softirq
}

# verdict TOOL VERDICT WANT: LUAREWRITE --verdict VERDICT on port 9000,
# then a plain DROP of port 9000 behind it; WANT is what the peer gets
verdict() {
	local tool=$1 v=$2 want=$3 got
	check_run ip netns exec "$C" "$tool" -A OUTPUT -p udp -j LUAREWRITE \
		--port 9000 --verdict "$v" || return
	check_run ip netns exec "$C" "$tool" -A OUTPUT -p udp --dport 9000 -j DROP
	got=$(probe "$B4" "mixed Case $v" 9000 9001)
	assert_eq "$got" "$want" "$tool --verdict $v: the peer gets '${want//$'\n'/|}'"
	check_run ip netns exec "$C" "$tool" -F OUTPUT
}

test_rewrite() {
	local tool saved got
	for tool in iptables-legacy iptables-nft; do
		verdict "$tool" accept $'9000 MIXED CASE ACCEPT\n9001 mixed Case accept'
		verdict "$tool" drop $'9001 mixed Case drop'
		verdict "$tool" continue $'9001 mixed Case continue'
	done
	# a target's options round-trip too
	check_run ip netns exec "$C" iptables-nft -A OUTPUT -p udp -j LUAREWRITE --port 9000 --verdict accept
	saved=$(ip netns exec "$C" iptables-nft-save -t filter)
	assert_match "$saved" "-j LUAREWRITE --port 9000 --verdict accept" "iptables-nft-save shows the target options"
	check_run ip netns exec "$C" iptables-nft -F OUTPUT
	check_run ip netns exec "$C" iptables-nft-restore <<<"$saved"
	got=$(probe "$B4" restored 9000)
	assert_eq "$got" "9000 RESTORED" "the restored target rewrites"
	check_run ip netns exec "$C" iptables-nft -F OUTPUT
}

# a big datagram (non-linear at OUTPUT) is made linear and writable for
# the target: every payload byte is rewritten, the peer gets them all
test_nonlinear() {
	local big got
	big=$(printf 'x%.0s' $(seq 3000))
	check_run ip netns exec "$C" iptables-nft -A OUTPUT -p udp -j LUAREWRITE \
		--port 9000 --verdict accept || return
	got=$(probe "$B4" "$big" 9000)
	assert_eq "$got" "9000 ${big^^}" "3000-byte datagram rewritten whole"
	check_run ip netns exec "$C" iptables-nft -F OUTPUT
}

# what the kernel must never do for a script: leak (STOLEN), loop (REPEAT),
# STOP; errors and non-verdicts continue to the next rule (the DROP)
test_hostile() {
	local v bad
	bad=$(hookstat "$C" "$SET" bad_verdict)
	for v in stolen repeat stop error garbage; do
		verdict iptables-legacy "$v" $'9001 mixed Case '"$v"
	done
	assert_eq "$(( $(hookstat "$C" "$SET" bad_verdict) - bad >= 3 ))" 1 \
		"STOLEN, REPEAT, STOP counted as bad verdicts"
}

test_stop() {
	check_run lp "$C" stop "$SET"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
[ -e "$XTBUILD/libxt_LUAREWRITE.so" ] || skip "extension libraries not built: $XTBUILD"
ALL_TESTS=(test_start test_rewrite test_nonlinear test_hostile test_stop)
run_tests
