#!/usr/bin/env bash
# The SNI filter against ClientHellos split across TCP segments, received on
# both CPUs: the server's routes advertise a small MSS (advmss), so OpenSSL's
# ~330-byte ClientHello arrives in 4-7 segments and its server name spans
# segment boundaries; the client's routes start with a congestion window of
# one segment, so the later segments leave on the arrival of the server's
# ACKs - on the server's CPU - while the first leaves on the client's. Each
# handshake pins client and server to CPUs in turn. A blocked name must fail
# every time, by the filter's decision (25 handshakes over IPv4, 6 over
# IPv6); an allowed one
# completes; duplicated segments and reordered ones (netem: the first
# segment of a ClientHello overtaken by later ones) are judged the same.
. tests/lib/vmtest.sh

SET=examples/filter/sni_filter
OBJ=$LPVM_REPO/build/bpf/tls_classifier.bpf.o
# long names: the server_name bytes span several 40-90 byte segments
BLOCKED=blocked-with-a-long-name-that-spans-two-or-three-segments.test
WILD=x.another-rather-long-label-for-the-wildcard-entry.bad.test
ALLOWED=allowed-with-a-long-name-that-spans-two-or-three-segments.test
work=$(mktemp -d)

cleanup_tests() {
	[ -n "${srv:-}" ] && ip netns exec "$srv" "$LP" stop "$SET" >/dev/null 2>&1
	rm -rf "$work"
}

setup() {
	netns_new cli || return 1
	netns_new srv || return 1
	veth_pair "$cli" "$srv" 10.78.0.1 10.78.0.2 || return 1
	cdev=$(ip -n "$cli" -o link show type veth | awk -F'[ :@]+' '{print $2}')
	sdev=$(ip -n "$srv" -o link show type veth | awk -F'[ :@]+' '{print $2}')
	ip -n "$cli" addr add fd78::1/64 dev "$cdev" nodad
	ip -n "$srv" addr add fd78::2/64 dev "$sdev" nodad
	# the server advertises a small MSS; the client sends one segment,
	# then waits for an ACK
	ip -n "$srv" route change 10.78.0.0/24 dev "$sdev" advmss 64 || return 1
	ip -n "$srv" -6 route change fd78::/64 dev "$sdev" metric 256 advmss 88 || return 1
	ip -n "$cli" route change 10.78.0.0/24 dev "$cdev" initcwnd 1 || return 1
	ip -n "$cli" -6 route change fd78::/64 dev "$cdev" metric 256 initcwnd 1 || return 1
	if ! mountpoint -q /sys/fs/bpf; then
		mount -t bpf bpf /sys/fs/bpf || return 1
	fi
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-subj /CN=test -keyout "$work/key.pem" -out "$work/cert.pem" \
		-days 1 >/dev/null 2>&1 || return 1
}

lp_srv() { ip netns exec "$srv" "$LP" "$@"; }
xdp_srv() { nsenter --net="/run/netns/$srv" xdp-loader "$@"; }

