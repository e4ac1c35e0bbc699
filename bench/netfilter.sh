#!/usr/bin/env bash
# Benchmark (prints ratios, asserts nothing): what a Lua netfilter hook costs
# per packet, in the VM, under one generator (bench/udp_flood.c: sendmmsg of
# small UDP datagrams from netns A over a veth into netns B, where the rx
# softirq runs on the sender's CPU, so the send rate includes the hooks).
#   (a) one CPU: the rule "UDP to port 9000: drop" at PRE_ROUTING in B as a
#       Lua hook (softirq set, bench/lua/nf_drop_udp.lua), as the same nft
#       rule, and no hook at all; traffic to 9000 (matched, dropped) and to
#       9001 (inspected, accepted, then refused by UDP: nobody listens).
#   (b) two CPUs sending to 9000: the Lua hook on per-CPU instances (a
#       softirq set) vs one instance behind one lock (run --shared, how
#       Lunatik 3.6 runs every hook), and no hook.
# Every measurement is repeated BENCH_ROUNDS times (default 3), rounds
# interleaved so that drift in the host's load hits every configuration
# alike; the best round of each counts. BENCH_SECONDS (default 2) each.
# Prints a JSON object and a markdown table.
#   tests/vm/run [--kernel 6.12|6.1] bench/netfilter.sh
. tests/lib/vmtest.sh

GEN=$LPVM_REPO/build/userspace/bench/bench_udp_flood
SECS=${BENCH_SECONDS:-2}
ROUNDS=${BENCH_ROUNDS:-3}
S=bench_nf
[ -x "$GEN" ] || { echo "build first: make userspace ($GEN)" >&2; exit 1; }
[ -x "$LP" ] || { echo "build first: make userspace ($LP)" >&2; exit 1; }
command -v nft >/dev/null || { echo "nft not installed" >&2; exit 1; }

res=$(mktemp)
cleanup_tests() {
	rm -f "$res"
}

netns_new A || exit 1
netns_new B || exit 1
ip link add bna netns "$A" type veth peer name bnb netns "$B" || exit 1
ip -n "$A" addr add 10.77.0.1/24 dev bna
ip -n "$B" addr add 10.77.0.2/24 dev bnb
ip -n "$A" link set bna up
ip -n "$B" link set bnb up
ip netns exec "$A" ping -q -c1 -W2 10.77.0.2 >/dev/null	# ARP, once

lp_b() {
	ip netns exec "$B" "$LP" "$@"
}

# measure NAME PORT CPU...: one generator per CPU, concurrently; appends
# "NAME pps sent seconds" to $res (pps: all datagrams / longest run)
measure() {
	local name=$1 port=$2 cpu pids=() outs=() i sent=0 secs=0 out
	shift 2
	for cpu in "$@"; do
		outs+=("$(mktemp)")
		ip netns exec "$A" "$GEN" 10.77.0.2 "$port" "$SECS" "$cpu" >"${outs[-1]}" &
		pids+=($!)
	done
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}"
		read -r n t <"${outs[$i]}"
		rm -f "${outs[$i]}"
		sent=$((sent + n))
		secs=$(echo "$t $secs" | awk '{ print ($1 > $2) ? $1 : $2 }')
	done
	out=$(awk -v n="$sent" -v t="$secs" 'BEGIN { printf "%.0f", n / t }')
	echo "$name $out $sent $secs" >>"$res"
	echo "# netfilter: $name: $out datagrams/s ($sent in ${secs}s)"
}

# hook_drops: DROP verdicts of the set's hook (all CPUs)
hook_drops() {
	lp_b list --json | python3 -c '
import json, sys
s = [x for x in json.load(sys.stdin)["sets"] if x["name"] == sys.argv[1]][0]
print(s["hooks"][0]["verdicts"]["DROP"])' "$S"
}

for round in $(seq "$ROUNDS"); do
	echo "# netfilter: round $round of $ROUNDS"
	# (a) one CPU
	measure none_9000 9000 0
	measure none_9001 9001 0

	ip netns exec "$B" nft -f - <<-'EOF'
	table ip bench {
		chain pre {
			type filter hook prerouting priority 0; policy accept;
			udp dport 9000 counter drop
		}
	}
	EOF
	measure nft_9000 9000 0
	measure nft_9001 9001 0
	echo "# netfilter: nft counter: $(ip netns exec "$B" nft list chain ip bench pre | grep -o 'packets [0-9]*')"
	ip netns exec "$B" nft delete table ip bench

	lp_b run bench/lua/nf_drop_udp.lua --name "$S" --context softirq >/dev/null || exit 1
	measure lua_9000 9000 0
	measure lua_9001 9001 0
	echo "# netfilter: lua hook DROP verdicts: $(hook_drops)"
	lp_b stop "$S"

	# (b) two CPUs
	measure none_2cpu 9000 0 1
	lp_b run bench/lua/nf_drop_udp.lua --name "$S" --context softirq >/dev/null || exit 1
	measure percpu_2cpu 9000 0 1
	echo "# netfilter: per-CPU hook DROP verdicts: $(hook_drops)"
	lp_b stop "$S"
	lp_b run bench/lua/nf_drop_udp.lua --name "$S" --context softirq --shared >/dev/null || exit 1
	measure shared_2cpu 9000 0 1
	echo "# netfilter: shared hook DROP verdicts: $(hook_drops), busy $(lp_b list --json |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["sets"][0]["hooks"][0]["busy"])')"
	lp_b stop "$S"
done

python3 - "$res" "$SECS" "$(uname -r)" "$ROUNDS" <<'EOF'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    name, pps, sent, secs = line.split()
    r = rows.setdefault(name, {"pps": 0, "rounds": []})
    r["rounds"].append(int(pps))
    r["pps"] = max(r["pps"], int(pps))
def ratio(a, b):
    return round(rows[a]["pps"] / rows[b]["pps"], 3) if rows[b]["pps"] else None
ratios = {
    "lua/none (9000, dropped)": ratio("lua_9000", "none_9000"),
    "nft/none (9000, dropped)": ratio("nft_9000", "none_9000"),
    "lua/nft (9000, dropped)": ratio("lua_9000", "nft_9000"),
    "lua/none (9001, accepted)": ratio("lua_9001", "none_9001"),
    "nft/none (9001, accepted)": ratio("nft_9001", "none_9001"),
    "lua/nft (9001, accepted)": ratio("lua_9001", "nft_9001"),
    "shared/per-CPU (2 CPUs)": ratio("shared_2cpu", "percpu_2cpu"),
    "per-CPU/none (2 CPUs)": ratio("percpu_2cpu", "none_2cpu"),
    "shared/none (2 CPUs)": ratio("shared_2cpu", "none_2cpu"),
}
print(json.dumps({"benchmark": "netfilter", "kernel": sys.argv[3],
                  "seconds": float(sys.argv[2]), "rounds": int(sys.argv[4]),
                  "results": rows,
                  "ratios": ratios}, indent=1))
print()
print("| run | datagrams/s (best) | every round |")
print("|---|---:|---|")
for name, r in rows.items():
    print(f"| {name} | {r['pps']} | {' '.join(map(str, r['rounds']))} |")
print()
print("| ratio | value |")
print("|---|---:|")
for name, v in ratios.items():
    print(f"| {name} | {v} |")
EOF
