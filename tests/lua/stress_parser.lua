-- Kernel stack safety of the compiler: deeply nested input must end in a
-- Lua error ("C stack overflow" / "too many ..."), not a kernel stack
-- overflow. The parser recurses once per nesting level.

local function rejects(src, what)
  local f, err = load(src, "=nested")
  assert(f == nil, what .. ": compiled")
  assert(string.find(err, "overflow") or string.find(err, "too many")
         or string.find(err, "limit"), what .. ": " .. err)
end

local N = 10000
rejects("return " .. string.rep("{", N) .. string.rep("}", N), "table constructors")
rejects("return " .. string.rep("(", N) .. "1" .. string.rep(")", N), "parentheses")
rejects("return " .. string.rep("'x' .. ", N) .. "'x'", "concatenation chain")
rejects("return " .. string.rep("- ", N) .. "1", "unary minus chain")
rejects("return " .. string.rep("not ", N) .. "true", "not chain")
rejects("return " .. string.rep("function() return ", N) .. "1" .. string.rep(" end", N), "functions")
rejects(string.rep("do ", N) .. string.rep("end ", N), "blocks")
rejects(string.rep("if true then ", N) .. string.rep("end ", N), "if statements")
rejects(string.rep("while true do ", N) .. string.rep("end ", N), "loops")
rejects("local t = {} return t" .. string.rep("[t", N) .. string.rep("]", N), "index chain")
rejects("local f = print return f" .. string.rep("(f", N) .. string.rep(")", N), "call arguments")
rejects("return " .. string.rep("1 < 1 and (", N) .. "1" .. string.rep(")", N), "mixed")
rejects("local " .. string.rep("a, ", 300) .. "a = 1", "locals")

-- ... while reasonable nesting compiles and runs
local depth = 10
assert(load("return " .. string.rep("{", depth) .. string.rep("}", depth)))
assert(load("return " .. string.rep("(", depth) .. "1" .. string.rep(")", depth))() == 1)
assert(#load("return " .. string.rep("'x' .. ", depth) .. "'x'")() == depth + 1)
-- long flat expressions are loops in the parser, not recursion
assert(load("return " .. string.rep("1 + ", N) .. "1")() == N + 1)
assert(load("return {" .. string.rep("1, ", N) .. "}")() ~= nil)
local t = load("return {" .. string.rep("{}, ", N) .. "}")()
assert(#t == N)

print("stress_parser: ok")
