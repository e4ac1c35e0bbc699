#!/usr/bin/env bash
# `lunatik-pipeline up` of the example specs with real traffic: dig in one
# netns, dnsmasq in another, the pipeline on the host forwarding between
# them (tests/vm/cases/examples/lib/dns_topology.sh). dnsblock: a blocked
# name gets no answer and the hooks' DROP count in `status --json` moves,
# an allowed one resolves; dnsdoctor: dig prints the rewritten address.
# `up` twice prints no step; `down` of one leaves the other and returns
# the namespace's nft ruleset, iptables, links and sets to what they were.
# Then, from a writable copy with its own script root (which `up` loads the
# module with): a changed script hot-swapped by `up` under a flood of
# blocked queries answers none of them, and an `up` SIGKILLed between its
# nft steps is undone by the next `down`. Leaves the module loaded with the
# repository as script root.
. tests/lib/vmtest.sh
. tests/vm/cases/examples/lib/dns_topology.sh

ROOT=$(pwd)
NF=examples/dnsblock/dnsblock
W=/tmp/lp_examples
# libxt_dnsblock.so and libxt_dnsdoctor.so, built by CMake
XTDIR=$LPVM_REPO/build/userspace/tests/examples
export XTABLES_LIBDIR="$XTDIR:/usr/lib/x86_64-linux-gnu/xtables:/usr/lib/xtables"

cleanup_tests() {
	local p
	for p in dnsblock dnsdoctor killed; do
		lpm down -q "$p" >/dev/null 2>&1
	done
	dnsmasq_stop
	if [ "$(cat /sys/module/lunatik/parameters/script_root 2>/dev/null)" != "$ROOT" ]; then
		"$LP" module unload >/dev/null 2>&1
		modprobe lunatik script_root="$ROOT"
	fi
	rm -rf "$W"
}

ANSWERS=(--address=/example.com/192.0.2.10 --address=/allowed.org/192.0.2.20
	 --address=/lunatik.com/192.168.10.1 --address=/lunatik.com/2001:db8::1)

# what the hooked namespace has that a pipeline could change (without
# counters: traffic moves them)
snapshot() {
	{
		echo "== nft"; ip netns exec "$MID" nft -s list ruleset
		echo "== iptables"; ip netns exec "$MID" iptables-save | grep -v '^#'
		echo "== ip6tables"; ip netns exec "$MID" ip6tables-save | grep -v '^#'
		echo "== links"; ip -n "$MID" -o link show
		echo "== sets"; lpm list --json | python3 -c '
import json, sys
for s in json.load(sys.stdin)["sets"]:
    print(s["name"], s["context"], s["generation"], s["hook_budget"], s["default_verdict"])'
	} 2>&1
}

# DROP verdicts of every hook of the pipeline's sets, from status --json
drops() {
	lpm status "$1" --json | python3 -c '
import json, sys
n = 0
for p in json.load(sys.stdin)["pipelines"]:
    for s in p["sets"]:
        for h in s.get("hooks", []):
            n += sum(v for k, v in h["verdicts"].items() if k.upper() == "DROP")
print(n)'
}

generation() { lpm list --json | python3 -c 'import json,sys; print([s["generation"] for s in json.load(sys.stdin)["sets"] if s["name"]==sys.argv[1]][0])' "$1"; }

setup() {
	topology || return 1
	check_run ip netns exec "$SRV" python3 tests/vm/cases/examples/lib/txcsum_off.py eth0 ||
		return 1
	check_run dnsmasq_start "${ANSWERS[@]}"
}

EMPTY=
BEFORE=

test_dnsdoctor_up() {
	setup || return
	EMPTY=$(snapshot)
	check_run lpm up examples/dnsdoctor/dnsdoctor.yaml || return
	assert_eq "$(qry "$CLI" @"$SRV4" lunatik.com A)" 10.1.2.3 "dig prints the rewritten address"
	assert_eq "$(qry "$CLI" @"$SRV6" lunatik.com AAAA)" fd00:1:2::3 "and over IPv6"
	assert_eq "$(lpm up examples/dnsdoctor/dnsdoctor.yaml)" "pipeline 'dnsdoctor' is up to date" "second up: no step"
}

test_dnsblock_up() {
	local before
	BEFORE=$(snapshot)
	check_run lpm up examples/dnsblock/dnsblock.yaml || return
	assert_eq "$(lpm up examples/dnsblock/dnsblock.yaml)" "pipeline 'dnsblock' is up to date" "second up: no step"
	assert_eq "$(qry "$CLI" @"$SRV4" www.example.com A)" 192.0.2.10 "not blocked yet"
	check_run lpm exec "$NF" 'blocklist["example.com"] = true'
	before=$(drops dnsblock)
	assert_eq "$(qry "$CLI" @"$SRV4" www.example.com A)" timeout "a blocked name gets no answer"
	check_run test "$(drops dnsblock)" -gt "$before"
	assert_eq "$(qry "$CLI" @"$SRV4" allowed.org A)" 192.0.2.20 "an allowed name resolves"
	assert_eq "$(qry "$CLI" @"$SRV4" lunatik.com A)" 10.1.2.3 "dnsdoctor still rewrites"
	assert_match "$(lpm status dnsblock)" 'rule iptables-nft ipv4 -t filter INPUT -p udp -m dnsblock' "status shows the rule"
	assert_eq "$(lpm status dnsblock --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pipelines"][0]["drift"])')" "[]" "no drift"
}

