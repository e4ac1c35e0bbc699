# shellcheck shell=bash
# Shared setup of the xtables VM cases (sourced, not a case itself):
# two namespaces joined by a veth, IPv4 and IPv6, the test extension
# libraries on XTABLES_LIBDIR, and a UDP probe.
. tests/lib/vmtest.sh

X=tests/vm/cases/xtables
XTBUILD=$LPVM_REPO/build/userspace/tests/xtables
export XTABLES_LIBDIR=$XTBUILD:$(pkg-config --variable xtlibdir xtables 2>/dev/null ||
	echo /usr/lib/x86_64-linux-gnu/xtables)
C= S=
A4=10.77.0.1 B4=10.77.0.2 A6=fd77::1 B6=fd77::2

# client netns $C, server netns $S
xt_setup() {
	local i
	netns_new C || return 1
	netns_new S || return 1
	i="x$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')"
	ip link add "${i}a" netns "$C" type veth peer name "${i}b" netns "$S" || return 1
	ip -n "$C" addr add "$A4/24" dev "${i}a"
	ip -n "$S" addr add "$B4/24" dev "${i}b"
	ip -n "$C" addr add "$A6/64" dev "${i}a" nodad
	ip -n "$S" addr add "$B6/64" dev "${i}b" nodad
	ip -n "$C" link set "${i}a" up
	ip -n "$S" link set "${i}b" up
}

# in NS: run the CLI (a set made there lives in that netns)
lp() {
	local ns=$1
	shift
	ip netns exec "$ns" "$LP" "$@"
}

# serve NS: a receiver in NS on ports 9000-9002 (v4 and v6), logging to
# $RXLOG; killed on exit. Python starts in seconds under TCG: wait for it.
RXLOG= RXPIDS=()
serve() {
	local ns=$1 ready n=0
	ready=$(mktemp -u)
	RXLOG=${RXLOG:-$(mktemp)}
	ip netns exec "$ns" python3 "$X/udp.py" serve "$ready" 9000 9001 9002 >>"$RXLOG" &
	RXPIDS+=($!)
	while [ ! -e "$ready" ] && [ $n -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	rm -f "$ready"
}
serve_stop() {
	local pid
	for pid in "${RXPIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	RXPIDS=()
	[ -n "$RXLOG" ] && rm -f "$RXLOG"
}

# probe DST PAYLOAD PORT...: send PAYLOAD from $C to each PORT of DST
# (bash /dev/udp), print what the receiver got ("PORT PAYLOAD", sorted)
probe() {
	local dst=$1 payload=$2 before port
	shift 2
	before=$(wc -l <"$RXLOG")
	for port in "$@"; do
		ip netns exec "$C" bash -c 'printf %s "$1" >"/dev/udp/$2/$3"' _ \
			"$payload" "$dst" "$port" 2>/dev/null
	done
	sleep 1
	tail -n +"$((before + 1))" "$RXLOG" | sort
}

# pkts counter of the first rule of CHAIN: pkts TOOL NS CHAIN [TABLE]
pkts() {
	ip netns exec "$2" "$1" -t "${4:-filter}" -L "$3" -v -x -n 2>/dev/null |
		awk 'NR == 3 { print $1 }'
}

# one hook counter of a set: hookstat NS SET FIELD (summed over its hooks)
hookstat() {
	lp "$1" list --json | python3 -c '
import json, sys
sets = [s for s in json.load(sys.stdin)["sets"] if s["name"] == sys.argv[1]]
print(sum(h.get(sys.argv[2], 0) for s in sets for h in s.get("hooks", [])))' "$2" "$3"
}
