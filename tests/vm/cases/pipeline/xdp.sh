#!/usr/bin/env bash
# `lunatik-pipeline up` of XDP stages: examples/filter/filter.yaml (its
# interface and namespace substituted in a temporary copy) brought up for
# the server netns of a client/server veth pair. The TLS classifier is
# attached through libxdp's dispatcher next to a DNS classifier loaded by
# hand with xdp-loader; real openssl handshakes are blocked or complete;
# counters move in `status --json`; `up` again changes nothing; a changed
# stage is replaced; a program detached by hand is drift and `up` repairs
# it; a spec whose XDP stage the kernel refuses leaves nothing behind;
# `down` removes our program only.
. tests/lib/vmtest.sh

REPO=$LPVM_REPO
SET=examples/filter/sni_filter
DNSOBJ=$REPO/build/bpf/dns_classifier.bpf.o
W=$(mktemp -d)

cleanup_tests() {
	for p in filter lp_bad lp_bad2 lp_nsexec; do
		"$LP" down -q "$p" >/dev/null 2>&1
	done
	# the DNS classifier loaded by hand: libxdp's pins in bpffs would keep
	# it (and, through its kfunc, the module) alive after the netns goes
	[ -n "${sdev:-}" ] && xdp_srv unload -a "$sdev" >/dev/null 2>&1
	rm -rf "$W"
}

setup() {
	netns_new cli || return 1
	netns_new srv || return 1
	veth_pair "$cli" "$srv" 10.78.0.1 10.78.0.2 || return 1
	sdev=$(ip -n "$srv" -o link show type veth | awk -F'[ :@]+' '{print $2}')
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-subj /CN=test -keyout "$W/key.pem" -out "$W/cert.pem" \
		-days 1 >/dev/null 2>&1 || return 1
	# the example, for the server's netns and veth; scripts stay in the
	# repository (the module's script root), named by absolute path
	sed -e "s|^  base: \.\./\.\.|  base: $REPO|" \
		-e "s|script: sni_filter.lua|script: $REPO/examples/filter/sni_filter.lua|" \
		-e "s|interface: eth0|interface: $sdev|" \
		"$REPO/examples/filter/filter.yaml" >"$W/filter.yaml" || return 1
	printf 'namespace: %s\n' "$srv" >>"$W/filter.yaml"
}

# libxdp keeps its state in bpffs, which `ip netns exec` hides (it
# remounts /sys): enter only the network namespace
xdp_srv() { nsenter --net="/run/netns/$srv" xdp-loader "$@"; }
lp_srv() { ip netns exec "$srv" "$LP" "$@"; }

# the components of the dispatcher: prio, name, id, tag, actions
components() { xdp_srv status "$sdev" 2>&1 | grep '=>' | sed 's/  */ /g'; }
link_state() { ip -n "$srv" -o link show "$sdev" | sed -E 's/(id)[: ][0-9]+/\1/g'; }
has_set() { lp_srv list --json | python3 -c 'import json,sys; print(any(s["name"]==sys.argv[1] for s in json.load(sys.stdin)["sets"]))' "$1"; }
# status_field EXPR: a Python expression over x, the first XDP stage of `status filter --json`
status_field() {
	"$LP" status filter --json | python3 -c "import json,sys; x=json.load(sys.stdin)['pipelines'][0]['xdp'][0]; print($1)"
}

# handshake NAME: 0 when a TLS handshake to the server completes within 8 s
handshake() {
	local out spid i rc
	ip netns exec "$srv" timeout 10 openssl s_server -accept 443 -4 \
		-cert "$W/cert.pem" -key "$W/key.pem" -naccept 1 -quiet \
		</dev/null >/dev/null 2>&1 &
	spid=$!
	for i in $(seq 100); do
		ip netns exec "$srv" ss -Hltn 'sport = :443' | grep -q . && break
		sleep 0.1
	done
	# one CPU sends (and so, on veth, receives) every segment: the filter
	# follows a ClientHello per CPU instance (README, XDP limits)
	out=$(echo Q | ip netns exec "$cli" timeout 8 taskset -c 0 openssl s_client \
		-connect 10.78.0.2:443 -servername "$1" 2>&1)
	grep -q '^ *Cipher is\|New, TLS' <<<"$out"
	rc=$?
	# what the client saw, for the log when an outcome is not the expected one
	[ $rc -ne 0 ] && echo "    # s_client: $(grep -v '^ *$' <<<"$out" | tail -n 2 | tr '\n' ' ')"
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	return $rc
}

