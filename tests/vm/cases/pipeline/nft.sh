#!/usr/bin/env bash
# `up` of nft rules and of a set's hook settings against the real kernel:
# a rule goes into a base chain `up` creates (with its table) and one into
# a chain the user made; each is tagged and found again by its comment;
# `up` twice changes nothing; a rule deleted by hand is drift and comes
# back; `down` leaves the ruleset, iptables, links and sets exactly as they
# were (the user's table, chain and rules, and another pipeline, stay); a
# rule the kernel refuses or a chain that does not exist undoes the whole
# run; default_verdict drop makes a failing hook drop, and changing it
# replaces the set. Leaves the module loaded with the repository as root.
. tests/lib/vmtest.sh

ROOT=$(pwd)
W=/tmp/lp_nft
SRC=$W/src
LPROOT=$W/root

cleanup_tests() {
	local p
	for p in nftapp nftother nftbad nftnochain verdict; do
		"$LP" down -q "$p" >/dev/null 2>&1
	done
	nft delete table inet userfw 2>/dev/null
	"$LP" module unload >/dev/null 2>&1
	modprobe lunatik script_root="$ROOT"
	rm -rf "$W"
}

# header NAME [NETNS]: the spec's first lines and one process set
header() {
	printf 'version: 1\nname: %s\n' "$1"
	[ -n "${2:-}" ] && printf 'namespace: %s\n' "$2"
	printf 'scripts:\n  root: %s\nsets:\n' "$LPROOT"
	printf '  - name: %s_set\n    script: app/ok.lua\n    context: process\n' "$1"
}

snapshot() {
	{
		echo "== nft"; nft -s list ruleset
		echo "== iptables"; iptables-save | grep -v '^#'
		echo "== links"; ip -o link show | sed 's/ qlen.*//'
		echo "== sets"; "$LP" list --json | python3 -c '
import json, sys
for s in json.load(sys.stdin)["sets"]:
    print(s["name"], s["context"], s["generation"], s["hook_budget"], s["default_verdict"])'
	} 2>&1
}

has_set() { "$LP" list --json | python3 -c 'import json,sys; print(any(s["name"]==sys.argv[1] for s in json.load(sys.stdin)["sets"]))' "$1"; }

setup() {
	rm -rf "$W"
	mkdir -p "$SRC/app" "$LPROOT"
	printf 'return 1\n' >"$SRC/app/ok.lua"
	{
		header nftapp
		cat <<-'YAML'
		nft:
		  - table: lp_nft
		    chain: input
		    hook: input
		    priority: 10
		    rule: "udp dport 9990 counter drop"
		  - table: lp_nft
		    chain: input
		    rule: "tcp dport 9990 counter drop"
		  - table: userfw
		    chain: in
		    rule: "udp dport 9991 counter accept"
		YAML
	} >"$SRC/nftapp.yaml"
	{
		header nftother
		printf 'nft:\n  - table: userfw\n    chain: in\n    rule: "udp dport 9992 accept"\n'
	} >"$SRC/nftother.yaml"
	{
		header nftbad
		printf 'nft:\n  - table: lp_bad\n    chain: input\n    hook: input\n'
		printf '    rule: "udp dport 53 counter"\n'
		printf '  - table: lp_bad\n    chain: input\n    rule: "udp dport 53 jump nosuchchain"\n'
	} >"$SRC/nftbad.yaml"
	{
		header nftnochain
		printf 'nft:\n  - table: userfw\n    chain: nosuch\n    rule: "counter"\n'
	} >"$SRC/nftnochain.yaml"
	"$LP" module unload >/dev/null 2>&1
	# the user's own table, chain and rule, there before any pipeline
	nft add table inet userfw
	nft add chain inet userfw in '{ type filter hook input priority 0 ; }'
	nft add rule inet userfw in tcp dport 22 accept
}

BEFORE=

test_nft_up_creates_and_tags() {
	check_run "$LP" up "$SRC/nftother.yaml" || return
	BEFORE=$(snapshot)	# the other pipeline is part of "before"
	check_run "$LP" up "$SRC/nftapp.yaml" || return
	local rs
	rs=$(nft list ruleset)
	assert_match "$rs" 'table inet lp_nft' "up created the table"
	assert_match "$rs" 'type filter hook input priority (filter \+ )?10; policy accept;' "as a base chain"
	assert_match "$rs" 'udp dport 9990 counter packets 0 bytes 0 drop comment "lunatik-pipeline:nftapp:[0-9a-f]{8}"' "udp rule tagged"
	assert_match "$rs" 'tcp dport 9990 counter packets 0 bytes 0 drop comment "lunatik-pipeline:nftapp:' "tcp rule tagged"
	assert_match "$(nft list chain inet userfw in)" 'udp dport 9991 counter .*accept comment "lunatik-pipeline:nftapp:' "rule in the user's chain"
	assert_match "$(cat /run/lunatik-pipeline/nftapp.json)" '"own_table": true' "state records the table as made by up"
}

test_nft_rule_counts_traffic() {
	local n
	for n in 1 2 3; do
		echo x >/dev/udp/127.0.0.1/9990
	done
	assert_match "$(nft list chain inet lp_nft input)" 'udp dport 9990 counter packets [1-9]' "the rule sees packets"
}

