#!/usr/bin/env bash
# Hostile scripts against file access. A set created by an unprivileged
# process (uid 65534 with only CAP_NET_ADMIN) opens every file with that
# process's credentials, whoever runs the code (an EXEC by root, a kernel
# thread, a queue worker); FIFOs, devices and directories are refused
# without blocking; lunatik.runtime stays under the script root.
. tests/lib/vmtest.sh

S=hostile_files
L=tests/vm/cases/hostile/lua
SECRET=/tmp/lp_secret.lua
FIFO=/tmp/lp_fifo.lua

cleanup_tests() {
	timeout 20 "$LP" stop "$S" >/dev/null 2>&1
	rm -f "$SECRET" "$FIFO" /tmp/lp_libs_outside.lua
	rmdir /tmp/lp_dir.lua 2>/dev/null
}

# uid/gid 65534 with CAP_NET_ADMIN only (inheritable + ambient, so it
# survives the exec of the CLI)
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all,+net_admin --ambient-caps=-all,+net_admin \
		--bounding-set=-all,+net_admin -- "$@"
}

make_secret() {
	printf 'return "secret"\n' >"$SECRET"
	chmod 600 "$SECRET"
	chown root:root "$SECRET"
}

# EXEC result of CHUNK in set $S (run by root)
ex() {
	timeout -s KILL 20 "$LP" exec "$S" "$1" 2>&1
}

test_creator_credentials() {
	make_secret
	check_run as_nobody "$LP" run "$L/libs_base.lua" --name "$S" || return
	assert_eq "$(as_nobody "$LP" list | grep -c "$S")" 1 "the unprivileged creator sees its set"
	# root runs the chunk, but the set's files open as uid 65534
	assert_match "$(ex 'return pcall(dofile, "'"$SECRET"'")')" \
		'^false.*permission denied' "dofile from an EXEC by root: denied"
	assert_match "$(ex 'return loadfile("'"$SECRET"'")')" \
		'^nil.*permission denied' "loadfile: denied"
	# require's searcher skips files it cannot open: "no file"
	assert_match "$(ex 'package.path = "/tmp/?.lua" return pcall(require, "lp_secret")')" \
		"^false.*no file '/tmp/lp_secret.lua'" "require: denied"
	# a kernel thread reads it: still as the creator
	assert_eq "$(ex '
		local t = rcu.table(16)
		rcu.publish("libs.reader", t)
		th = thread.run(lunatik.runtime("'"$L"'/libs_reader"), "lp_reader")
		for _ = 1, 200 do
			if t.done then break end
			linux.schedule(10)
		end
		return t.done, t.ok, t.denied')" $'true\tfalse\ttrue' "dofile in a thread body: denied"
	# a finalizer run by the close work (a queue worker) when the set stops
	check_run timeout 20 "$LP" exec "$S" '
		local t = rcu.table(16)
		rcu.publish("libs.gc", t)
		setmetatable({}, {__gc = function()
			local ok, err = pcall(dofile, "'"$SECRET"'")
			t.ok = ok
			t.denied = tostring(err):find("permission denied") ~= nil
		end})
		return 1'
	# RELOAD by root of the creator's set still reads as the creator
	check_fail timeout 20 "$LP" reload "$S" --script "$SECRET"
	assert_eq "$(ex 'return 1')" 1 "set unchanged after the refused reload"
	check_run timeout 20 "$LP" run "$L/libs_base.lua" --name "${S}_root"
	check_run timeout 20 "$LP" exec "${S}_root" '
		gc = rcu.subscribe("libs.gc") return 1'
	check_run timeout 20 "$LP" stop "$S"
	sleep 1
	assert_eq "$(timeout 20 "$LP" exec "${S}_root" 'return gc.ok, gc.denied')" \
		$'false\ttrue' "dofile in a finalizer at set stop: denied"
	check_run timeout 20 "$LP" stop "${S}_root"
	# the same file, for a set root created: readable
	check_run "$LP" run "$L/libs_base.lua" --name "$S"
	assert_eq "$(ex 'return dofile("'"$SECRET"'")')" secret "root's set reads it"
	check_run timeout 20 "$LP" stop "$S"
}