# another XDP program first: ours must join it, and leave it as it was
test_other_program_first() {
	if ! mountpoint -q /sys/fs/bpf; then
		mount -t bpf bpf /sys/fs/bpf || return
	fi
	check_run xdp_srv load -m skb "$sdev" "$DNSOBJ" || return
	before_components=$(components)
	before_link=$(link_state)
	before_sets=$(lp_srv list)
	assert_match "$before_components" "dns_classifier" "the DNS classifier runs"
}

test_up() {
	local out
	out=$("$LP" up "$W/filter.yaml" 2>&1)
	assert_eq "$?" 0 "up of the filter spec: $out"
	assert_match "$out" "attach xdp tls_classifier.bpf.o on $sdev \(skb, set $SET, port 443\) \[new\]" "up attaches the classifier"
	check_run lp_srv exec "$SET" \
		"local l = require('rcu').subscribe('sni_filter/blocklist'); l['blocked.test'] = true; l['*.bad.test'] = true"
	local status
	status=$(xdp_srv status "$sdev" 2>&1)
	assert_match "$status" "xdp_dispatcher" "attached through the libxdp dispatcher"
	assert_match "$status" "tls_classifier" "xdp-loader status lists ours"
	assert_match "$status" "dns_classifier" "... next to the other program"
	prog_id=$(status_field 'x["prog_id"]')
	assert_match "$(components)" "tls_classifier $prog_id " "under the prog id the state records"
	assert_eq "$(status_field 'x["state"]')" attached "status: attached"
}

test_handshakes() {
	local before after
	before=$(status_field 'x["counters"]["matched"]')
	check_run handshake allowed.test
	check_fail handshake blocked.test
	check_fail handshake x.bad.test
	after=$(status_field 'x["counters"]["matched"]')
	assert_eq "$(( after >= before + 3 ))" 1 "classifier counters move ($before -> $after)"
	assert_eq "$(( $(status_field 'x["counters"]["lua_drop"]') >= 1 ))" 1 "a drop counted"
	assert_eq "$(( $(status_field 'x["set_counters"]["packets"]') >= 3 ))" 1 "the set's counters move"
	assert_match "$("$LP" status filter)" "xdp tls_classifier.bpf.o on $sdev .*: attached" "status text"
}

test_up_again_is_a_noop() {
	assert_eq "$("$LP" up "$W/filter.yaml" 2>&1)" "pipeline 'filter' is up to date" "up again"
	assert_eq "$("$LP" plan "$W/filter.yaml" 2>&1)" "pipeline 'filter': nothing to do" "plan"
	assert_eq "$(status_field 'x["prog_id"]')" "$prog_id" "same program"
}

test_changed_stage_is_replaced() {
	sed -i 's/ports: \[443\]/ports: [443, 8443]/' "$W/filter.yaml"
	local out
	out=$("$LP" up "$W/filter.yaml" 2>&1)
	assert_eq "$?" 0 "up of the changed spec: $out"
	assert_match "$out" "attach xdp .*ports 443,8443\) \[changed\]" "new stage attached"
	assert_match "$out" "detach xdp .*\(prog id $prog_id\) \[replaced\]" "old one detached"
	prog_id=$(status_field 'x["prog_id"]')
	assert_eq "$(components | grep -c tls_classifier)" 1 "one TLS classifier"
	assert_match "$(components)" "dns_classifier" "the other program stays"
	check_fail handshake blocked.test
	check_run handshake allowed.test
}

test_detached_by_hand_is_drift() {
	check_run xdp_srv unload "$sdev" --id "$prog_id" || return
	assert_match "$("$LP" status filter 2>&1)" "drift: xdp program .*\(prog id $prog_id\) is not attached" "drift reported"
	assert_eq "$(status_field 'x["state"]')" missing "status --json: missing"
	check_run handshake blocked.test
	assert_match "$("$LP" up "$W/filter.yaml" 2>&1)" "\[detached by hand\]" "up attaches it again"
	prog_id=$(status_field 'x["prog_id"]')
	check_fail handshake blocked.test
}

