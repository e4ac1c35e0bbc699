#!/usr/bin/env bash
# Issue 6 item 4: every C loop whose length a script controls is charged to
# the call's instruction budget. Each chunk loops forever over one library
# call that walks a 1 MiB input in C; each must end in "instruction budget
# exceeded" within seconds, in process and in softirq context (before: 357
# utf8.len calls of an 8 MiB string in one softirq exec ran 54 s, a soft
# lockup). Budget 200000; the inputs are made by the set's body.
. tests/lib/vmtest.sh

S=hostile_cloops
L=tests/vm/cases/hostile/lua
LIMIT=${HOSTILE_CLOOP_SECONDS:-20}

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
}

cut() {
	local out start end
	start=$(date +%s)
	out=$(timeout ${HOSTILE_CLOOP_TIMEOUT:-120} taskset -c 0 "$LP" exec "$S" "$1" 2>&1)
	end=$(date +%s)
	assert_match "$out" 'instruction budget exceeded' "$2 ($ctx)"
	assert_eq "$(( end - start <= LIMIT ))" 1 "$2 ends within ${LIMIT}s: $((end - start))s ($ctx)"
}

test_cloops() {
	local ctx
	for ctx in process softirq; do
		check_run "$LP" run "$L/cloops.lua" --name "$S" --context $ctx \
			--budget 200000 --mem 64M || return
		cut 'while true do utf8.len(M1) end' "utf8.len"
		cut 'while true do utf8.codepoint(M1, 1, 90000) end' "utf8.codepoint"
		cut 'while true do utf8.offset(M1, 1 << 20) end' "utf8.offset"
		cut 'while true do for _ in utf8.codes(CONT1) do end end' "utf8.codes over continuation bytes"
		cut 'while true do utf8.len(M1, 1, -1, true) end' "utf8.len lax"
		cut 'while true do string.packsize(I1) end' "string.packsize"
		cut 'while true do string.pack(X1) end' "string.pack"
		cut 'while true do string.unpack(X1, M1) end' "string.unpack"
		cut 'while true do M1:find("b", 1, true) end' "plain string.find, no hit"
		cut 'while true do M1:find("b") end' "string.find without specials"
		cut 'while true do M1:find(NUL1) end' "string.find of a NUL pattern"
		cut 'while true do rawequal(M1, M1B) end' "rawequal of two 1 MiB strings"
		cut 'while true do local _ = M1 == M1B end' "== of two 1 MiB strings"
		cut 'while true do local _ = M1 < M1B end' "< of two 1 MiB strings"
		cut 'while true do string.byte(M1, 1, 90000) end' "string.byte of 90000"
		cut 'while true do string.format(F1) end' "string.format of a 1 MiB format"
		cut 'while true do tonumber(Z1, 16) end' "tonumber with a base"
		cut 'while true do tonumber(Z1) end' "tonumber"
		cut 'while true do M1:upper() end' "string.upper"
		cut 'while true do M1:reverse() end' "string.reverse"
		cut 'while true do local _ = M1 .. "" .. M1 end' "concatenation"
		cut 'package.path = string.rep("/nonexistent/?;", 5000) while true do pcall(require, "x") end' \
			"require over 5000 path templates"
		# a numeral of 1 MiB is not converted at every arithmetic coercion
		assert_match "$(taskset -c 0 "$LP" exec "$S" 'return pcall(function() return Z1 + 1 end)' 2>&1)" \
			'false' "arithmetic on a 1 MiB numeral fails fast ($ctx)"
		assert_eq "$(taskset -c 0 "$LP" exec "$S" 'return ("  12  ") + 1')" 13 \
			"short numerals still convert ($ctx)"
		assert_eq "$(taskset -c 0 "$LP" exec "$S" 'return #M1')" 1048576 "set still works ($ctx)"
		check_run "$LP" stop "$S"
	done
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_cloops)
run_tests
