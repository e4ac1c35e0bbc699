#!/bin/bash
# The main job (make demo), run in the VM by tests/vm/run: an SNI filter
# pipeline on a server. A client and a server network namespace joined by
# a veth pair (eth0 on both sides); on the server, `lunatik-pipeline up
# examples/filter/filter.yaml` loads the SNI filter script into a per-CPU
# Lua runtime set and attaches the TLS pre-classifier to eth0 through
# libxdp. Real openssl clients are then blocked or let through, the
# blocklist changes at run time, `status` shows the counters, `down` takes
# it all away. Prints "demo: done" only when every outcome was the
# expected one; exits non-zero otherwise.
set -o nounset
. tests/lib/vmtest.sh

SPEC=examples/filter/filter.yaml
SET=examples/filter/sni_filter
server=lp-demo-server
client=lp-demo-client
work=$(mktemp -d)
failures=0

cleanup_tests() {
	nsenter --net="/run/netns/$server" "$LP" down -q filter >/dev/null 2>&1
	ip netns del "$server" 2>/dev/null
	ip netns del "$client" 2>/dev/null
	rm -rf "$work"
}

say() { printf '\n$ %s\n' "$*"; "$@"; }
# on_server CMD...: in the server's network namespace only (libxdp keeps
# its state in bpffs under /sys, which `ip netns exec` would remount)
on_server() { nsenter --net="/run/netns/$server" "$@"; }
lp() { say on_server "$LP" "$@"; }

# expect WHAT CMD...: run CMD; WHAT is "ok" or "fails"
expect() {
	local want=$1 got
	shift
	"$@"
	got=$([ $? -eq 0 ] && echo ok || echo fails)
	if [ "$got" = "$want" ]; then
		echo "   => $got, as expected"
	else
		echo "   => $got, expected: $want"
		failures=$((failures + 1))
	fi
}

# tls NAME: an openssl client on the client side asks the server for NAME
tls() {
	local out spid i rc
	ip netns exec "$server" timeout 10 openssl s_server -accept 443 -4 \
		-cert "$work/cert.pem" -key "$work/key.pem" -naccept 1 -quiet \
		</dev/null >/dev/null 2>&1 &
	spid=$!
	for i in $(seq 30); do
		ip netns exec "$server" ss -Hltn 'sport = :443' | grep -q . && break
		sleep 0.1
	done
	printf '\n$ openssl s_client -connect 10.99.0.2:443 -servername %s   (client)\n' "$1"
	# one CPU: the filter follows each ClientHello on one CPU's runtime
	out=$(echo Q | ip netns exec "$client" timeout 5 taskset -c 0 openssl s_client \
		-connect 10.99.0.2:443 -servername "$1" 2>&1)
	grep -q '^ *Cipher is\|New, TLS' <<<"$out"
	rc=$?
	if [ $rc -eq 0 ]; then
		grep -m1 'New, TLS\|Cipher is' <<<"$out" | sed 's/^/   /'
	else
		echo "   no handshake (the ClientHello was dropped)"
	fi
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	return $rc
}

blocklist() {
	lp exec "$SET" "local l = require('rcu').subscribe('sni_filter/blocklist'); $1"
}

ip netns add "$server" && ip netns add "$client" || exit 1
ip link add eth0 netns "$client" type veth peer name eth0 netns "$server" || exit 1
ip -n "$client" addr add 10.99.0.1/24 dev eth0
ip -n "$server" addr add 10.99.0.2/24 dev eth0
for ns in "$client" "$server"; do
	ip -n "$ns" link set lo up
	ip -n "$ns" link set eth0 up
done
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=demo \
	-keyout "$work/key.pem" -out "$work/cert.pem" -days 1 >/dev/null 2>&1 || exit 1

echo "== the server: 10.99.0.2 on eth0 in netns $server; the client: 10.99.0.1"
lp validate "$SPEC"
lp plan "$SPEC"
expect ok lp up "$SPEC"
expect ok lp up "$SPEC"	# again: nothing to do
blocklist "l['blocked.example'] = true; l['*.ads.example'] = true"

echo
echo "== TLS handshakes through the filter"
expect ok tls www.example
expect fails tls blocked.example
expect fails tls tracker.ads.example

echo
echo "== the blocklist changes at run time: blocked.example is let through, www.example blocked"
blocklist "l['blocked.example'] = nil; l['www.example'] = true"
expect ok tls blocked.example
expect fails tls www.example

lp status filter
lp exec "$SET" "local s = require('rcu').subscribe('sni_filter/stats'); return 'blocked ' .. (s.blocked or 0) .. ', allowed ' .. (s.allowed or 0)"
say on_server xdp-loader status eth0
expect ok lp down filter
say on_server xdp-loader status eth0
echo
echo "== without the pipeline every name gets through"
expect ok tls www.example

echo
if [ "$failures" -eq 0 ]; then
	echo "demo: done"
else
	echo "demo: $failures outcome(s) not as expected"
	exit 1
fi
