#!/usr/bin/env bash
# Rules outlive the set that provides their Lua extension: stopping the set
# with rules present leaves them pointing at a live extension that answers
# the default (no match: packets pass) until they are deleted, in either
# order, with iptables-legacy and iptables-nft; the module stays pinned
# while rules exist; starting the set again works.
. tests/vm/cases/xtables/common.bash

SET=xt_lifetime

cleanup_tests() {
	serve_stop
	[ -n "$C" ] && lp "$C" stop "$SET" >/dev/null 2>&1
}

start() {
	check_run lp "$C" run "$X/lua/luadrop.lua" --name "$SET" --context softirq
}

rules() {
	check_run ip netns exec "$C" iptables-legacy -A OUTPUT -p udp -m luadrop --port 9000 -j DROP
	check_run ip netns exec "$C" iptables-nft -A OUTPUT -p udp -m luadrop --port 9001 -j DROP
}

test_setup() {
	xt_setup || return
	serve "$S"
}

# stop first, rules deleted afterwards
test_stop_then_delete() {
	local got
	start || return
	rules
	got=$(probe "$B4" on 9000 9001 9002)
	assert_eq "$got" "9002 on" "both rules drop while the set runs"
	check_run lp "$C" stop "$SET"
	got=$(probe "$B4" stopped 9000 9001 9002)
	assert_eq "$got" $'9000 stopped\n9001 stopped\n9002 stopped' \
		"set stopped: the rules answer no match, packets pass"
	# new rules cannot use an extension nobody provides: the kernel no
	# longer lists it, iptables cannot load it (exit 2)
	got=$(ip netns exec "$C" iptables-legacy -A OUTPUT -p udp -m luadrop --port 9002 -j DROP 2>&1)
	assert_eq "$?" 2 "no new rule without the set"
	assert_match "$got" "Couldn't load match .luadrop" "iptables: the match is not there"
	# the module is pinned by the rules
	check_fail --status 1 modprobe -r lunatik
	check_run ip netns exec "$C" iptables-legacy -F OUTPUT
	check_run ip netns exec "$C" iptables-nft -F OUTPUT
}

# rules deleted first, then stop
test_delete_then_stop() {
	local got
	start || return
	rules
	check_run ip netns exec "$C" iptables-legacy -F OUTPUT
	check_run ip netns exec "$C" iptables-nft -F OUTPUT
	got=$(probe "$B4" deleted 9000 9001)
	assert_eq "$got" $'9000 deleted\n9001 deleted' "rules deleted: packets pass"
	check_run lp "$C" stop "$SET"
}

# stopped with rules, started again: new rules work, old ones are inert
# until deleted (nft) or re-checked by a legacy table replace
test_restart() {
	local got
	start || return
	rules
	check_run lp "$C" stop "$SET"
	start || return
	check_run ip netns exec "$C" iptables-nft -A OUTPUT -p udp -m luadrop --port 9002 -j DROP
	got=$(probe "$B4" again 9001 9002)
	assert_eq "$got" "9001 again" "the new rule drops, the one from the stopped set does not"
	check_run ip netns exec "$C" iptables-legacy -F OUTPUT
	check_run ip netns exec "$C" iptables-nft -F OUTPUT
	check_run lp "$C" stop "$SET"
}

# netns deleted with a set and rules in it: everything goes, no splat
test_netns_exit() {
	local ns
	netns_new ns || return
	check_run ip netns exec "$ns" "$LP" run "$X/lua/luadrop.lua" --name "$SET" --context softirq
	check_run ip netns exec "$ns" iptables-legacy -A OUTPUT -p udp -m luadrop --port 9000 -j DROP
	check_run ip netns exec "$ns" iptables-nft -A OUTPUT -p udp -m luadrop --port 9000 -j DROP
	check_run ip netns del "$ns"
	sleep 1
	# the extension can be provided again afterwards
	start && check_run lp "$C" stop "$SET"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
[ -e "$XTBUILD/libxt_luadrop.so" ] || skip "extension libraries not built: $XTBUILD"
ALL_TESTS=(test_setup test_stop_then_delete test_delete_then_stop test_restart test_netns_exit)
run_tests
