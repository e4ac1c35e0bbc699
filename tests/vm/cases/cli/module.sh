#!/usr/bin/env bash
# `module unload|status|load` and the "not loaded" error of every command.
# Leaves the module loaded with the repository as script root, as the
# harness had it.
. tests/lib/vmtest.sh

ROOT=$(pwd)

cleanup_tests() {
	[ -d /sys/module/lunatik ] || modprobe lunatik script_root="$ROOT"
}

test_unload() {
	check_run "$LP" module unload || return
	assert_eq "$([ -d /sys/module/lunatik ] && echo yes || echo no)" no "module gone"
}

test_not_loaded() {
	local out rc
	out=$("$LP" module status)
	rc=$?
	assert_eq "$rc" 3 "status exits 3 when not loaded"
	assert_eq "$out" "loaded: no" "status says so"
	out=$("$LP" list 2>&1)
	rc=$?
	assert_eq "$rc" 3 "list exits 3"
	assert_eq "$out" \
		"lunatik-pipeline: kernel module lunatik is not loaded (run: lunatik-pipeline module load)" \
		"the message says what to do"
	out=$("$LP" module unload 2>&1)
	assert_eq "$?" 3 "unload when not loaded exits 3"
}

test_load() {
	check_run "$LP" module load --script-root "$ROOT" || return
	assert_eq "$(cat /sys/module/lunatik/parameters/script_root)" "$ROOT" "script_root set"
	check_run "$LP" module load --script-root "$ROOT"
	local out
	out=$("$LP" module load --script-root /elsewhere 2>&1)
	assert_eq "$?" 7 "load with another root while loaded exits 7"
	assert_match "$out" "already loaded with script_root=$ROOT" "and says which root"
	check_run "$LP" list
}

command -v modprobe >/dev/null || skip "modprobe not installed"
[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_unload test_not_loaded test_load)
run_tests
