#!/usr/bin/env bash
# Hostile scripts against the lunatik, thread, linux and completion
# libraries: wrong arguments everywhere, sleeps SIGKILL must end, runtimes
# made from Lua within their creator's budget and memory cap, EXEC results
# as bytes.
. tests/lib/vmtest.sh

S=hostile_libs
L=tests/vm/cases/hostile/lua

cleanup_tests() {
	local s
	for s in "$S" "${S}_x" "${S}_y" "${S}_w"; do
		timeout 20 "$LP" stop "$s" >/dev/null 2>&1
	done
}

# SIGKILL on timeout: a runaway call ignores SIGTERM (only fatal signals
# end a call), and an old module must fail here, not hang the run
ex() {
	timeout -s KILL 30 "$LP" exec "$S" "$1" 2>&1
}

# every function and method with wrong arguments: errors, no splat
test_wrong_arguments() {
	local out
	check_run timeout 120 "$LP" run "$L/libs_wrongargs.lua" --name "${S}_w" || return
	out=$(timeout 30 "$LP" exec "${S}_w" 'return nr_calls, nr_raised, xfer_reached')
	assert_match "$out" $'^[0-9]{4,}\t[0-9]{3,}\tfalse$' "calls made, most raised, resume scratch unreachable ($out)"
	check_run timeout 30 "$LP" stop "${S}_w"
	check_run timeout 30 "$LP" stats
}

# linux.schedule in UNINTERRUPTIBLE or IDLE state: SIGKILL ends it at once
schedule_killed() {
	local state=$1 t0 t1 pid
	# the CLI itself in the background (not under timeout: kill it, not
	# a wrapper); an old module keeps it asleep the whole $2 ms
	"$LP" exec "$S" "require('linux').schedule($2, require('linux').task.$state) return 1" \
		>/dev/null 2>&1 &
	pid=$!
	sleep 2
	t0=$(date +%s)
	kill -9 "$pid"
	wait "$pid"
	t1=$(date +%s)
	assert_match "$((t1 - t0))" '^[0-9]$' "schedule($2, $state) ended by SIGKILL ($((t1 - t0)) s)"
}

test_schedule_killable() {
	check_run "$LP" run "$L/libs_base.lua" --name "$S" || return
	schedule_killed UNINTERRUPTIBLE 20000
	schedule_killed IDLE 20000
	schedule_killed KILLABLE 20000
	assert_eq "$(ex 'return 5')" 5 "the set answers afterwards"
	assert_eq "$(ex 'return linux.schedule(10, linux.task.UNINTERRUPTIBLE)')" 0 "a short sleep still sleeps"
	check_run timeout 20 "$LP" stop "$S"
}

# lunatik.runtime(script): its body runs on the creator's budget
test_runtime_body_budget() {
	local out
	check_run "$LP" run "$L/libs_base.lua" --name "$S" --budget 100000 || return
	out=$(ex 'return lunatik.runtime("'"$L"'/libs_long"):resume()')
	assert_match "$out" 'instruction budget exceeded' "20 M iteration body cut"
	out=$(ex 'return lunatik.runtime("'"$L"'/libs_endless")')
	assert_match "$out" 'instruction budget exceeded' "endless body cut"
	assert_eq "$(ex 'return lunatik.runtime("'"$L"'/libs_small"):resume(3)')" $'small\t3' \
		"a cheap body runs"
	out=$(ex 'for i = 1, 3000 do local x = i end return lunatik.runtime("'"$L"'/libs_long")')
	assert_match "$out" 'instruction budget exceeded' "cut after the caller spent part of its budget"
	check_run timeout 20 "$LP" stop "$S"
}

# bytes of memory the set $1 uses (its instance's memory cap counter)
mem_used() {
	timeout 20 "$LP" list --json | python3 -c '
import json, sys
for s in json.load(sys.stdin)["sets"]:
    if s["name"] == sys.argv[1]:
        print(sum(i["mem_used"] for i in s["instances"]))' "$1"
}

# resume results are copied out of the resumed state: the copies count
# against that tree's memory cap (here the 16 MiB of copies exceed the
# 8 MiB cap of set x; the resuming set y has room for them)
test_resume_results_charged() {
	local out
	check_run "$LP" run "$L/libs_base.lua" --name "${S}_x" --mem 8M || return
	check_run "$LP" run "$L/libs_base.lua" --name "${S}_y" --mem 128M || return
	check_run timeout 30 "$LP" exec "${S}_x" '
		local t = rcu.table(4)
		t.rt = lunatik.runtime("'"$L"'/libs_bigres")
		rcu.publish("libs.bigres", t)
		return 1'
	out=$(timeout 60 "$LP" exec "${S}_y" '
		local rt = rcu.subscribe("libs.bigres").rt
		return pcall(function() return select("#", rt:resume()) end)' 2>&1)
	assert_match "$out" '^false.*not enough memory' "copies past the cap of the resumed tree refused"
	# the copies made before the refusal were given back to x's cap
	assert_match "$(mem_used "${S}_x")" '^[0-9]{1,7}$' "set x uses less than 10 MB afterwards"
	assert_eq "$(timeout 20 "$LP" exec "${S}_y" 'return 1')" 1 "set y unharmed"
	check_run timeout 20 "$LP" exec "${S}_x" 'rcu.publish("libs.bigres", nil) return 1'
	check_run timeout 20 "$LP" stop "${S}_x"
	check_run timeout 20 "$LP" stop "${S}_y"
}

# EXEC results are byte strings: embedded NULs survive, raw and in --json
test_exec_result_bytes() {
	local out
	check_run "$LP" run "$L/libs_base.lua" --name "$S" || return
	out=$(timeout 20 "$LP" exec "$S" 'return "a\0b", "c"' | od -An -c | tr -s ' ')
	assert_match "$out" 'a \\0 b \\t c \\n' "NUL kept in raw output ($out)"
	assert_eq "$(timeout 20 "$LP" exec "$S" 'return "a\0b"' | wc -c)" 4 "3 bytes and a newline"
	out=$(timeout 20 "$LP" exec "$S" 'return "a\0b\255"' --json)
	assert_eq "$out" $'{"result":"a\\u0000b\xef\xbf\xbd","result_hex":"610062ff"}' "--json escapes them"
	assert_eq "$(timeout 20 "$LP" exec "$S" 'return string.rep("\0", 1000)' | wc -c)" 1001 "1000 NULs"
	check_run timeout 20 "$LP" stop "$S"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_wrong_arguments test_schedule_killable test_runtime_body_budget
	test_resume_results_charged test_exec_result_bytes)
run_tests
