-- How deep each kind of C-stack nesting may go before "C stack overflow"
-- (kmod/lua/STACK.md), and the minimum every context must allow: the
-- kernel gives a call entered in softirq a smaller budget than one entered
-- on a task stack; the host a larger one.

local function works(f, n)
  local ok = pcall(f, n)
  return ok
end

-- largest n in [1, hi] for which f(n) works (f is monotone)
local function capacity(f, hi)
  local lo = 0
  while lo < hi do
    local mid = (lo + hi + 1) // 2
    if works(f, mid) then lo = mid else hi = mid - 1 end
  end
  return lo
end

local function compiles(src)
  local f, err = load(src)
  if not f then error(err) end
  return f
end

local kinds = {
  { "concat_terms", 12, function(n) compiles("local x = 'a' return x" .. string.rep(" .. x", n - 1)) end },
  { "parentheses", 8, function(n) compiles("return " .. string.rep("(", n) .. "1" .. string.rep(")", n)) end },
  { "constructors", 8, function(n) compiles("return " .. string.rep("{", n) .. string.rep("}", n)) end },
  { "blocks", 6, function(n) compiles(string.rep("do ", n) .. string.rep("end ", n)) end },
  { "functions", 3, function(n) compiles(string.rep("return function() ", n) .. string.rep("end ", n)) end },
  { "pcalls", 4, function(n)
      local function p(k) if k == 0 then return true end return select(2, assert(pcall(p, k - 1))) end
      return p(n) end },
  { "metamethods", 10, function(n)
      local mt = {}
      mt.__index = function(t, k) if k == 0 then return true end return t[k - 1] end
      return setmetatable({}, mt)[n] end },
  { "coroutines", 4, function(n)
      local function c(k) if k == 0 then return true end return coroutine.wrap(c)(k - 1) end
      return c(n) end },
  { "gsub_callbacks", 3, function(n)
      local function g(k) if k > 0 then string.gsub("x", "x", function() g(k - 1) end) end end
      return g(n) end },
}

local report, short = {}, {}
for _, k in ipairs(kinds) do
  local name, min, f = k[1], k[2], k[3]
  local cap = capacity(f, 300)
  report[#report + 1] = name .. "=" .. cap
  if cap < min then short[#short + 1] = name .. " < " .. min end
end
print("stress_capacity: " .. table.concat(report, " "))
assert(#short == 0, "too shallow: " .. table.concat(short, ", "))
