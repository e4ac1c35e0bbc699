#!/usr/bin/env bash
# run/exec/list/reload/stop/stats output, as scripts parse it.
. tests/lib/vmtest.sh

D=tests/vm/cases/cli/lua
S=cli_cmd
P=cli_cmd_soft

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
	"$LP" stop "$P" >/dev/null 2>&1
}

json_field() { # json_field SET EXPR: python expression over the set's dict s
	"$LP" list --json | python3 -c '
import json, sys
for s in json.load(sys.stdin)["sets"]:
    if s["name"] == sys.argv[1]:
        print(eval(sys.argv[2]))' "$1" "$2"
}

test_exec() {
	check_run "$LP" run "$D/hello.lua" --name "$S" || return
	assert_eq "$("$LP" exec "$S" 'return 1 + 1')" 2 "exec prints the result"
	assert_eq "$("$LP" exec "$S" 'return 1, "a", nil')" $'1\ta\tnil' "tab separated"
	assert_eq "$("$LP" exec "$S" 'x = 1')" "" "no results: empty line"
	assert_eq "$(printf 'local a = bump(2)\nreturn a, greeting\n' | "$LP" exec "$S" -)" \
		$'2\thello' "chunk from stdin"
}

test_list_table() {
	local out line
	out=$("$LP" list)
	assert_match "$(head -n1 <<<"$out")" \
		'^NAME +CONTEXT +INSTANCES +GENERATION +CALLS +ERRORS +BUDGET_HITS +MEMORY$' \
		"table header"
	line=$(awk -v s="$S" '$1 == s' <<<"$out")
	assert_match "$line" "^$S +process +1 +[0-9]+ +[0-9]+ +0 +0 +[1-9][0-9]*$" "process set row"
}

test_list_json() {
	check_run "$LP" run "$D/hello.lua" --name "$P" --context softirq --mem 1M \
		--budget 5000 || return
	local ncpu
	ncpu=$(($(cut -d- -f2 /sys/devices/system/cpu/possible) + 1))
	assert_eq "$(json_field "$P" 's["context"], s["ninstances"], len(s["instances"])')" \
		"('softirq', $ncpu, $ncpu)" "softirq set: one instance per possible CPU"
	assert_eq "$(json_field "$P" 's["mem_limit"], s["budget"]')" "(1048576, 5000)" \
		"--mem and --budget reach the kernel"
	assert_eq "$(json_field "$P" 'sorted(s["instances"][0])')" \
		"['budget_hits', 'calls', 'cpu', 'errors', 'mem_used']" "instance counters"
	assert_eq "$(json_field "$S" 's["instances"][0]["cpu"]')" None "process instance has no CPU"
	check_run "$LP" stop "$P"
}

test_reload() {
	local gen
	gen=$(json_field "$S" 's["generation"]')
	assert_eq "$("$LP" reload "$S")" "$S generation $((gen + 1))" "reload prints the generation"
	assert_eq "$("$LP" exec "$S" 'return greeting, calls')" $'hello\t0' "fresh state"
	check_run "$LP" reload "$S" --script "$D/v2.lua"
	assert_eq "$("$LP" exec "$S" 'return greeting')" v2 "reload --script"
	assert_eq "$(json_field "$S" 's["generation"]')" "$((gen + 2))" "generation in list"
}

test_stats() {
	local out
	out=$("$LP" stats)
	assert_match "$out" $'^allocs [0-9]+\nalloc_bytes [0-9]+\nsets [0-9]+\nruntimes [0-9]+$' \
		"stats text"
	assert_match "$("$LP" stats --json | python3 -c 'import json,sys; print(sorted(json.load(sys.stdin)))')" \
		"alloc_bytes.*allocs.*runtimes.*sets" "stats json keys"
}

test_module_status() {
	local out
	out=$("$LP" module status)
	assert_match "$out" $'^loaded: yes\nscript_root: '"$(pwd)"$'\nNAME ' "module status"
	assert_match "$out" $'\n'"$S " "status lists the sets"
}

test_stop() {
	check_run "$LP" stop "$S"
	assert_eq "$("$LP" list | awk -v s="$S" '$1 == s')" "" "stopped set is gone"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_exec test_list_table test_list_json test_reload test_stats test_module_status
	test_stop)
run_tests
