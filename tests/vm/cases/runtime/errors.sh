#!/usr/bin/env bash
# Bad scripts and bad chunks: syntax error, runtime error, memory bomb,
# endless loop, deep recursion. Each gives a clear error; the set (or, on
# reload, the old generation) keeps working; the kernel log stays clean
# (checked by tests/vm/run).
. tests/lib/vmtest.sh

S=rt_err
L=tests/vm/cases/runtime/lua

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
	"$LP" stop "${S}_s" >/dev/null 2>&1
	"$LP" stop "${S}_x" >/dev/null 2>&1
}

# fails CMD... REGEX MSG: CMD exits 1 (Lua error) with output matching REGEX
fails() {
	local msg=${*: -1} re=${*: -2:1} out rc
	out=$("${@:1:$#-2}" 2>&1)
	rc=$?
	assert_eq "$rc" 1 "$msg: exit status"
	assert_match "$out" "$re" "$msg: message"
}

# limit CMD... REGEX MSG: a script body over its memory cap or budget
# exits 10, with the kernel's Lua message
limit() {
	local msg=${*: -1} re=${*: -2:1} out rc
	out=$("${@:1:$#-2}" 2>&1)
	rc=$?
	assert_eq "$rc" 10 "$msg: exit status"
	assert_match "$out" "$re" "$msg: message"
}

absent() {
	local out
	out=$("$LP" list --json | python3 -c 'import json,sys; print(any(x["name"]==sys.argv[1] for x in json.load(sys.stdin)["sets"]))' "$1")
	assert_eq "$out" False "$2"
}

# field NAME KEY: a set's field from list --json (totals.* for counters)
field() {
	"$LP" list --json | python3 -c '
import json, sys
s = [x for x in json.load(sys.stdin)["sets"] if x["name"] == sys.argv[1]][0]
v = s
for k in sys.argv[2].split("."):
    v = v[k]
print(v)' "$1" "$2"
}

test_load_errors() {
	fails "$LP" run "$L/syntax_error.lua" --name "${S}_x" \
		'syntax_error\.lua:2: .*near' "syntax error at create"
	absent "${S}_x" "no set after a syntax error"
	fails "$LP" run "$L/runtime_error.lua" --name "${S}_x" --context softirq \
		'runtime_error\.lua:3: attempt to index' "runtime error at create"
	absent "${S}_x" "no set after a runtime error"
	limit "$LP" run "$L/endless.lua" --name "${S}_x" \
		'endless\.lua:[0-9]+: instruction budget exceeded' "endless loop at create"
	absent "${S}_x" "no set after an endless body"
	limit "$LP" run "$L/membomb.lua" --name "${S}_x" --mem 1M \
		'not enough memory' "memory bomb at create"
	absent "${S}_x" "no set after a memory bomb"
}

# every failing chunk leaves the set usable
test_call_errors() {
	local ctx
	for ctx in process softirq; do
		local s=$S
		[ $ctx = softirq ] && s=${S}_s
		check_run "$LP" run "$L/basic.lua" --name "$s" --context $ctx --mem 4M || return
		fails "$LP" exec "$s" 'return (' '^exec:1: .*expected' "$ctx: syntax error"
		fails "$LP" exec "$s" 'local t; return t.x' '^exec:1: attempt to index' "$ctx: runtime error"
		fails "$LP" exec "$s" 'local t = {} for i = 1, 1 << 40 do t[i] = ("x"):rep(4096) .. i end' \
			'not enough memory' "$ctx: memory bomb hits the cap"
		fails "$LP" exec "$s" 'while true do end' \
			'^exec:1: instruction budget exceeded' "$ctx: endless loop"
		fails "$LP" exec "$s" 'while true do pcall(function() while true do end end) end' \
			'instruction budget exceeded' "$ctx: pcall cannot swallow the budget"
		fails "$LP" exec "$s" 'local function f(n) return 1 + f(n + 1) end return f(1)' \
			'stack overflow|not enough memory' "$ctx: deep Lua recursion"
		fails "$LP" exec "$s" 'local co; co = coroutine.wrap(function() while true do end end); co()' \
			'instruction budget exceeded' "$ctx: endless loop in a coroutine"
		assert_eq "$("$LP" exec "$s" 'return bump(2), version')" $'2\tv1' "$ctx: set still works"
		assert_eq "$(field "$s" totals.budget_hits)" 3 "$ctx: budget hits counted"
		assert_match "$(field "$s" totals.errors)" '^7$' "$ctx: errors counted"
	done
}

# a failed reload leaves the old generation running untouched
test_reload_errors() {
	local gen
	gen=$(field "$S" generation)
	fails "$LP" reload "$S" --script "$L/syntax_error.lua" 'syntax_error\.lua:2:' "reload with a syntax error"
	limit "$LP" reload "$S" --script "$L/endless.lua" 'instruction budget exceeded' "reload with an endless body"
	fails "$LP" reload "${S}_s" --script "$L/runtime_error.lua" 'runtime_error\.lua:3:' "softirq reload with a runtime error"
	assert_eq "$(field "$S" generation)" "$gen" "generation unchanged"
	assert_eq "$("$LP" exec "$S" 'return version, counter')" $'v1\t2' "old generation still serves, state kept"
	assert_eq "$("$LP" exec "${S}_s" 'return version')" v1 "old softirq generation still serves"

	check_run "$LP" reload "$S" --script "$L/v2.lua"
	assert_eq "$(field "$S" generation)" "$((gen + 1))" "generation bumped"
	assert_eq "$("$LP" exec "$S" 'return version, bump()')" $'v2\t101' "new generation serves"
	assert_match "$(field "$S" script)" 'v2\.lua$' "set reports the new script"
	check_run "$LP" reload "$S"
	assert_eq "$("$LP" exec "$S" 'return version, counter')" $'v2\t100' "reload without --script reloads the same file"
	check_run "$LP" stop "$S"
	check_run "$LP" stop "${S}_s"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_load_errors test_call_errors test_reload_errors)
run_tests