# bad NAME MODE IFACE [PROGRAM]: a spec with one set and an XDP stage last
bad() {
	{
		printf 'version: 1\nname: %s\nnamespace: %s\nscripts:\n  base: %s\n' "$1" "$srv" "$REPO"
		printf 'sets:\n  - name: %s_set\n    script: %s/examples/filter/sni_filter.lua\n' "$1" "$REPO"
		printf 'xdp:\n  - interface: %s\n    classifier: tls\n    mode: %s\n    set: %s_set\n' "$3" "$2" "$1"
		[ -n "${4:-}" ] && printf '    program: %s\n' "$4"
	} >"$W/$1.yaml"
}

test_failed_stage_leaves_nothing() {
	local out rc
	bad lp_bad native lo
	out=$("$LP" up "$W/lp_bad.yaml" 2>&1)
	rc=$?
	assert_eq "$rc" 8 "native mode refused on lo: exit 8"
	assert_match "$out" "step [0-9]+ of [0-9]+ \(attach xdp tls_classifier.bpf.o on lo \(native.*failed: .*undid" "names the step and why"
	assert_eq "$(has_set lp_bad_set)" False "its set is gone"
	assert_eq "$(ip -n "$srv" -o link show lo | grep -c xdp)" 0 "no XDP program on lo"
	assert_eq "$([ -e /run/lunatik-pipeline/lp_bad.json ] && echo yes || echo no)" no "no state"
	bad lp_bad2 skb "$sdev" no_such_program
	out=$("$LP" up "$W/lp_bad2.yaml" 2>&1)
	assert_eq "$?" 11 "a program the object lacks: exit 11"
	assert_match "$out" "has no program 'no_such_program'; undid" "says so"
	assert_eq "$(has_set lp_bad2_set)" False "its set is gone"
	assert_eq "$(components | grep -c tls_classifier)" 1 "only the filter's classifier"
}

# `ip netns exec` remounts /sys: a bpffs mounted there would die with the
# command, and the program with it. up refuses, and undoes its set.
test_ip_netns_exec_is_refused() {
	local out
	sed -e '/^namespace:/d' -e 's/^name: filter/name: lp_nsexec/' \
		-e 's|: examples/filter/sni_filter|: lp_nsexec_set|' "$W/filter.yaml" >"$W/nsexec.yaml"
	out=$(ip netns exec "$srv" "$LP" up "$W/nsexec.yaml" 2>&1)
	assert_eq "$?" 9 "up under ip netns exec: exit 9"
	assert_match "$out" "no bpffs on /sys/fs/bpf in this mount namespace .*nsenter --net" "says why and what to do"
	assert_eq "$(has_set lp_nsexec_set)" False "its set is gone"
	assert_eq "$(components | grep -c tls_classifier)" 1 "only the filter's classifier"
}

test_down() {
	check_run "$LP" down filter || return
	assert_eq "$(components)" "$before_components" "xdp-loader status as before up"
	assert_eq "$(link_state)" "$before_link" "ip link as before up"
	assert_eq "$(lp_srv list)" "$before_sets" "list as before up"
	check_run handshake blocked.test
	assert_eq "$("$LP" status)" "no pipeline is up" "no pipeline left"
}

# after down and the other program's unload, no BPF program holds the
# module's kfunc: it unloads (and is loaded again for the next case)
test_module_can_unload() {
	check_run xdp_srv unload -a "$sdev" || return
	check_run "$LP" module unload
	check_run modprobe lunatik script_root="$REPO"
}

command -v xdp-loader >/dev/null || skip "xdp-loader not installed"
[ -x "$LP" ] || skip "CLI not built: $LP"
[ -f "$DNSOBJ" ] || skip "BPF objects not built: make bpf"
setup || { echo "setup failed"; exit 1; }
ALL_TESTS=(test_other_program_first test_up test_handshakes test_up_again_is_a_noop
	test_changed_stage_is_replaced test_detached_by_hand_is_drift
	test_failed_stage_leaves_nothing test_ip_netns_exec_is_refused test_down
	test_module_can_unload)
run_tests
