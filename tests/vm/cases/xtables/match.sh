#!/usr/bin/env bash
# A Lua x_tables match (xtable.match) used by real rules through the
# extension library luaxt-build made (libxt_luadrop.so): UDP from one netns
# to another is dropped by -m luadrop on the chosen port only, with
# iptables-legacy, iptables-nft and ip6tables; options round-trip through
# *-save / *-restore; checkentry rejects rules; hostile callbacks fall back.
. tests/vm/cases/xtables/common.bash

SET=xt_luadrop

cleanup_tests() {
	serve_stop
	[ -n "$C" ] && lp "$C" stop "$SET" >/dev/null 2>&1
	[ -n "$S" ] && lp "$S" stop "$SET" >/dev/null 2>&1
}

# drop_with TOOL FAM DST: a rule of TOOL drops port 9000, 9001 passes
drop_with() {
	local tool=$1 dst=$2 got saved
	check_run ip netns exec "$C" "$tool" -A OUTPUT -p udp -m luadrop --port 9000 -j DROP || return
	got=$(probe "$dst" hello 9000 9001)
	assert_eq "$got" "9001 hello" "$tool: port 9000 dropped, 9001 passes"
	assert_eq "$(pkts "$tool" "$C" OUTPUT)" 1 "$tool: the rule counted one packet"

	saved=$(ip netns exec "$C" "$tool-save" -t filter)
	assert_match "$saved" "-A OUTPUT -p udp -m luadrop --port 9000 -j DROP" \
		"$tool-save shows the rule with its options"
	got=$(ip netns exec "$C" "$tool" -L OUTPUT -n)
	assert_match "$got" "luadrop port 9000" "$tool -L prints through print()"
	check_run ip netns exec "$C" "$tool" -F OUTPUT
	got=$(probe "$dst" again 9000)
	assert_eq "$got" "9000 again" "$tool: no rule, port 9000 passes"
	check_run ip netns exec "$C" "$tool-restore" <<<"$saved"
	got=$(probe "$dst" restored 9000 9001)
	assert_eq "$got" "9001 restored" "$tool-restore brought the rule back, it drops"
	assert_eq "$(ip netns exec "$C" "$tool-save" -t filter | grep -c -- '-m luadrop --port 9000')" 1 \
		"$tool-save after restore: the same rule once"
	check_run ip netns exec "$C" "$tool" -D OUTPUT -p udp -m luadrop --port 9000 -j DROP
	assert_eq "$(ip netns exec "$C" "$tool-save" -t filter | grep -c luadrop)" 0 \
		"$tool -D with the same options deleted it"
}

test_start() {
	xt_setup || return
	serve "$S"
	check_run lp "$C" run "$X/lua/luadrop.lua" --name "$SET" --context softirq
}

test_legacy() {
	drop_with iptables-legacy "$B4"
}

test_nft() {
	drop_with iptables-nft "$B4"
}

test_ipv6() {
	drop_with ip6tables-legacy "$B6"
	drop_with ip6tables-nft "$B6"
}

