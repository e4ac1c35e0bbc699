#!/usr/bin/env bash
# examples/dnsdoctor end to end: dnsmasq answers lunatik.com with its public
# addresses; the hooked host between it and dig rewrites them for clients
# of 10.1.1.0/24 and fd00:1:1::/64 (the rules in dnsdoctor.lua). The server
# sends full checksums (tx offload off), so the client's kernel verifies the
# UDP checksum of every rewritten response: dig printing the new address
# and InCsumErrors staying 0 prove the incremental update. A client outside
# the subnets gets the public address; the xtables target does the same
# from iptables-legacy and iptables-nft rules.
. tests/lib/vmtest.sh
. tests/vm/cases/examples/lib/dns_topology.sh

NF=examples/dnsdoctor/dnsdoctor
XT=examples/dnsdoctor/xt_dnsdoctor
# libxt_dnsdoctor.so, built by CMake from examples/dnsdoctor/libxt_dnsdoctor.lua
XTDIR=$LPVM_REPO/build/userspace/tests/examples

cleanup_tests() {
	lpm stop "$NF" >/dev/null 2>&1
	lpm stop "$XT" >/dev/null 2>&1
	dnsmasq_stop
}

ANSWERS=(--address=/lunatik.com/192.168.10.1 --address=/lunatik.com/2001:db8::1)

setup() {
	topology "$@" || return 1
	check_run ip netns exec "$SRV" python3 tests/vm/cases/examples/lib/txcsum_off.py eth0 ||
		return 1
	check_run dnsmasq_start "${ANSWERS[@]}"
}

# answers WANT4 WANT6 WHAT: lunatik.com over UDP and TCP, IPv4 and IPv6
answers() {
	local tcp
	for tcp in +notcp +tcp; do
		assert_eq "$(qry "$CLI" "$tcp" @"$SRV4" lunatik.com A)" "$1" "A $tcp over IPv4: $3"
		assert_eq "$(qry "$CLI" "$tcp" @"$SRV6" lunatik.com AAAA)" "$2" "AAAA $tcp over IPv6: $3"
		assert_eq "$(qry "$CLI" "$tcp" @"$SRV6" LUNATIK.com A)" "$1" "A $tcp over IPv6: $3"
	done
}

# the client's kernel checks UDP checksums: a datagram with a wrong one is
# counted in InCsumErrors and dropped
test_receiver_verifies() {
	local before
	setup || return
	answers 192.168.10.1 2001:db8::1 "no hook yet"
	before=$(udp_csum_errors "$CLI")
	check_run ip netns exec "$SRV" python3 -c '
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
s.sendto(struct.pack(">4H", 53, 40000, 12, 0x1234) + b"junk", ("10.1.1.2", 0))'
	sleep 1
	assert_eq "$(( $(udp_csum_errors "$CLI") - before ))" 1 "a stale checksum is dropped"
}

test_netfilter() {
	local out before
	before=$(udp_csum_errors "$CLI")
	lpm_run "$NF.lua" netfilter || return
	answers 10.1.2.3 fd00:1:2::3 "rewritten"
	assert_eq "$(udp_csum_errors "$CLI")" "$before" "no checksum error at the client"
	assert_eq "$(qry "$CLI" @"$SRV4" www.lunatik.com A)" 192.168.10.1 \
		"a subdomain is not the name"
	check_run lpm stop "$NF"
	answers 192.168.10.1 2001:db8::1 "stopped"
}

# A client outside the rules' subnets gets the public addresses.
test_other_client() {
	cleanup_tests
	setup 10.1.4 fd00:1:4 || return
	check_run lpm run "$NF.lua" --context softirq || return
	answers 192.168.10.1 2001:db8::1 "client outside the subnets"
	check_run lpm stop "$NF"
	cleanup_tests
	setup || return
}

test_xtables() {
	local out before variant
	check_run test -f "$XTDIR/libxt_dnsdoctor.so" || return
	export XTABLES_LIBDIR="$XTDIR:/usr/lib/x86_64-linux-gnu/xtables:/usr/lib/xtables"
	lpm_run "$XT.lua" xtable || return
	before=$(udp_csum_errors "$CLI")
	for variant in legacy nft; do
		check_run ip netns exec "$MID" "iptables-$variant" -t mangle -A PREROUTING \
			-p udp --sport 53 -j dnsdoctor --name lunatik.com --a 10.1.2.3 \
			--client 10.1.1.0/24
		check_run ip netns exec "$MID" "ip6tables-$variant" -t mangle -A PREROUTING \
			-p udp --sport 53 -j dnsdoctor --name lunatik.com --aaaa fd00:1:2::3 \
			--a 10.1.2.3 --client fd00:1:1::/64
		assert_eq "$(qry "$CLI" @"$SRV4" lunatik.com A)" 10.1.2.3 "A over IPv4 ($variant)"
		assert_eq "$(qry "$CLI" @"$SRV6" lunatik.com AAAA)" fd00:1:2::3 "AAAA over IPv6 ($variant)"
		out=$(ip netns exec "$MID" "iptables-$variant-save" -t mangle | grep dnsdoctor)
		assert_eq "$out" "-A PREROUTING -p udp -m udp --sport 53 -j dnsdoctor --name lunatik.com --a 10.1.2.3 --client 10.1.1.0/24" \
			"save ($variant)"
		check_run ip netns exec "$MID" "iptables-$variant" -t mangle -F PREROUTING
		check_run ip netns exec "$MID" "ip6tables-$variant" -t mangle -F PREROUTING
		# the kernel refuses what it cannot parse
		check_fail ip netns exec "$MID" "iptables-$variant" -t mangle -A PREROUTING \
			-p udp --sport 53 -j dnsdoctor --name lunatik.com --a 10.1.2.300
	done
	assert_eq "$(udp_csum_errors "$CLI")" "$before" "no checksum error at the client"
	check_run lpm stop "$XT"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
command -v dnsmasq >/dev/null && command -v dig >/dev/null || skip "dnsmasq and dig needed"
ALL_TESTS=(test_receiver_verifies test_netfilter test_other_client test_xtables)
run_tests
