-- Integer-only arithmetic of the kernel Lua: '/' is floor division, every
-- division path rejects zero, mininteger / -1 wraps, and no float exists.

local function raises(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(string.find(tostring(err), pattern), "unexpected error: " .. tostring(err))
end

-- '/' is integer division rounding towards minus infinity, like '//'
assert(7 / 2 == 3)
assert(-7 / 2 == -4)
assert(7 / -2 == -4)
assert(-7 / -2 == 3)
assert(7 // 2 == 3 and -7 // 2 == -4)
assert(7 % 3 == 1 and -7 % 3 == 2 and 7 % -3 == -2)
assert(math.tointeger(7 / 2) == 3)
assert(tostring(7 / 2) == "3", tostring(7 / 2))
assert(tostring(-9 / 3) == "-3")
assert(string.format("%d", 10 / 3) == "3")
local a, b = 100, 7
assert(a / b == 14 and a // b == 14 and a % b == 2)

-- division by zero: variables, constants (not folded), strings, lua_arith
local zero = 0
raises("divide by zero", function() return 1 / zero end)
raises("divide by zero", function() return 1 // zero end)
raises("n%%0", function() return 1 % zero end)
raises("divide by zero", function() return 1 / 0 end)
raises("divide by zero", function() return 1 // 0 end)
raises("n%%0", function() return 1 % 0 end)
raises("divide by zero", function() return "7" / "0" end)
raises("divide by zero", function() return "7" // 0 end)
raises("n%%0", function() return 7 % "0" end)
raises("divide by zero", load("return 5 / 0"))
raises("divide by zero", load("local x <const> = 0; return 5 // x"))

-- metamethod fallbacks: the metamethod result is divided again
local mt = { __div = function(x, y) return 10 / y end,
             __idiv = function(x, y) return 10 // y end,
             __mod = function(x, y) return 10 % y end }
local t = setmetatable({}, mt)
assert(t / 2 == 5 and t // 3 == 3 and t % 4 == 2)
raises("divide by zero", function() return t / 0 end)
raises("divide by zero", function() return t // 0 end)
raises("n%%0", function() return t % 0 end)

-- mininteger / -1 wraps (no trap), as Lua's '//' does
local minint, m1 = math.mininteger, -1
assert(minint // m1 == minint)
assert(minint / m1 == minint)
assert(minint % m1 == 0)
assert(load("return (-9223372036854775807 - 1) // -1")() == minint)
assert(load("return (-9223372036854775807 - 1) / -1")() == minint)
assert(load("return (-9223372036854775807 - 1) % -1")() == 0)
assert(math.maxinteger + 1 == minint)
assert(math.abs(minint) == minint)

-- string coercion: integers only
assert("10" + 1 == 11 and "0x10" * 2 == 32 and "10" / "3" == 3)
raises("attempt to add", function() return "1.5" + 1 end)
raises("attempt to add", function() return "1e2" + 1 end)

-- tonumber never yields a float
assert(tonumber("1.5") == nil)
assert(tonumber("1e3") == nil)
assert(tonumber(".5") == nil)
assert(tonumber("inf") == nil and tonumber("nan") == nil)
assert(tonumber("42") == 42 and tonumber(" -42 ") == -42)
assert(tonumber("0x7fffffffffffffff") == math.maxinteger)
assert(tonumber("z", 36) == 35 and tonumber("777", 8) == 511)
assert(tonumber("9223372036854775808") == nil) -- would be a float
raises("base out of range", tonumber, "10", 99)

-- for loops with a zero step are errors, not divisions by zero
raises("'for' step is zero", function() for i = 1, 10, 0 do end end)
local n = 0
for i = 10, 1, -3 do n = n + 1 end
assert(n == 4)

-- comparisons and bitwise operators
assert(1 < 2 and -1 < 0 and math.ult(1, -1))
assert((5 & 3) == 1 and (5 | 3) == 7 and (5 ~ 3) == 6 and ~0 == -1)
assert(1 << 63 == minint and 1 << 64 == 0 and -1 >> 63 == 1)

-- no float anywhere
for _, v in ipairs({ 7 / 2, 1 // 1, -3 % 5, "10" / 2, #"abc" / 2 }) do
  assert(math.tointeger(v) == v)
  assert(not string.find(tostring(v), "[.eE]"))
end

print("arith: ok")