# handshake ADDR NAME SRVCPU CLICPU WAIT: 0 when the TLS handshake
# completes within WAIT seconds, with s_server on CPUs SRVCPU and s_client on
# CLICPU. A fresh s_server per handshake (it serves one client at a time).
handshake() {
	local out spid i rc family=-4
	[[ $1 == \[* ]] && family=-6
	ip netns exec "$srv" timeout $(($5 + 2)) taskset -c "$3" openssl s_server \
		-accept 443 "$family" -cert "$work/cert.pem" -key "$work/key.pem" \
		-naccept 1 -quiet </dev/null >/dev/null 2>&1 &
	spid=$!
	for i in $(seq 30); do
		ip netns exec "$srv" ss -Hltn 'sport = :443' | grep -q . && break
		sleep 0.1
	done
	local t0=$SECONDS
	out=$(echo Q | ip netns exec "$cli" timeout "$5" taskset -c "$4" \
		openssl s_client -connect "$1" -servername "$2" 2>&1)
	grep -q '^ *Cipher is\|New, TLS' <<<"$out"
	rc=$?
	# why an allowed one failed
	[ $rc -ne 0 ] && [ "${SNI_SPLIT_VERBOSE:-0}" = 1 ] &&
		echo "    # handshake failed after $((SECONDS - t0)) s: $(tail -c 300 <<<"$out" | tr '\n' ' ')"
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	return $rc
}

# CPU placements, taken in turn: client and server on one CPU or on
# different ones, or the client free to run on both
cpus_srv=(1 0 0 1 0,1)
cpus_cli=(0 1 0 1 0,1)

# repeat N ADDR NAME WANT: N handshakes, WANT = ok or fail; counts misses.
# A failure must be the filter's doing: each blocked handshake adds one to
# the blocked counter (not a slow guest timing it out).
repeat() {
	local n=$1 addr=$2 name=$3 want=$4 i k wrong=0 wait=8 b0
	b0=$(stat_of blocked)
	for i in $(seq "$n"); do
		k=$(( i % ${#cpus_cli[@]} ))
		if handshake "$addr" "$name" "${cpus_srv[$k]}" "${cpus_cli[$k]}" "$wait"; then
			[ "$want" = fail ] && wrong=$((wrong + 1))
		else
			[ "$want" = ok ] && wrong=$((wrong + 1))
		fi
	done
	assert_eq "$wrong" 0 "$n handshakes to $addr $name: every one ${want}ed" ||
		echo "    # stats: $(stats_line)"
	if [ "$want" = fail ]; then
		assert_eq "$(( $(stat_of blocked) - b0 >= n ))" 1 "... each one blocked by the filter" ||
			echo "    # stats: $(stats_line)"
	fi
}

# every counter of the filter, on one line (printed when a repeat fails)
stats_line() {
	lp_srv exec "$SET" "local t = {} for k, v in pairs(require('rcu').subscribe('sni_filter/stats')) do t[#t + 1] = k .. '=' .. tostring(v) end table.sort(t) return table.concat(t, ' ')"
}

stat_of() {
	lp_srv exec "$SET" "return require('rcu').subscribe('sni_filter/stats')['$1'] or 0"
}

# per-CPU values of the classifier's counter IDX (continuation segments: 2)
percpu() {
	bpftool -j map lookup name preclass_stats key 0 0 0 0 2>/dev/null |
		python3 -c '
import json, sys
m = json.load(sys.stdin)
idx = int(sys.argv[1])
for v in m["values"]:
    b = bytes(int(x, 16) for x in v["value"])
    print(int.from_bytes(b[idx * 8:idx * 8 + 8], "little"))' "$1"
}

test_attach() {
	check_run lp_srv run "$SET.lua" --context softirq || return
	check_run lp_srv exec "$SET" \
		"local l = require('rcu').subscribe('sni_filter/blocklist'); l['$BLOCKED'] = true; l['*.bad.test'] = true"
	check_run xdp_srv load -m skb "$sdev" "$OBJ"
}

test_split_ipv4() {
	repeat 3 10.78.0.2:443 "$ALLOWED" ok
	repeat 8 10.78.0.2:443 "$BLOCKED" fail
	repeat 2 10.78.0.2:443 "$WILD" fail
	repeat 3 10.78.0.2:443 "$ALLOWED" ok
}

test_split_ipv6() {
	repeat 2 "[fd78::2]:443" "$ALLOWED" ok
	repeat 3 "[fd78::2]:443" "$BLOCKED" fail
}

# the segments were spread: continuation segments reached Lua on both CPUs
test_both_cpus() {
	local cont
	cont=$(percpu 2 | awk '$1 > 0' | wc -l)
	assert_eq "$(( cont >= 2 ))" 1 "continuation segments on $cont CPUs"
}

# every ClientHello segment sent twice (netem duplicate)
test_duplicates() {
	if ! ip netns exec "$cli" tc qdisc add dev "$cdev" root netem duplicate 100% 2>/dev/null; then
		echo "    # netem not available: duplicates not tested"
		return
	fi
	repeat 2 10.78.0.2:443 "$ALLOWED" ok
	repeat 2 10.78.0.2:443 "$BLOCKED" fail
	ip netns exec "$cli" tc qdisc del dev "$cdev" root
}

# segments reordered: with the whole ClientHello in one flight (initcwnd
# back to 10), netem delays most of them, so later ones overtake the first
test_reorder() {
	if ! ip netns exec "$cli" tc qdisc add dev "$cdev" root netem delay 30ms reorder 35% 2>/dev/null; then
		echo "    # netem not available: reordering not tested"
		return
	fi
	# one flight, and real segments (no GSO super-packets) to reorder
	ip -n "$cli" route change 10.78.0.0/24 dev "$cdev" initcwnd 10
	ip netns exec "$cli" ethtool -K "$cdev" tso off gso off >/dev/null 2>&1
	local early0 early
	early0=$(stat_of early)
	repeat 3 10.78.0.2:443 "$ALLOWED" ok
	repeat 8 10.78.0.2:443 "$BLOCKED" fail
	early=$(stat_of early)
	assert_eq "$(( early > early0 ))" 1 "segments overtook the first ($((early - early0)) ClientHellos)"
	ip netns exec "$cli" tc qdisc del dev "$cdev" root
	ip netns exec "$cli" ethtool -K "$cdev" tso on gso on >/dev/null 2>&1
	ip -n "$cli" route change 10.78.0.0/24 dev "$cdev" initcwnd 1
}

test_counters() {
	local blocked allowed tracked
	blocked=$(stat_of blocked)
	allowed=$(stat_of allowed)
	tracked=$(stat_of tracked)
	assert_eq "$(( blocked >= 23 ))" 1 "blocked counted ($blocked)"
	assert_eq "$(( allowed >= 13 ))" 1 "allowed counted ($allowed)"
	assert_eq "$(( tracked >= 30 ))" 1 "split ClientHellos tracked ($tracked)"
	assert_eq "$(stat_of race)" 0 "no CPU gave up on a race"
}

command -v xdp-loader >/dev/null || skip "xdp-loader not installed"
[ -x "$LP" ] || skip "CLI not built: $LP"
[ -f "$OBJ" ] || skip "BPF objects not built: make bpf"
setup || { echo "setup failed"; exit 1; }
ALL_TESTS=(test_attach test_split_ipv4 test_split_ipv6 test_both_cpus test_duplicates
	test_reorder test_counters)
run_tests
