-- Fixes found by the fuzzer (tests/fuzz/regressions), as seen from Lua.

-- '//' and '%' by zero name the line that divides (the error used to be
-- raised with a stale pc: the line before), like '/'
for _, op in ipairs({"/", "//", "%"}) do
  local chunk = "local z = ...\nlocal a = 1\nlocal y = a " .. op .. " z\n"
  local ok, err = pcall(load(chunk, "=div"), 0)
  assert(not ok)
  assert(err:find("^div:3: "), op .. ": " .. err)
end
-- ... and open upvalues are closed right when the error unwinds them
local function g(f) return f end
local kept
local ok = pcall(function()
  local t = {}
  kept = g(function() return t end)
  local z = 0
  return 1 // z
end)
assert(not ok and type(kept()) == "table")

-- string.rep of nothing ends at once, however many times
assert(string.rep("", 1 << 40) == "")
assert(string.rep("", 1 << 40, "") == "")
assert(string.rep("ab", 3, "") == "ababab")
assert(string.rep("", 3, ",") == ",,")

-- the work charged to the budget does not change results
local t = {}
for i = 1, 1000 do t[i] = 1000 - i end
table.sort(t)
for i = 1, 1000 do assert(t[i] == i - 1) end
local m = table.move(t, 1, 1000, 1, {})
assert(#m == 1000 and m[1000] == 999)
assert(table.move({1, 2, 3}, 1, 3, 2)[3] == 2)
assert(string.find(string.rep("a", 3000) .. "b", string.rep("a-", 10) .. "b") == 1)
assert(select(2, string.gsub(string.rep("x", 5000), "x", "y")) == 5000)
print("cwork ok")
