#!/usr/bin/env bash
# Set names and script resolution of `lunatik-pipeline run` (issue 3): a
# script under the script root (the repository, in the VM) is named by its
# path relative to the root without .lua; a script elsewhere by its file
# name without .lua; SCRIPT may also be a name relative to the root.
. tests/lib/vmtest.sh

D=tests/vm/cases/cli/lua
REL=$D/hello
TMPD=

cleanup_tests() {
	local s
	for s in "$REL" myscript noext custom_name; do
		"$LP" stop "$s" >/dev/null 2>&1
	done
	[ -n "$TMPD" ] && rm -rf "$TMPD"
}

# run_named WANT ARGS...: run prints the set name WANT, which answers exec
run_named() {
	local want=$1 got
	shift
	got=$("$LP" run "$@" 2>&1)
	assert_eq "$got" "$want" "run $* is named $want" || return 1
	assert_eq "$("$LP" exec "$want" 'return greeting')" hello "exec in $want"
	check_run "$LP" stop "$want"
}

test_under_root() {
	run_named "$REL" "$D/hello.lua"
	run_named "$REL" "./$D/hello.lua"
	run_named "$REL" "$(pwd)/$D/hello.lua"
	run_named "$REL" "$D/../lua/hello.lua"
}

test_by_name_relative_to_root() {
	# From another directory the path does not resolve; the root does.
	local repo
	repo=$(pwd)
	cd / || return
	run_named "$REL" "$REL"
	cd "$repo" || exit 1
}

test_elsewhere() {
	TMPD=$(mktemp -d)
	cp "$D/hello.lua" "$TMPD/myscript.lua"
	run_named myscript "$TMPD/myscript.lua"
	cp "$D/hello.lua" "$TMPD/noext"
	run_named noext "$TMPD/noext"
}

test_explicit_name() {
	run_named custom_name "$D/hello.lua" --name custom_name
}

test_symlink_into_root() {
	# A link elsewhere to a script under the root takes the target's key.
	ln -s "$(pwd)/$D/hello.lua" "$TMPD/linked.lua"
	run_named "$REL" "$TMPD/linked.lua"
}

test_json_shows_absolute_script() {
	check_run "$LP" run "$D/hello.lua" || return
	local script
	script=$("$LP" list --json | python3 -c '
import json, sys
for s in json.load(sys.stdin)["sets"]:
    if s["name"] == sys.argv[1]:
        print(s["script"])' "$REL")
	assert_eq "$script" "$(pwd)/$D/hello.lua" "kernel got the realpath"
	check_run "$LP" stop "$REL"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_under_root test_by_name_relative_to_root test_elsewhere test_explicit_name
	test_symlink_into_root test_json_shows_absolute_script)
run_tests
