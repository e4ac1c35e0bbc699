# shellcheck shell=bash
# Shared by the DNS example cases: three network namespaces in a line,
#
#   $CLI (dig) --- $MID (the hooked host, forwards) --- $SRV (dnsmasq)
#   10.1.1.2       10.1.1.1 | 10.1.3.1                   10.1.3.53
#   fd00:1:1::2    fd00:1:1::1 | fd00:1:3::1             fd00:1:3::53
#
# matching the rules in examples/dnsdoctor/dnsdoctor.lua (clients
# 10.1.1.0/24 and fd00:1:1::/64). Source after tests/lib/vmtest.sh.

SRV4=10.1.3.53
SRV6=fd00:1:3::53

# ns_link NS1 IF1 NS2 IF2: a veth between two namespaces, up
ns_link() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" || return 1
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

# ns_addr NS IF ADDR4/LEN ADDR6/LEN
ns_addr() {
	ip -n "$1" addr add "$3" dev "$2"
	ip -n "$1" -6 addr add "$4" dev "$2" nodad
}

# topology [CLIENT_NET4 CLIENT_NET6]: sets CLI MID SRV; the client side may
# be another subnet (a client the rules do not cover)
topology() {
	local c4=${1:-10.1.1} c6=${2:-fd00:1:1}
	netns_new CLI || return 1
	netns_new MID || return 1
	netns_new SRV || return 1
	ns_link "$CLI" eth0 "$MID" cli0 || return 1
	ns_link "$MID" srv0 "$SRV" eth0 || return 1
	ns_addr "$CLI" eth0 "$c4.2/24" "$c6::2/64"
	ns_addr "$MID" cli0 "$c4.1/24" "$c6::1/64"
	ns_addr "$MID" srv0 10.1.3.1/24 fd00:1:3::1/64
	ns_addr "$SRV" eth0 "$SRV4/24" "$SRV6/64"
	ip -n "$CLI" route add default via "$c4.1"
	ip -n "$CLI" -6 route add default via "$c6::1"
	ip -n "$SRV" route add default via 10.1.3.1
	ip -n "$SRV" -6 route add default via fd00:1:3::1
	ip netns exec "$MID" sysctl -qw net.ipv4.ip_forward=1
	ip netns exec "$MID" sysctl -qw net.ipv6.conf.all.forwarding=1
}

# dnsmasq_start ARGS...: an authoritative-enough server in $SRV, UDP and TCP
dnsmasq_start() {
	ip netns exec "$SRV" dnsmasq --keep-in-foreground --no-resolv --no-hosts \
		--bind-interfaces --listen-address="$SRV4" --listen-address="$SRV6" \
		--except-interface=lo --pid-file= --user=root --group=root \
		--log-facility=- "$@" >/dev/null 2>&1 &
	DNSMASQ_PID=$!
	# ready when it answers
	local i
	for i in $(seq 50); do
		ip netns exec "$CLI" dig +short +tries=1 +time=1 @"$SRV4" ready.invalid \
			>/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

dnsmasq_stop() {
	[ -n "${DNSMASQ_PID:-}" ] && kill "$DNSMASQ_PID" 2>/dev/null
	wait "${DNSMASQ_PID:-}" 2>/dev/null
	DNSMASQ_PID=
}

# qry NS ARGS...: dig's short answer, or "timeout" (exit 9: no reply)
qry() {
	local ns=$1 out rc
	shift
	out=$(ip netns exec "$ns" dig +short +tries=1 +time=2 "$@" 2>&1)
	rc=$?
	[ $rc -eq 9 ] && out=timeout
	printf '%s' "$out"
}

# the set's CLI inside the hooked namespace
lpm() { ip netns exec "$MID" "$LP" "$@"; }

# lpm_run SCRIPT LIB: run SCRIPT in $MID (softirq); skip the case when the
# kernel has no LIB library yet, fail on any other error
lpm_run() {
	local out rc
	out=$(lpm run "$1" --context softirq 2>&1)
	rc=$?
	case $out in *"module '$2' not found"*)
		printf '%s\n' "$out" | sed 's/^/    # /'
		skip "kernel library '$2' not built" ;;
	esac
	[ $rc -eq 0 ] && _vt_ok "run $1 in the hooked netns" && return 0
	_vt_notok "run $1 in the hooked netns [rc=$rc]"
	printf '%s\n' "$out" | sed 's/^/    # /'
	return 1
}

# udp_csum_errors NS: InCsumErrors of UDP over IPv4 plus IPv6
udp_csum_errors() {
	ip netns exec "$1" awk '
		$1 == "Udp:" && !h { for (i = 2; i <= NF; i++) col[$i] = i; h = 1; next }
		$1 == "Udp:" && h { v4 = $col["InCsumErrors"] }
		$1 == "Udp6InCsumErrors" { v6 = $2 }
		END { print v4 + v6 }' /proc/net/snmp /proc/net/snmp6
}
