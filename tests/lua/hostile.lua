-- Hostile inputs to the C library that must fail or finish as stock Lua
-- does, on the host build (the kernel's budget cuts are VM-tested in
-- tests/vm/cases/hostile/cloops.sh; the host's luai_work is a no-op).

-- a numeral longer than LUAI_MAXSTR2NUM (200) is not converted by
-- arithmetic coercion (it would be scanned at each one); tonumber still is
local long = string.rep("0", 300) .. "7"
assert(not pcall(function() return long + 1 end))
assert(tonumber(long) == 7)
assert(("  12  ") + 1 == 13 and ("0x10") * 2 == 32)
assert(tonumber(string.rep(" ", 150) .. "5" .. string.rep(" ", 40)) == 5)

-- results of the charged paths are unchanged
local s = string.rep("a", 5000)
assert(utf8.len(s) == 5000 and utf8.offset(s, 4000) == 4000)
assert(select("#", utf8.codepoint(s, 1, 2000)) == 2000)
assert(select("#", s:byte(1, 2000)) == 2000)
assert(s:find("b", 1, true) == nil and s:find("aab", 1, true) == nil)
assert(s:find(string.rep("\0", 2000)) == nil)
assert(rawequal(s, string.rep("a", 4999) .. "a"))
assert(not rawequal(s, string.rep("a", 4999) .. "b"))
assert(string.packsize(string.rep("i", 100)) == 400)
assert(#string.pack(string.rep("x", 2000)) == 2000)
assert(string.unpack(string.rep("x", 2000), s) == 2001)
assert(#string.format(string.rep("%%", 1000)) == 1000)
assert(tonumber(string.rep("f", 15), 16) == 0xfffffffffffffff)
local n = 0
for _ in utf8.codes("a" .. string.rep("\x80", 2000), true) do n = n + 1 end
assert(n == 1)
