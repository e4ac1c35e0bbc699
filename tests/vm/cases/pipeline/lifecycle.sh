#!/usr/bin/env bash
# `lunatik-pipeline up/plan/status/reload/down` against the real module:
# scripts installed into a writable script root, `up` twice is a no-op, a
# changed script is hot-swapped, a failing spec leaves nothing behind, a
# second pipeline is untouched by `down`, a SIGKILLed `up` is undone by the
# next command, an unprivileged `up` fails clearly. Leaves the module
# loaded with the repository as script root, as the harness had it.
. tests/lib/vmtest.sh

ROOT=$(pwd)
W=/tmp/lp_pipeline
SRC=$W/src
LPROOT=$W/root

cleanup_tests() {
	local p
	for p in app other slow bad fw; do
		"$LP" down -q "$p" >/dev/null 2>&1
	done
	"$LP" module unload >/dev/null 2>&1
	modprobe lunatik script_root="$ROOT"
	rm -rf "$W"
}

# spec NAME SETS...: writes $SRC/NAME.yaml with one set per "name:script"
spec() {
	local name=$1 s
	shift
	{
		printf 'version: 1\nname: %s\nscripts:\n  root: %s\nsets:\n' "$name" "$LPROOT"
		for s in "$@"; do
			printf '  - name: %s\n    script: %s\n    context: process\n    budget: %s\n' \
				"${s%%:*}" "${s#*:}" "${BUDGET:-1000000}"
		done
	} >"$SRC/$name.yaml"
}

generation() { "$LP" list --json | python3 -c 'import json,sys; print([s["generation"] for s in json.load(sys.stdin)["sets"] if s["name"]==sys.argv[1]][0])' "$1"; }

has_set() { "$LP" list --json | python3 -c 'import json,sys; print(any(s["name"]==sys.argv[1] for s in json.load(sys.stdin)["sets"]))' "$1"; }

setup() {
	rm -rf "$W"
	mkdir -p "$SRC/app" "$LPROOT"
	printf 'version = "v1"\nfunction hit() return version end\n' >"$SRC/app/main.lua"
	printf 'return 1\n' >"$SRC/app/other.lua"
	printf 'local x = = 1\n' >"$SRC/app/broken.lua"
	printf 'for i = 1, 20000000 do end\n' >"$SRC/app/slow.lua"
	spec app app_main:app/main.lua
	spec other other_set:app/other.lua
	spec bad bad_good:app/other.lua bad_broken:app/broken.lua
	BUDGET=100000000 spec slow slow_set:app/slow.lua
	{
		cat "$SRC/other.yaml" | sed 's/^name: other/name: fw/; s/other_set/fw_set/'
		printf 'xtables:\n'
		for b in iptables-nft iptables-legacy; do
			printf '  - set: fw_set\n    backend: %s\n    chain: INPUT\n' "$b"
			printf '    protocol: udp\n    match: udp\n    args: ["--dport", "9999"]\n    jump: DROP\n'
		done
	} >"$SRC/fw.yaml"
	"$LP" module unload >/dev/null 2>&1
}

test_up_loads_installs_creates() {
	check_run "$LP" validate "$SRC/app.yaml" || return
	check_run "$LP" up "$SRC/app.yaml" || return
	assert_eq "$(cat /sys/module/lunatik/parameters/script_root)" "$LPROOT" "module loaded with the spec's root"
	assert_eq "$(cat "$LPROOT/app/main.lua" | head -n1)" 'version = "v1"' "script installed"
	assert_eq "$("$LP" exec app_main 'return hit()')" v1 "set runs the script"
	assert_match "$(cat /run/lunatik-pipeline/app.json)" '"app_main"' "state written"
}

test_up_twice_is_a_noop() {
	local gen
	gen=$(generation app_main)
	assert_eq "$("$LP" up "$SRC/app.yaml")" "pipeline 'app' is up to date" "second up"
	assert_eq "$("$LP" plan "$SRC/app.yaml")" "pipeline 'app': nothing to do" "plan after up"
	assert_eq "$(generation app_main)" "$gen" "no reload"
}

test_hot_swap() {
	sed -i 's/v1/v2/' "$SRC/app/main.lua"
	assert_match "$("$LP" plan "$SRC/app.yaml")" 'reload set app_main from app/main.lua \[script changed\]' "plan shows the swap"
	local gen
	gen=$(generation app_main)
	check_run "$LP" up "$SRC/app.yaml" || return
	assert_eq "$("$LP" exec app_main 'return hit()')" v2 "new script runs"
	assert_eq "$(generation app_main)" "$((gen + 1))" "hot-swapped, not recreated"
	check_run "$LP" reload app
	assert_eq "$("$LP" exec app_main 'return hit()')" v2 "pipeline reload keeps it"
}

test_failed_up_leaves_nothing() {
	local out rc
	out=$("$LP" up "$SRC/bad.yaml" 2>&1)
	rc=$?
	assert_eq "$rc" 1 "a Lua error fails up with exit 1"
	assert_match "$out" "^lunatik-pipeline: up bad: step [0-9]+ of [0-9]+ \(create set bad_broken .*failed: app/broken.lua:1: .*undid" "message names the step and why"
	assert_eq "$(has_set bad_good)" False "the set created before is gone"
	assert_eq "$([ -e /run/lunatik-pipeline/bad.json ] && echo yes || echo no)" no "no state"
	assert_eq "$("$LP" exec app_main 'return hit()')" v2 "the other pipeline still runs"
}

