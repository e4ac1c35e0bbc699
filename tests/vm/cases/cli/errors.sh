#!/usr/bin/env bash
# Each error class prints what happened and exits with its own status
# (lunatik-pipeline --help lists them).
. tests/lib/vmtest.sh

D=tests/vm/cases/cli/lua
S=cli_err

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
	"$LP" stop cli_err_syntax >/dev/null 2>&1
}

# fails RC REGEX ARGS...: the command exits RC and its stderr matches REGEX
fails() {
	local want=$1 re=$2 out rc
	shift 2
	out=$("$LP" "$@" 2>&1 >/dev/null)
	rc=$?
	assert_eq "$rc" "$want" "$* exits $want"
	assert_match "$out" "$re" "$*: message"
}

test_usage() {
	fails 2 'not a size' run "$D/hello.lua" --mem 12X
	fails 2 'context' run "$D/hello.lua" --context hardirq
	fails 2 'name too long' run "$D/hello.lua" --name "$(printf 'n%.0s' {1..200})"
	fails 2 '' frobnicate
}

test_missing_script() {
	fails 5 '^lunatik-pipeline: script not found: nope/missing\.lua' run nope/missing.lua
	fails 5 'script not found: /nonexistent\.lua' run /nonexistent.lua
}

test_lua_errors() {
	fails 1 "^$D/syntax\.lua:3: unexpected symbol near '='$" run "$D/syntax.lua" --name cli_err_syntax
	fails 1 "^$D/runtime_error\.lua:3: attempt to index a nil value" run "$D/runtime_error.lua"
	check_fail --status 6 "$LP" stop cli_err_syntax
}

test_exists_and_unknown() {
	check_run "$LP" run "$D/hello.lua" --name "$S" || return
	fails 7 "runtime set '$S' already exists" run "$D/hello.lua" --name "$S"
	fails 6 "^lunatik-pipeline: no runtime set named 'no_such_set'" stop no_such_set
	fails 6 "no runtime set named 'no_such_set'" exec no_such_set 'return 1'
	fails 6 "no runtime set named 'no_such_set'" reload no_such_set
	fails 6 "no runtime set named 'no_such_set'" repl no_such_set </dev/null
}

test_kernel_rejection_quotes_extack() {
	# 1 byte is below the module's minimum memory cap: rejected by the
	# policy (ERANGE on 6.12), with the kernel's own words after the errno.
	fails 8 "^lunatik-pipeline: create 'cli_err_small': [^:]+: [a-z]" \
		run "$D/hello.lua" --name cli_err_small --mem 1
}

test_failed_reload_keeps_old() {
	assert_eq "$("$LP" exec "$S" 'return greeting')" hello "before"
	fails 1 "$D/syntax\.lua:3:" reload "$S" --script "$D/syntax.lua"
	assert_eq "$("$LP" exec "$S" 'return greeting')" hello "old generation still runs"
	fails 1 '^exec:1: boom$' exec "$S" 'error("boom")'
	fails 1 "^stdin:2: unexpected symbol near '='$" exec "$S" - <<<$'local a = 1\nlocal b = = a'
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_usage test_missing_script test_lua_errors test_exists_and_unknown
	test_kernel_rejection_quotes_extack test_failed_reload_keeps_old)
run_tests
