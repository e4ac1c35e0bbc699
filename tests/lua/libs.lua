-- The standard libraries as the kernel has them.

local function raises(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(string.find(tostring(err), pattern), "unexpected error: " .. tostring(err))
end

local function keys(t)
  local r = {}
  for k in pairs(t) do r[#r + 1] = k end
  table.sort(r)
  return table.concat(r, " ")
end

-- globals
assert(_VERSION == "Lua 5.4-kernel")
assert(io == nil and os == nil)
assert(math.type == nil and math.floor == nil and math.random == nil)
assert(math.pi == nil and math.huge == nil and math.sqrt == nil)
assert(keys(math) == "abs max maxinteger min mininteger tointeger ult", keys(math))
assert(debug.debug == nil and debug.traceback ~= nil and debug.getinfo ~= nil)
assert(package.cpath == nil and package.loadlib ~= nil)
assert(#package.searchers == 2)
-- Lunatik's default script root (ctest unsets LUA_PATH, the kernel runtime
-- replaces it with its own root)
assert(package.path == "/lib/modules/lua/?.lua;/lib/modules/lua/?/init.lua"
       or package.path:find("?.lua", 1, true), package.path)
for _, name in ipairs({ "string", "table", "coroutine", "utf8", "math", "debug", "package" }) do
  assert(package.loaded[name] == _G[name], name)
end

-- collectgarbage("count") is an integer number of bytes
local before = collectgarbage("count")
assert(math.tointeger(before) == before and before > 1000)
local big = {}
for i = 1, 10000 do big[i] = i end
assert(collectgarbage("count") > before + 10000 * 8)
big = nil
collectgarbage()
assert(collectgarbage("step") ~= nil)

-- math
assert(math.abs(-5) == 5 and math.abs(5) == 5)
assert(math.max(3, 9, -1) == 9 and math.min(3, 9, -1) == -1)
assert(math.tointeger("8") == 8 and math.tointeger("x") == nil and math.tointeger({}) == nil)
assert(math.ult(0, -1) and not math.ult(-1, 0))
assert(math.maxinteger == 0x7fffffffffffffff and math.mininteger == -math.maxinteger - 1)
raises("number expected", math.max)

-- string
assert(string.format("%d|%5d|%-5d|%05d|%+d", 1, 2, 3, 4, 5) == "1|    2|3    |00004|+5")
assert(string.format("%i %u %x %X %o %c", 6, 7, 255, 255, 8, 65) == "6 7 ff FF 10 A")
assert(string.format("%#x %.3d %s %10s|%-4s|", 255, 7, "s", "r", "l") == "0xff 007 s          r|l   |")
assert(string.format("%q", "a\nb\0") == '"a\\\nb\\0"')
assert(string.format("%q", math.mininteger) == "0x8000000000000000")
assert(string.format("%q", 42) == "42")
assert(string.format("%%") == "%")
assert(string.format("%d", "12") == 12 .. "")
for _, f in ipairs({ "%f", "%e", "%g", "%a", "%.3f", "%E", "%G", "%A", "%F" }) do
  raises("float formats are not supported", string.format, f, 1)
end
raises("no value", string.format, "%d")
assert(string.rep("ab", 3, ",") == "ab,ab,ab" and string.rep("x", 0) == "")
assert(("hello"):sub(2, 4) == "ell" and ("hello"):sub(-3) == "llo")
assert(("hello"):byte(1, -1) == 104 and string.char(104, 105) == "hi")
assert(select("#", ("abc"):byte(1, -1)) == 3)
assert(("Hello"):upper() == "HELLO" and ("Hello"):lower() == "hello")
assert(("abc"):reverse() == "cba" and ("abc"):len() == 3 and #"abc" == 3)
assert(string.find("hello world", "o w") == 5)
assert(string.find("hello", "l+") == 3)
assert(string.match("key=val", "(%w+)=(%w+)") == "key")
assert(select(2, string.match("key=val", "(%w+)=(%w+)")) == "val")
assert(string.gsub("hello world", "o", "0") == "hell0 w0rld")
assert(select(2, string.gsub("hello world", "o", "0")) == 2)
assert(string.gsub("abc", "%w", "%0%0") == "aabbcc")
assert(string.gsub("$name is $age", "%$(%w+)", { name = "lua", age = 30 }) == "lua is 30")
assert(string.gsub("1 2 3", "%d", function(d) return d * 2 end) == "2 4 6")
local words = {}
for w in string.gmatch("one two three", "%a+") do words[#words + 1] = w end
assert(#words == 3 and words[3] == "three")
assert(string.find("a.b", ".", 1, true) == 2)
assert(string.match("  trim  ", "^%s*(.-)%s*$") == "trim")
assert(string.match("[[x]]", "%b[]") == "[[x]]")
assert(string.find("THE (quick) fox", "%f[%a]%a+", 5) == 6)
assert(tostring(12) == "12" and tostring(-0) == "0")
assert(tostring(nil) == "nil" and tostring(true) == "true")
assert(string.find(tostring({}), "^table: "))

-- string.pack: integer formats round-trip, float formats are rejected
for _, case in ipairs({
  { "b", -128 }, { "B", 255 }, { "h", -32768 }, { "H", 65535 },
  { "i4", -2147483648 }, { "I4", 4294967295 }, { "l", math.mininteger },
  { "j", math.maxinteger }, { "J", -1 }, { "T", 12345 }, { "i3", -8388608 },
  { "I7", 72057594037927935 }, { "i16", -1 }, { ">i2", 0x1234 }, { "<I8", 1 << 40 },
}) do
  local fmt, v = case[1], case[2]
  local s = string.pack(fmt, v)
  assert(#s == string.packsize(fmt), fmt)
  assert(string.unpack(fmt, s) == v, fmt)
end
assert(string.pack(">I2", 0x0102) == "\1\2" and string.pack("<I2", 0x0102) == "\2\1")
assert(string.pack("z", "ab") == "ab\0" and string.unpack("s1", "\3abc") == "abc")
assert(string.unpack(">I2", "\0\5\0\6", 3) == 6)
local p = string.pack(">I1 I2 s1", 1, 2, "xy")
local x1, x2, x3, nextpos = string.unpack(">I1 I2 s1", p)
assert(x1 == 1 and x2 == 2 and x3 == "xy" and nextpos == #p + 1)
for _, f in ipairs({ "f", "d", "n", "<d", "i4 n" }) do
  raises("float formats are not supported", string.pack, f, 1, 1)
  raises("float formats are not supported", string.unpack, f, string.rep("\0", 16))
  raises("float formats are not supported", string.packsize, f)
end
raises("overflow", string.pack, "i1", 128)

-- tables
local t = { 3, 1, 2, x = "y" }
table.sort(t)
assert(table.concat(t, ",") == "1,2,3" and t.x == "y" and #t == 3)
table.sort(t, function(a, b) return a > b end)
assert(table.concat(t, ",") == "3,2,1")
table.insert(t, 0)
table.insert(t, 1, 9)
assert(table.concat(t, ",") == "9,3,2,1,0")
assert(table.remove(t) == 0 and table.remove(t, 1) == 9)
assert(select("#", table.unpack({ 1, 2, 3 })) == 3)
local packed = table.pack(1, nil, 3)
assert(packed.n == 3 and packed[3] == 3)
assert(table.concat(table.move({ 1, 2, 3 }, 1, 3, 2, {}), ",", 2, 4) == "1,2,3")
assert(next({}) == nil and rawlen({ 1, 2 }) == 2 and rawequal(t, t))
local proxy = setmetatable({}, { __index = function(_, k) return k * 2 end,
                                 __len = function() return 42 end })
assert(proxy[21] == 42 and #proxy == 42)

-- closures
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c1, c2 = counter(), counter()
assert(c1() == 1 and c1() == 2 and c2() == 1)

-- coroutines
local co = coroutine.create(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  return d + e
end)
assert(select(2, coroutine.resume(co, 1, 2)) == 3)
assert(select(2, coroutine.resume(co, 10)) == 20)
assert(select(2, coroutine.resume(co, 3, 4)) == 7)
assert(coroutine.status(co) == "dead" and not coroutine.resume(co))
local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
assert(gen() == 1 and gen() == 2 and gen() == 3)
assert(coroutine.isyieldable() == false and coroutine.running() ~= nil)
local bad = coroutine.create(function() error("inside") end)
local ok, err = coroutine.resume(bad)
assert(not ok and string.find(err, "inside"))
assert(coroutine.close(coroutine.create(function() end)))

-- pcall / error / xpcall
local ok1, e1 = pcall(error, { code = 7 })
assert(not ok1 and e1.code == 7)
local ok2, e2 = pcall(error, "msg", 0)
assert(not ok2 and e2 == "msg")
local ok3, e3 = pcall(function() error("lvl") end)
assert(not ok3 and string.find(e3, ":%d+: lvl$"))
local ok4, e4 = xpcall(function() local x = nil; return x.y end,
                       function(m) return "handled: " .. m end)
assert(not ok4 and string.find(e4, "^handled: .*attempt to index a nil value"))
assert(select("#", pcall(function() return 1, 2, 3 end)) == 4)
do
  local closed = false
  do
    local res <close> = setmetatable({}, { __close = function() closed = true end })
  end
  assert(closed)
end

-- utf8
assert(utf8.char(72, 228, 8364, 128512) == "H\xC3\xA4\xE2\x82\xAC\xF0\x9F\x98\x80")
assert(utf8.len("H\xC3\xA4\xE2\x82\xAC") == 3)
assert(utf8.codepoint("\xE2\x82\xAC") == 8364 and utf8.offset("a\xC3\xA4b", 3) == 4)
local cps = {}
for _, cp in utf8.codes("a\xC3\xA4") do cps[#cps + 1] = cp end
assert(cps[1] == 97 and cps[2] == 228)
assert(utf8.len("\xFF") == nil and utf8.charpattern ~= nil)

-- load with an environment, goto, integer for loops, varargs
local env = { x = 5 }
assert(load("return x", "chunk", "t", env)() == 5)
assert(select("#", load("return ...")(1, 2)) == 2)
do
  local i = 1
  ::again::
  i = i + 1
  if i < 5 then goto again end
  assert(i == 5)
end
local sum = 0
for i = 1, 100 do sum = sum + i end
assert(sum == 5050)

print("libs: ok")
