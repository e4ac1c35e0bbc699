#!/usr/bin/env bash
# A softirq set has one instance per possible CPU, each loaded with the
# script, and a call made on CPU N (taskset) lands on instance N.
. tests/lib/vmtest.sh

S=rt_softirq
L=tests/vm/cases/runtime/lua

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
}

# CPUs in /sys/devices/system/cpu/possible ("0-1", "0,2-3", ...)
possible_cpus() {
	local r lo hi
	IFS=, read -ra ranges < /sys/devices/system/cpu/possible
	for r in "${ranges[@]}"; do
		lo=${r%-*}
		hi=${r#*-}
		seq "$lo" "$hi"
	done
}

test_instances() {
	local json n want cpu got
	check_run "$LP" run "$L/basic.lua" --name "$S" --context softirq || return
	json=$("$LP" list --json)
	n=$(python3 -c 'import json,sys; s=[x for x in json.load(sys.stdin)["sets"] if x["name"]==sys.argv[1]][0]; print(s["ninstances"], len(s["instances"]), s["context"])' "$S" <<<"$json")
	want=$(possible_cpus | wc -l)
	assert_eq "$n" "$want $want softirq" "one instance per possible CPU ($want)"
	assert_eq "$want" "$(nproc --all)" "possible CPUs == nproc --all"

	for cpu in $(possible_cpus); do
		[ -e "/sys/devices/system/cpu/cpu$cpu/online" ] &&
			[ "$(cat "/sys/devices/system/cpu/cpu$cpu/online")" = 0 ] &&
			continue # offline CPU: no task can run there
		got=$(taskset -c "$cpu" "$LP" exec "$S" 'return lunatik.cpu(), lunatik.set()')
		assert_eq "$got" "$cpu"$'\t'"$S" "taskset -c $cpu lands on instance $cpu"
	done
}

# each instance has its own lua_State: state set on one CPU stays there
test_isolation() {
	local cpu got
	for cpu in $(seq 0 $(($(nproc) - 1))); do
		taskset -c "$cpu" "$LP" exec "$S" "return bump($((cpu + 10)))" >/dev/null
	done
	for cpu in $(seq 0 $(($(nproc) - 1))); do
		got=$(taskset -c "$cpu" "$LP" exec "$S" 'return counter')
		assert_eq "$got" "$((cpu + 10))" "instance $cpu kept its own globals"
	done
	# counters: every exec above was one call on its instance
	got=$(taskset -c 0 "$LP" list --json | python3 -c 'import json,sys; s=[x for x in json.load(sys.stdin)["sets"] if x["name"]==sys.argv[1]][0]; i=[x for x in s["instances"] if x["cpu"]==0][0]; print(i["calls"] >= 2, i["mem_used"] > 0)' "$S")
	assert_eq "$got" "True True" "instance 0 counts calls and memory"
}

# softirq instances cannot sleep: atomic allocation, no sleeping calls
test_atomic() {
	local out
	out=$("$LP" exec "$S" 'local t = {}; for i = 1, 10000 do t[i] = i end; return #t')
	assert_eq "$out" 10000 "allocation in atomic context"
	out=$("$LP" exec "$S" 'return lunatik.runtime("tests/vm/cases/runtime/lua/child")' 2>&1)
	assert_match "$out" "cannot sleep in this context" "lunatik.runtime refused in softirq"
	check_run "$LP" stop "$S"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_instances test_isolation test_atomic)
run_tests