# CREATE with a FIFO, a directory or a device as the script: refused at once
test_create_special_files() {
	local t0 t1 out
	rm -f "$FIFO"
	mkfifo "$FIFO"
	# the CLI refuses it before sending: ask the kernel directly
	t0=$(date +%s)
	out=$(timeout -s KILL 20 python3 tests/vm/cases/hostile/raw_create.py "$S" "$FIFO" 2>&1)
	t1=$(date +%s)
	assert_match "$out" 'not a regular file' "FIFO script refused by the kernel"
	assert_match "$((t1 - t0))" '^([0-9]|1[0-4])$' "without waiting for a writer ($((t1 - t0)) s)"
	assert_match "$(timeout -s KILL 20 python3 tests/vm/cases/hostile/raw_create.py "$S" /dev/zero 2>&1)" \
		'not a regular file' "device script refused by the kernel"
	assert_match "$(timeout -s KILL 20 python3 tests/vm/cases/hostile/raw_create.py "$S" /tmp 2>&1)" \
		'cannot read /tmp' "directory script refused by the kernel"
	out=$(timeout 20 "$LP" run "$FIFO" --name "$S" 2>&1)
	assert_match "$out" 'not a regular file' "and by the CLI"
	mkdir -p /tmp/lp_dir.lua
	check_fail timeout 20 "$LP" run /tmp/lp_dir.lua --name "$S"
	check_fail timeout 20 "$LP" run /dev/zero --name "$S"
	check_fail timeout 20 "$LP" exec "$S" 'return 1'
}

# dofile/loadfile/require of a FIFO, a device, a directory: an error, at once
test_load_special_files() {
	local t0 t1
	rm -f "$FIFO"
	mkfifo "$FIFO"
	mkdir -p /tmp/lp_dir.lua
	check_run "$LP" run "$L/libs_base.lua" --name "$S" || return
	t0=$(date +%s)
	assert_match "$(ex 'return pcall(dofile, "'"$FIFO"'")')" '^false.*invalid argument' "dofile(FIFO)"
	assert_match "$(ex 'return loadfile("'"$FIFO"'")')" '^nil.*invalid argument' "loadfile(FIFO)"
	assert_match "$(ex 'package.path = "/tmp/?.lua" return pcall(require, "lp_fifo")')" \
		"^false.*no file '/tmp/lp_fifo.lua'" "require(FIFO)"
	assert_match "$(ex 'return loadfile("/dev/zero")')" '^nil.*invalid argument' "loadfile(/dev/zero)"
	assert_match "$(ex 'return loadfile("/dev/kmsg")')" '^nil.*invalid argument' "loadfile(/dev/kmsg)"
	assert_match "$(ex 'return loadfile("/tmp/lp_dir.lua")')" '^nil.*is a directory' "loadfile(directory)"
	assert_match "$(ex 'return pcall(lunatik.runtime, "../../../../../../tmp/lp_fifo")')" \
		'^false' "lunatik.runtime(FIFO)"
	t1=$(date +%s)
	assert_match "$((t1 - t0))" '^([0-9]|[1-3][0-9])$' "nothing blocked ($((t1 - t0)) s)"
	check_run timeout 20 "$LP" stop "$S"
}

# lunatik.runtime names stay under the script root
test_runtime_confined() {
	printf 'return function() return "outside" end\n' >/tmp/lp_libs_outside.lua
	chmod 644 /tmp/lp_libs_outside.lua
	check_run "$LP" run "$L/libs_base.lua" --name "$S" || return
	assert_match "$(ex 'return pcall(lunatik.runtime, "../../../../../../../../tmp/lp_libs_outside")')" \
		"^false.*'\.\.'" "'..' refused"
	assert_match "$(ex 'return pcall(lunatik.runtime, "'"$L"'/../lua/libs_small")')" \
		"^false.*'\.\.'" "'..' in the middle refused"
	assert_match "$(ex 'return pcall(lunatik.runtime, "/tmp/lp_libs_outside")')" \
		'^false.*relative' "absolute name refused"
	assert_match "$(ex 'return pcall(lunatik.runtime, "'"$L"'/libs_link")')" \
		'^false.*outside the script root' "symlink out of the root refused"
	assert_match "$(ex 'return pcall(lunatik.runtime, "a\0b")')" \
		'^false.*invalid script name' "NUL in the name refused"
	assert_match "$(ex 'return pcall(lunatik.runtime, "")')" \
		'^false.*invalid script name' "empty name refused"
	assert_eq "$(ex 'return lunatik.runtime("'"$L"'/libs_small"):resume(1)')" \
		$'small\t1' "a name under the root works"
	assert_eq "$(ex 'return lunatik.runtime("'"$L"'/..libs_dots"):resume()' | grep -c "'\.\.'")" 0 \
		"'..' inside a file name is no component"
	check_run timeout 20 "$LP" stop "$S"
}

command -v setpriv >/dev/null || skip "setpriv not installed"
command -v mkfifo >/dev/null || skip "mkfifo not installed"
[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_creator_credentials test_create_special_files test_load_special_files test_runtime_confined)
run_tests