test_down_restores() {
	check_run lpm down dnsblock || return
	assert_eq "$(snapshot)" "$BEFORE" "down dnsblock: the namespace as before it, dnsdoctor untouched"
	assert_eq "$(qry "$CLI" @"$SRV4" www.example.com A)" 192.0.2.10 "nothing blocks any more"
	assert_eq "$(qry "$CLI" @"$SRV4" lunatik.com A)" 10.1.2.3 "dnsdoctor still rewrites"
	check_run lpm down dnsdoctor
	assert_eq "$(snapshot)" "$EMPTY" "down dnsdoctor: as before any pipeline"
}

# A copy of the repository's examples whose scripts can change, with its
# own script root: up loads the module with it.
writable_copy() {
	mkdir -p "$W/tree/examples" "$W/root"
	cp -r examples/dnsblock "$W/tree/examples/"
	sed -i "s|^  base: ../..|  base: ../..\n  root: $W/root|" "$W/tree/examples/dnsblock/dnsblock.yaml"
	"$LP" module unload || return 1
}

test_hot_swap_under_flood() {
	local spec=$W/tree/examples/dnsblock/dnsblock.yaml gen out res pid
	writable_copy || return
	check_run lpm up "$spec" || return
	assert_eq "$(cat /sys/module/lunatik/parameters/script_root)" "$W/root" "up loaded the module with the spec's root"
	check_run lpm exec "$NF" 'blocklist["example.com"] = true'
	gen=$(generation "$NF")
	ip netns exec "$CLI" python3 tests/vm/cases/pipeline/lib/dns_flood.py "$SRV4" www.example.com 6 \
		>"$W/flood" &
	pid=$!
	sleep 2
	printf -- '-- changed\n' >>"$W/tree/examples/dnsblock/dnsblock.lua"
	out=$(lpm up "$spec")
	assert_match "$out" "reload set $NF from examples/dnsblock/dnsblock.lua \\[script changed\\]" "up hot-swaps the changed script"
	wait "$pid"
	res=$(cat "$W/flood")
	echo "    # sent, answered: $res"
	check_run test "${res% *}" -gt 100
	assert_eq "${res#* }" 0 "no blocked query answered across the swap"
	assert_eq "$(generation "$NF")" $((gen + 1)) "one new generation"
	assert_eq "$(qry "$CLI" @"$SRV4" allowed.org A)" 192.0.2.20 "an allowed name resolves after it"
	check_run lpm down dnsblock
}

# An nft that stalls before adding a rule: `up` is killed between the
# chain it created and the rule, and `down` undoes what it had done.
test_sigkill_between_nft_steps() {
	local spec=$W/killed.yaml pid i real
	real=$(command -v nft)
	mkdir -p "$W/shim"
	# the stalled nft leaves its pid (exec keeps it) so the test ends it
	printf '#!/bin/sh\ncase "$*" in "add rule"*) echo $$ >%s; exec sleep 60 ;; esac\nexec %s "$@"\n' \
		"$W/shim.pid" "$real" >"$W/shim/nft"
	chmod +x "$W/shim/nft"
	printf 'return 1\n' >"$W/tree/ok.lua"
	printf 'version: 1\nname: killed\nscripts:\n  base: tree\nsets:\n  - name: killed_set\n    script: tree/ok.lua\n    context: process\nnft:\n  - table: lp_killed\n    chain: input\n    hook: input\n    rule: "udp dport 9 counter"\n' >"$spec"
	local before
	before=$(snapshot)
	ip netns exec "$MID" env PATH="$W/shim:$PATH" "$LP" up "$spec" >/dev/null 2>&1 &
	pid=$!
	for i in $(seq 1 300); do
		[ -s "$W/shim.pid" ] && break
		sleep 0.05
	done
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	assert_match "$(ip netns exec "$MID" "$real" list ruleset)" 'table inet lp_killed' "killed with the chain made"
	assert_match "$(lpm status killed 2>&1; lpm status 2>&1)" 'interrupted|no pipeline' "status does not crash"
	out=$(lpm down killed 2>&1)
	assert_eq "$?" 0 "down after the kill"
	echo "    # $out"
	assert_eq "$(snapshot)" "$before" "the chain, its table and the set are gone"
	assert_eq "$([ -e /run/lunatik-pipeline/killed.journal ] && echo yes || echo no)" no "journal consumed"
	[ -s "$W/shim.pid" ] && kill "$(cat "$W/shim.pid")" 2>/dev/null
}

[ -x "$LP" ] || skip "CLI not built: $LP"
command -v dnsmasq >/dev/null && command -v dig >/dev/null || skip "dnsmasq and dig needed"
command -v nft >/dev/null || skip "nft not installed"
ALL_TESTS=(test_dnsdoctor_up test_dnsblock_up test_down_restores test_hot_swap_under_flood
	test_sigkill_between_nft_steps)
run_tests