test_nft_up_twice_and_drift() {
	assert_eq "$("$LP" up "$SRC/nftapp.yaml")" "pipeline 'nftapp' is up to date" "second up"
	assert_eq "$("$LP" plan "$SRC/nftapp.yaml")" "pipeline 'nftapp': nothing to do" "plan after up"
	local h
	h=$(nft -a list chain inet userfw in | sed -n 's/.*dport 9991 .*# handle \([0-9]*\).*/\1/p')
	check_run nft delete rule inet userfw in handle "$h"
	assert_match "$("$LP" status nftapp)" 'drift: rule nft inet userfw in: udp dport 9991' "a rule deleted by hand is drift"
	assert_match "$("$LP" status nftapp --json)" '"drift": \[' "and in --json"
	check_run "$LP" up "$SRC/nftapp.yaml"
	assert_match "$(nft list chain inet userfw in)" 'dport 9991 .*lunatik-pipeline:nftapp' "up puts it back"
}

test_nft_down_restores() {
	check_run "$LP" down nftapp || return
	assert_eq "$(snapshot)" "$BEFORE" "ruleset, iptables, links and sets as before"
	assert_match "$(nft list chain inet userfw in)" 'dport 9992 accept comment "lunatik-pipeline:nftother:' "the other pipeline's rule stays"
	check_run "$LP" down nftother
	assert_eq "$(nft list chain inet userfw in | grep -c lunatik-pipeline)" 0 "no tagged rule left"
	assert_match "$(nft list chain inet userfw in)" 'tcp dport 22 accept' "the user's rule stays"
}

test_refused_rule_leaves_nothing() {
	local before out
	before=$(snapshot)
	out=$("$LP" up "$SRC/nftbad.yaml" 2>&1)
	assert_eq "$?" 8 "up of a rule the kernel refuses exits 8"
	assert_match "$out" 'step 5 of 5 \(insert rule nft inet lp_bad input: udp dport 53 jump nosuchchain' "names the step"
	assert_eq "$(snapshot)" "$before" "no set, table, chain or rule left"
	assert_eq "$([ -e /run/lunatik-pipeline/nftbad.json ] && echo yes || echo no)" no "no state"
	assert_eq "$([ -e "$LPROOT/app/ok.lua" ] && echo yes || echo no)" no "no script left"
}

test_missing_chain_leaves_nothing() {
	local before out
	before=$(snapshot)
	out=$("$LP" up "$SRC/nftnochain.yaml" 2>&1)
	assert_eq "$?" 8 "up into a chain that does not exist exits 8"
	assert_match "$out" 'insert rule nft inet userfw nosuch: counter' "names the rule"
	assert_eq "$(snapshot)" "$before" "nothing left"
}

# udp_delivered NS: "yes" when a datagram sent to 127.0.0.1 in NS arrives
udp_delivered() {
	ip netns exec "$1" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 9999))
s.settimeout(1)
try:
    # a LOCAL_OUT drop fails the send with EPERM
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", 9999))
    s.recv(16)
    print("yes")
except (socket.timeout, PermissionError):
    print("no")'
}

# A hook whose call always fails: default_verdict decides the packet.
test_default_verdict() {
	local ns
	netns_new ns || return
	printf '%s\n' 'local nf = require("netfilter")' \
		'nf.register{pf = nf.family.IPV4, hooknum = nf.inet_hooks.LOCAL_OUT,' \
		'	priority = nf.ip_priority.FILTER, hook = function(skb) error("no") end}' \
		>"$SRC/app/failing.lua"
	{
		printf 'version: 1\nname: verdict\nnamespace: %s\n' "$ns"
		printf 'scripts:\n  root: %s\nsets:\n  - name: verdict_set\n' "$LPROOT"
		printf '    script: app/failing.lua\n    hook_budget: 20000\n    default_verdict: drop\n'
	} >"$SRC/verdict.yaml"
	check_run "$LP" up "$SRC/verdict.yaml" || return
	assert_match "$("$LP" up "$SRC/verdict.yaml")" "is up to date" "second up"
	assert_eq "$(udp_delivered "$ns")" no "a failing hook drops with default_verdict drop"
	local j
	j=$(ip netns exec "$ns" "$LP" list --json)
	assert_match "$j" '"default_verdict": "drop"' "the kernel has drop"
	assert_match "$j" '"hook_budget": 20000' "and the hook budget"
	sed -i 's/default_verdict: drop/default_verdict: accept/' "$SRC/verdict.yaml"
	assert_match "$("$LP" up "$SRC/verdict.yaml")" 'replace set verdict_set' "a changed verdict replaces the set"
	assert_eq "$(udp_delivered "$ns")" yes "and accepts with default_verdict accept"
	check_run "$LP" down verdict
}

[ -x "$LP" ] || skip "CLI not built: $LP"
command -v nft >/dev/null || skip "nft not installed"
command -v modprobe >/dev/null || skip "modprobe not installed"
setup
ALL_TESTS=(test_nft_up_creates_and_tags test_nft_rule_counts_traffic test_nft_up_twice_and_drift
	test_nft_down_restores test_refused_rule_leaves_nothing test_missing_chain_leaves_nothing
	test_default_verdict)
run_tests
