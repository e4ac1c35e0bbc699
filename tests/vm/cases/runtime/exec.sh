#!/usr/bin/env bash
# EXEC: results of the Lua language and libraries, as the kernel returns them
# (tostring()ed, tab separated), in a process set and a softirq set.
. tests/lib/vmtest.sh

S=rt_exec
L=tests/vm/cases/runtime/lua

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
	"$LP" stop "${S}_s" >/dev/null 2>&1
}

# ex CHUNK WANT: exec in set $S must print exactly WANT
ex() {
	local got
	got=$("$LP" exec "$S" "$1" 2>&1)
	assert_eq "$got" "$2" "exec $1"
}

test_language() {
	check_run "$LP" run "$L/basic.lua" --name "$S" || return
	ex 'return 1 + 1' 2
	ex 'return 7 / 2, 7 // 2, -7 // 2, 7 % 3, -7 % 3' $'3\t3\t-4\t1\t2'
	ex 'return math.maxinteger + 1 == math.mininteger' true
	ex 'return 1 << 62, 0xff & 0x0f, 5 ~ 3' $'4611686018427387904\t15\t6'
	ex 'return nil, false, "s"' $'nil\tfalse\ts'
	ex 'return' ''
	ex 'return ("abc"):upper(), #"hello", ("x"):rep(3, ",")' $'ABC\t5\tx,x,x'
	ex 'return string.format("%d|%5s|%x", 42, "ab", 255)' '42|   ab|ff'
	ex 'return ("hello world"):gsub("o", "0")' $'hell0 w0rld\t2'
	ex 'return ("key=val"):match("(%w+)=(%w+)")' $'key\tval'
	ex 'local t = {3, 1, 2}; table.sort(t); return table.concat(t, ",")' '1,2,3'
	ex 'local t = {a = 1}; t.b = 2; local n = 0; for _ in pairs(t) do n = n + 1 end; return n, #{1, 2, 3}' $'2\t3'
	ex 'local function mk() local c = 0; return function() c = c + 1; return c end end; local f = mk(); f(); return f()' 2
	ex 'local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1); return b * 2 end); return co(1), co(10)' $'2\t20'
	ex 'return pcall(error, "boom")' $'false\tboom'
	ex 'return select(2, pcall(error, {code = 7})).code' 7
	ex 'local ok, e = pcall(function() local x = nil; return x.y end); return ok, e:match("attempt to index") ~= nil' $'false\ttrue'
	ex 'return string.unpack("<i4", string.pack("<i4", -2))' $'-2\t5'
	ex 'return #string.pack(">I2 i8 B", 1, 2, 3), string.unpack(">I2", "\1\2")' $'11\t258\t3'
	ex 'return #utf8.char(72, 228), utf8.len("\u{e4}")' $'3\t1'
	ex 'return tostring(7 / 2), 7 / 2 == 3, math.tointeger(7 / 2)' $'3\ttrue\t3'
	ex 'return _VERSION' 'Lua 5.4-kernel'
	ex 'return tostring(collectgarbage("count")):match("^%d+$") ~= nil' true
	ex 'return bump(), bump(5), version' $'1\t6\tv1'
	ex 'return lunatik.cpu(), lunatik.set()' $'nil\t'"$S"
	ex 'return require("lunatik") == lunatik' true
	ex 'return type(require("data")), type(require("linux"))' $'table\ttable'
	ex 'return setmetatable({}, {__tostring = function() return "obj" end})' obj
}

test_errors_in_exec() {
	local out rc
	out=$("$LP" exec "$S" 'return 1 +' 2>&1)
	rc=$?
	assert_eq "$rc" 1 "syntax error exits 1"
	assert_match "$out" "^exec:1: " "syntax error names chunk and line"
	out=$("$LP" exec "$S" 'local a = 1
error("bad thing")' 2>&1)
	assert_match "$out" "^exec:2: bad thing" "runtime error message"
	out=$("$LP" exec "$S" 'return 1 // 0' 2>&1)
	assert_match "$out" "exec:1: attempt to (perform 'n|divide by zero)" "integer division by zero is a Lua error"
	ex 'return bump()' 7
}

test_require() {
	check_run "$LP" run "$L/requires.lua" --name "${S}_s" --context softirq || return
	assert_eq "$("$LP" exec "${S}_s" 'return answer, set_name')" $'42\t'"${S}_s" \
		"require of a dotted module and of lunatik in every instance"
	check_run "$LP" stop "${S}_s"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_language test_errors_in_exec test_require)
run_tests
