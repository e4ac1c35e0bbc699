# shellcheck shell=bash
# Helpers of the netfilter VM tests: two netns joined by a veth (nfa in A,
# nfb in B; 10.9.0.1/2 and fd00::1/2), UDP receivers and hook counters.
# Source after tests/lib/vmtest.sh.
NFDIR=tests/vm/cases/netfilter
NFLUA=$NFDIR/lua
UDP="python3 $NFDIR/udp.py"
_nf_tmp=$(mktemp -d)
_nf_pids=()

nf_cleanup() {
	local p
	for p in "${_nf_pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$_nf_tmp"
}

# nf_topo: sets A and B
nf_topo() {
	netns_new A || return 1
	netns_new B || return 1
	ip link add nfa netns "$A" type veth peer name nfb netns "$B" || return 1
	ip -n "$A" addr add 10.9.0.1/24 dev nfa
	ip -n "$B" addr add 10.9.0.2/24 dev nfb
	ip -n "$A" addr add fd00::1/64 dev nfa nodad
	ip -n "$B" addr add fd00::2/64 dev nfb nodad
	ip -n "$A" link set nfa up
	ip -n "$B" link set nfb up
}

# nf_lp NS ARGS...: the CLI in netns NS
nf_lp() {
	local ns=$1
	shift
	ip netns exec "$ns" "$LP" "$@"
}

# nf_recv_start NS ADDR PORTS SECONDS NAME: receiver in the background,
# returns once it is bound
nf_recv_start() {
	local ns=$1 addr=$2 ports=$3 secs=$4 name=$5 i
	ip netns exec "$ns" $UDP recv "$addr" "$ports" "$secs" >"$_nf_tmp/$name" &
	_nf_pids+=($!)
	eval "_nf_pid_$name=$!"
	for i in $(seq 100); do
		grep -q ready "$_nf_tmp/$name" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# nf_recv_wait NAME: wait for the receiver to finish
nf_recv_wait() {
	local pid
	eval "pid=\$_nf_pid_$1"
	wait "$pid"
}

# nf_recv_count NAME PORT / nf_recv_first NAME PORT
nf_recv_count() {
	awk -v p="$2" '$1 == p { print $2 }' "$_nf_tmp/$1"
}
nf_recv_first() {
	awk -v p="$2" '$1 == p { print $3 }' "$_nf_tmp/$1"
}

# nf_send NS ADDR PORT COUNT PAYLOAD [GAP_MS]
nf_send() {
	ip netns exec "$1" $UDP send "$2" "$3" "$4" "$5" "${6:-5}"
}

# nf_hook NS SET INDEX EXPR: a Python expression over hook h (a dict from
# list --json: packets, errors, budget_hits, memory, busy, bad_verdict,
# stopped, fallback, verdicts{NAME: n}, type, desc) or set s
nf_hook() {
	nf_lp "$1" list --json | python3 -c '
import json, sys
s = [x for x in json.load(sys.stdin)["sets"] if x["name"] == sys.argv[1]][0]
hooks = s["hooks"]
h = hooks[int(sys.argv[2])] if int(sys.argv[2]) < len(hooks) else {}
print(eval(sys.argv[3]))' "$2" "$3" "$4"
}
