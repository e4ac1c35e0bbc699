#!/usr/bin/env bash
# A BPF object written as Lunatik's examples are (lunatik_style/probe.bpf.c:
# a non-__weak kfunc extern of bpf_luaxdp_run, the runtime name in .data,
# a 2-byte payload-offset argument) loads unchanged with `xdp-loader load`
# (generic and native mode) while the module is loaded, and its kfunc call
# runs the Lua callback (lunatik_style/probe.lua): a segment reaches the
# server when Lua passes it and not when Lua drops it.
. tests/lib/vmtest.sh

SET=tests/vm/cases/xdp/lunatik_style/probe
SRC=$LPVM_REPO/tests/vm/cases/xdp/lunatik_style/probe.bpf.c
work=$(mktemp -d)

cleanup_tests() {
	[ -n "${sdev:-}" ] && xdp_srv unload -a "$sdev" >/dev/null 2>&1
	[ -n "${srv:-}" ] && ip netns exec "$srv" "$LP" stop "$SET" >/dev/null 2>&1
	rm -rf "$work"
}

lp_srv() { ip netns exec "$srv" "$LP" "$@"; }
xdp_srv() { nsenter --net="/run/netns/$srv" xdp-loader "$@"; }

setup() {
	netns_new cli || return 1
	netns_new srv || return 1
	veth_pair "$cli" "$srv" 10.79.0.1 10.79.0.2 || return 1
	sdev=$(ip -n "$srv" -o link show type veth | awk -F'[ :@]+' '{print $2}')
	if ! mountpoint -q /sys/fs/bpf; then
		mount -t bpf bpf /sys/fs/bpf || return 1
	fi
	clang -O2 -g -Wall -Werror -target bpf -D__TARGET_ARCH_x86 \
		-idirafter /usr/include/x86_64-linux-gnu -c "$SRC" -o "$work/probe.o"
}

# send TEXT: what the server on 10.79.0.2:7777 received of TEXT (empty
# when nothing arrived within 3 s)
send() {
	local spid
	ip netns exec "$srv" timeout 8 python3 -c '
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.79.0.2", 7777))
s.listen()
c, _ = s.accept()
c.settimeout(3)
try:
    print(c.recv(100).decode(), flush=True)
except OSError:
    pass' >"$work/got" 2>/dev/null &
	spid=$!
	# python starts slowly in a TCG guest: wait for the listener
	for _ in $(seq 50); do
		ip netns exec "$srv" ss -Hltn 'sport = :7777' | grep -q . && break
		sleep 0.1
	done
	ip netns exec "$cli" timeout 5 python3 -c '
import socket, sys, time
s = socket.create_connection(("10.79.0.2", 7777), 3)
s.sendall(sys.argv[1].encode())
time.sleep(3.5)' "$1" 2>/dev/null
	wait "$spid"
	cat "$work/got"
}

seen() {
	lp_srv exec "$SET" "return tostring(require('rcu').subscribe('lunatik_style')['$1'])"
}

test_load() {
	check_run lp_srv run "$SET.lua" --context softirq || return
	check_run xdp_srv load -m skb "$sdev" "$work/probe.o" || return
	assert_match "$(xdp_srv status "$sdev" 2>&1)" "lunatik_probe" \
		"xdp-loader status lists the Lunatik-style program"
}

test_runs_lua() {
	assert_eq "$(send "hello lunatik")" "hello lunatik" "passed by Lua: the server got it"
	assert_eq "$(seen hello)" true "Lua found the payload at the argument's offset"
	assert_eq "$(send "DROP this")" "" "dropped by Lua: the server got nothing"
	assert_match "$(seen dropped)" '^[1-9][0-9]*$' "Lua counted the drops"
	assert_match "$(seen calls)" '^[1-9][0-9]*$' "calls counted"
}

test_native() {
	check_run xdp_srv unload -a "$sdev" || return
	check_run xdp_srv load -m native "$sdev" "$work/probe.o" || return
	assert_eq "$(send "hello native")" "hello native" "native mode: passed by Lua"
	assert_eq "$(send "DROP native")" "" "native mode: dropped by Lua"
	check_run xdp_srv unload -a "$sdev"
}

command -v xdp-loader >/dev/null || skip "xdp-loader not installed"
command -v clang >/dev/null || skip "clang not installed"
[ -x "$LP" ] || skip "CLI not built: $LP"
setup || { echo "setup failed"; exit 1; }
ALL_TESTS=(test_load test_runs_lua test_native)
run_tests
