#!/usr/bin/env bash
# Bounded kernel-stack use: C-recursive Lua (nested expressions in the
# parser, metamethod chains, pcall chains, string patterns) must end in a Lua
# error, never in a kernel stack overflow, in both contexts. Kept apart from
# errors.sh: a failure here takes the whole VM down.
. tests/lib/vmtest.sh

S=rt_stack
L=tests/vm/cases/runtime/lua

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
	"$LP" stop "${S}_s" >/dev/null 2>&1
}

fails() {
	local s=$1 chunk=$2 re=$3 msg=$4 out rc
	out=$("$LP" exec "$s" "$chunk" 2>&1)
	rc=$?
	assert_eq "$rc" 1 "$msg: exit status"
	assert_match "$out" "$re" "$msg: message"
}

test_stack() {
	local ctx s
	for ctx in process softirq; do
		s=$S
		[ $ctx = softirq ] && s=${S}_s
		check_run "$LP" run "$L/basic.lua" --name "$s" --context $ctx || return
		fails "$s" "return $(printf '(%.0s' $(seq 1 300))1$(printf ')%.0s' $(seq 1 300))" \
			'overflow|too many|nested' "$ctx: deeply nested expression"
		fails "$s" "return $(printf '{%.0s' $(seq 1 300))$(printf '}%.0s' $(seq 1 300))" \
			'overflow|too many|nested' "$ctx: deeply nested table constructor"
		fails "$s" 'local s = setmetatable({}, {__concat = function(a, b) return a .. b end}); return s .. s' \
			'overflow' "$ctx: __concat recursion"
		fails "$s" 'local t = setmetatable({}, {__index = function(t, k) return t[k] end}); return t.x' \
			'overflow' "$ctx: __index recursion"
		fails "$s" 'local function f() return pcall(f) end; local function g() local ok, e = f(); error(e) end; return g()' \
			'overflow|error' "$ctx: pcall chain"
		fails "$s" 'local t = setmetatable({}, {__tostring = function(t) return tostring(t) end}); return tostring(t)' \
			'overflow' "$ctx: __tostring recursion"
		fails "$s" 'return ("x"):rep(100000):find(("(x"):rep(40) .. (")"):rep(40))' \
			'too many captures|too complex|overflow' "$ctx: pattern recursion"
		assert_eq "$("$LP" exec "$s" 'return #(("x"):rep(1000, ".."))')" 2998 "$ctx: long concatenation"
		assert_eq "$("$LP" exec "$s" 'return version')" v1 "$ctx: set still works"
	done
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_stack)
run_tests