# checkentry(userargs) raising rejects the rule; nothing is added. Rule
# setup and teardown are not packets in the hook's counters.
test_checkentry() {
	local tool rc want packets
	packets=$(hookstat "$C" "$SET" packets)
	# kernel refusals: iptables-legacy exits 1, iptables-nft 4 (RESOURCE_PROBLEM)
	for tool in iptables-legacy:1 iptables-nft:4; do
		want=${tool#*:}
		tool=${tool%:*}
		ip netns exec "$C" "$tool" -A OUTPUT -p udp -m luadrop --port 9000 \
			--mode reject -j DROP >/dev/null 2>&1
		rc=$?
		assert_eq "$rc" "$want" "$tool: a rule checkentry rejects fails (exit $want)"
		assert_eq "$(ip netns exec "$C" "$tool-save" -t filter | grep -c luadrop)" 0 \
			"$tool: the rejected rule is not there"
	done
	check_run ip netns exec "$C" iptables-legacy -A OUTPUT -p udp -m luadrop --port 9000 -j DROP
	check_run ip netns exec "$C" iptables-legacy -D OUTPUT -p udp -m luadrop --port 9000 -j DROP
	assert_eq "$(hookstat "$C" "$SET" packets)" "$packets" \
		"checkentry and destroy are not counted as packets"
	# userspace refuses bad options before the kernel sees them
	ip netns exec "$C" iptables-legacy -A OUTPUT -m luadrop --port nope -j DROP >/dev/null 2>&1
	assert_eq "$?" 2 "parse() refusing --port nope: exit 2"
	ip netns exec "$C" iptables-legacy -A OUTPUT -m luadrop -j DROP >/dev/null 2>&1
	assert_eq "$?" 2 "final_check() requiring --port: exit 2"
}

# a netns where no set provides luadrop cannot use it
test_other_netns() {
	local rc
	ip netns exec "$S" iptables-legacy -A INPUT -p udp -m luadrop --port 9000 -j DROP >/dev/null 2>&1
	rc=$?
	assert_eq "$rc" 1 "no set in this netns: the rule is refused"
}

# hostile_mode MODE WANT: rule --mode MODE; WANT is what port 9000 receives
hostile_mode() {
	local mode=$1 want=$2 got
	check_run ip netns exec "$C" iptables-legacy -A OUTPUT -p udp -m luadrop \
		--port 9000 --mode "$mode" -j DROP || return
	got=$(probe "$B4" "$mode" 9000)
	assert_eq "$got" "$want" "match --mode $mode: port 9000 gets '$want'"
	check_run ip netns exec "$C" iptables-legacy -F OUTPUT
}

test_hostile() {
	local errors budget
	errors=$(hookstat "$C" "$SET" errors)
	budget=$(hookstat "$C" "$SET" budget_hits)
	hostile_mode error "9000 error"		# error: no match, packet passes
	hostile_mode loop "9000 loop"		# budget: no match
	hostile_mode past "9000 past"		# read past the packet: a Lua error
	hostile_mode garbage ""			# a table is truthy: match, dropped
	hostile_mode hotdrop ""			# par.hotdrop = true: dropped
	assert_eq "$(( $(hookstat "$C" "$SET" errors) - errors >= 3 ))" 1 \
		"errors counted (error, loop, past)"
	assert_eq "$(( $(hookstat "$C" "$SET" budget_hits) - budget >= 1 ))" 1 \
		"the endless loop hit the budget"
	got=$(lp "$C" list --json | python3 -c '
import json, sys
s = [s for s in json.load(sys.stdin)["sets"] if s["name"] == sys.argv[1]][0]
print(" ".join(sorted(h["type"] for h in s["hooks"])), s["hooks"][0]["verdicts"]["hotdrop"] >= 1)' "$SET")
	assert_eq "$got" "xtable match True" "list --json shows the match hook and its hotdrop verdicts"
}

# a big datagram is a non-linear skb at OUTPUT: the match still sees the
# whole packet (copied, never read past the linear part), as a small one
test_nonlinear() {
	local big got
	big=$(printf 'x%.0s' $(seq 3000))
	check_run ip netns exec "$C" iptables-legacy -A OUTPUT -p udp -m luadrop \
		--port 9000 --mode whole -j DROP || return
	got=$(probe "$B4" small 9000)
	assert_eq "$got" "" "small datagram: the view is the whole packet (dropped)"
	got=$(probe "$B4" "$big" 9000)
	assert_eq "$got" "" "3000-byte datagram (non-linear): the view is the whole packet (dropped)"
	check_run ip netns exec "$C" iptables-legacy -F OUTPUT
}

# reload keeps the extension: a rule made before still drops after it
test_reload() {
	local got
	check_run ip netns exec "$C" iptables-nft -A OUTPUT -p udp -m luadrop --port 9000 -j DROP || return
	check_run lp "$C" reload "$SET"
	got=$(probe "$B4" reloaded 9000 9001)
	assert_eq "$got" "9001 reloaded" "after reload the rule still drops"
	check_run ip netns exec "$C" iptables-nft -F OUTPUT
}

# a second netns runs its own set for the same extension
test_two_netns() {
	local got
	check_run lp "$S" run "$X/lua/luadrop.lua" --name "$SET" --context softirq || return
	check_run ip netns exec "$S" iptables-legacy -A INPUT -p udp -m luadrop --port 9001 -j DROP
	got=$(probe "$B4" both 9000 9001 9002)
	assert_eq "$got" $'9000 both\n9002 both' "the server netns' own rule drops 9001"
	check_run ip netns exec "$S" iptables-legacy -F INPUT
	check_run lp "$S" stop "$SET"
}

test_stop() {
	check_run lp "$C" stop "$SET"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
[ -e "$XTBUILD/libxt_luadrop.so" ] || skip "extension libraries not built: $XTBUILD"
ALL_TESTS=(test_start test_legacy test_nft test_ipv6 test_checkentry test_other_netns
	test_hostile test_nonlinear test_reload test_two_netns test_stop)
run_tests
