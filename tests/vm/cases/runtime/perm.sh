#!/usr/bin/env bash
# Every op needs CAP_NET_ADMIN: a caller without capabilities gets EPERM
# (CLI exit status 4) for each of them, and nothing changes.
. tests/lib/vmtest.sh

S=rt_perm
L=tests/vm/cases/runtime/lua

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
}

unpriv() {
	setpriv --inh-caps=-all --ambient-caps=-all --bounding-set=-all -- "$@"
}

# denied CMD...: exit status 4 and a message naming the missing privilege
denied() {
	local out rc
	out=$(unpriv "$LP" "$@" 2>&1)
	rc=$?
	assert_eq "$rc" 4 "unprivileged $1: exit status"
	assert_match "$out" '[Pp]ermission|CAP_NET_ADMIN|EPERM' "unprivileged $1: message"
}

test_unprivileged() {
	check_run "$LP" run "$L/basic.lua" --name "$S" || return
	denied run "$L/basic.lua" --name "${S}_new"
	denied exec "$S" 'counter = 99; return counter'
	denied reload "$S" --script "$L/v2.lua"
	denied stop "$S"
	denied list
	denied stats
	assert_eq "$("$LP" exec "$S" 'return version, counter')" $'v1\t0' "set untouched"
	check_fail --status 6 "$LP" exec "${S}_new" 'return 1'
	check_run "$LP" stop "$S"
}

command -v setpriv >/dev/null || skip "setpriv not installed"
[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_unprivileged)
run_tests
