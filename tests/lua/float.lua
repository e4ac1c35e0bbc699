-- Float literals and '^' are compile-time errors with clear messages.

local function compile_error(src, expected)
  local f, err = load(src, "=script.lua")
  assert(f == nil, "compiled: " .. src)
  assert(err == expected, "for " .. src .. ": got " .. tostring(err))
end

compile_error("return 1.5", "script.lua:1: float literals are not supported near '1.5'")
compile_error("\n\nlocal x = 1e3", "script.lua:3: float literals are not supported near '1e3'")
compile_error("return 0x1p4", "script.lua:1: float literals are not supported near '0x1p4'")
compile_error("return .5", "script.lua:1: float literals are not supported near '.5'")
compile_error("return 3.", "script.lua:1: float literals are not supported near '3.'")
compile_error("return 2E-3", "script.lua:1: float literals are not supported near '2E-3'")
compile_error("return 0xA.8", "script.lua:1: float literals are not supported near '0xA.8'")
compile_error("return 2 ^ 3", "script.lua:1: exponentiation ('^') is not supported near '^'")
compile_error("local a = 2; return a^a", "script.lua:1: exponentiation ('^') is not supported near '^'")
compile_error("return 12abc", "script.lua:1: malformed number near '12abc'")
compile_error("return 9223372036854775808", "script.lua:1: malformed number near '9223372036854775808'")

-- integer numerals are fine, hexadecimal ones wrap as in Lua
assert(load("return 0x10")() == 16)
assert(load("return 0xffffffffffffffff")() == -1)
assert(load("return 9223372036854775807")() == math.maxinteger)

-- the __pow metamethod cannot be reached from Lua code
assert(load("return 2 ^ 2") == nil)

-- binary chunks are refused: bytecode is not verified
local f, err = load(string.dump(function() return 1 end))
assert(f == nil and string.find(err, "binary chunk"))

print("float: ok")
