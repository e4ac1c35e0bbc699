#!/usr/bin/env bash
# print from Lua is rate-limited (all runtimes together: 50 records per 5 s,
# the rest dropped and counted) and never writes the console inside the
# call: records are emitted with printk_deferred. Before: with the console
# at loglevel 8, one softirq exec doing 300 prints kept BH off for 24 s.
. tests/lib/vmtest.sh

S=hostile_print
L=tests/vm/cases/hostile/lua

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
	dmesg -n 7 2>/dev/null
}

test_print_ratelimit() {
	local start end logged tag
	check_run "$LP" run "$L/cloops.lua" --name "$S" --context softirq || return
	dmesg -n 8
	sleep 6		# a fresh rate-limit interval
	tag=hostile$RANDOM
	start=$(date +%s)
	check_run taskset -c 0 "$LP" exec "$S" "for i = 1, 300 do print('$tag ' .. i) end"
	end=$(date +%s)
	assert_eq "$(( end - start <= 10 ))" 1 "300 prints in softirq return in $((end - start))s"
	logged=$(dmesg | grep -c "$tag")
	assert_eq "$(( logged >= 50 && logged <= 60 ))" 1 "$logged of 300 lines logged (burst 50)"
	sleep 6
	check_run taskset -c 0 "$LP" exec "$S" "print('$tag after')"
	assert_match "$(dmesg | grep -A1 'lines dropped' | tail -2)" "$tag after" \
		"the next line let through follows the dropped count"
	assert_match "$(dmesg | grep 'lines dropped' | tail -1)" 'print: 2[0-9][0-9] lines dropped' \
		"about 250 dropped lines counted"
	dmesg -n 7
	check_run "$LP" stop "$S"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_print_ratelimit)
run_tests