test_down_leaves_other_pipelines() {
	check_run "$LP" up "$SRC/other.yaml" || return
	check_run "$LP" down other || return
	assert_eq "$(has_set other_set)" False "down stopped its set"
	assert_eq "$(has_set app_main)" True "another pipeline's set stays"
	assert_eq "$([ -e "$LPROOT/app/main.lua" ] && echo yes || echo no)" yes "its scripts stay"
	out=$("$LP" down other 2>&1)
	assert_eq "$?" 12 "down of an unknown pipeline exits 12"
}

test_status() {
	assert_match "$("$LP" status)" 'pipeline app \(spec .*app.yaml' "status names the pipeline"
	assert_eq "$("$LP" --json status app | python3 -c 'import json,sys; print(json.load(sys.stdin)["pipelines"][0]["sets"][0]["state"])')" \
		running "status --json"
	check_run "$LP" stop app_main
	assert_match "$("$LP" status app)" 'drift: set app_main is not running' "drift reported"
	check_run "$LP" up "$SRC/app.yaml"
	assert_eq "$(has_set app_main)" True "up repairs the drift"
}

test_sigkill_recovery() {
	local pid i out
	"$LP" up "$SRC/slow.yaml" >/dev/null 2>&1 &
	pid=$!
	# wait until the create step is under way (the body takes seconds)
	for i in $(seq 1 100); do
		grep -q '"started": 2' /run/lunatik-pipeline/slow.journal 2>/dev/null && break
		sleep 0.05
	done
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	if [ ! -e /run/lunatik-pipeline/slow.journal ]; then
		echo "    # up finished before the kill; nothing to recover"
	fi
	out=$("$LP" down slow 2>&1)
	assert_eq "$?" 0 "down after the kill"
	echo "    # $out"
	assert_eq "$([ -e /run/lunatik-pipeline/slow.journal ] && echo yes || echo no)" no "journal consumed"
	assert_eq "$([ -e /run/lunatik-pipeline/slow.json ] && echo yes || echo no)" no "no state left"
	sleep 1
	assert_eq "$(has_set slow_set)" False "the half-created set is gone"
	assert_eq "$([ -e "$LPROOT/app/slow.lua" ] && echo yes || echo no)" no "its script is removed"
}

# Rules are inserted with the pipeline's comment, in both backends, and
# down removes them and only them.
test_xtables_rules() {
	iptables-nft -A INPUT -p udp --dport 9998 -j ACCEPT
	check_run "$LP" up "$SRC/fw.yaml" || return
	assert_match "$(iptables-nft -S INPUT)" '-p udp .*--dport 9999 .*lunatik-pipeline:fw.* -j DROP' "iptables-nft rule tagged"
	assert_match "$(iptables-legacy -S INPUT)" '-p udp .*--dport 9999 .*lunatik-pipeline:fw.* -j DROP' "iptables-legacy rule tagged"
	assert_eq "$("$LP" plan "$SRC/fw.yaml")" "pipeline 'fw': nothing to do" "applied"
	iptables-legacy -D INPUT -p udp --dport 9999 -m comment --comment lunatik-pipeline:fw -j DROP
	assert_match "$("$LP" status fw)" 'drift: rule iptables-legacy' "a rule removed by hand is drift"
	check_run "$LP" up "$SRC/fw.yaml"
	assert_match "$(iptables-legacy -S INPUT)" 'lunatik-pipeline:fw' "up reinserts it"
	check_run "$LP" down fw
	assert_eq "$(iptables-nft -S INPUT | grep -c lunatik-pipeline)" 0 "nft rule removed"
	assert_eq "$(iptables-legacy -S INPUT | grep -c lunatik-pipeline)" 0 "legacy rule removed"
	assert_match "$(iptables-nft -S INPUT)" '--dport 9998 -j ACCEPT' "someone else's rule stays"
	iptables-nft -D INPUT -p udp --dport 9998 -j ACCEPT
}

test_unprivileged() {
	local out rc
	out=$(setpriv --inh-caps=-all --ambient-caps=-all --bounding-set=-all -- \
		"$LP" up "$SRC/other.yaml" 2>&1)
	rc=$?
	assert_eq "$rc" 4 "unprivileged up exits 4"
	assert_match "$out" 'permission denied' "and says why"
	assert_eq "$(has_set other_set)" False "nothing created"
}

test_down() {
	check_run "$LP" down "$SRC/app.yaml" || return
	assert_eq "$(has_set app_main)" False "set stopped"
	assert_eq "$([ -e "$LPROOT/app/main.lua" ] && echo yes || echo no)" no "installed script removed"
	assert_eq "$("$LP" status)" "no pipeline is up" "status after down"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
command -v modprobe >/dev/null || skip "modprobe not installed"
setup
ALL_TESTS=(test_up_loads_installs_creates test_up_twice_is_a_noop test_hot_swap
	test_failed_up_leaves_nothing test_down_leaves_other_pipelines test_status
	test_sigkill_recovery test_xtables_rules test_unprivileged test_down)
run_tests
