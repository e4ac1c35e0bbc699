-- Kernel stack safety (run on the host and, through the CLI, in the kernel):
-- deep recursion in Lua and through C boundaries must end in a Lua error,
-- never in a kernel stack overflow. Lua-to-Lua calls use no C stack; every
-- C boundary (metamethod, pcall, C library callback, coroutine resume)
-- counts against LUAI_MAXCCALLS.

local function fails(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "no error, expected " .. pattern)
  err = tostring(err)
  assert(string.find(err, pattern) or err == "error in error handling",
         "unexpected error: " .. err)
end

local OVERFLOW = "stack overflow"   -- "stack overflow" or "C stack overflow"

-- plain Lua recursion: the Lua stack (heap) overflows, or the runtime's
-- memory (a cap, or atomic allocations in softirq) runs out first
local function deep(n) return 1 + deep(n + 1) end
fails("stack overflow", deep, 1)
local function deepargs(...) return 1 + deepargs(1, 2, 3, 4, 5, 6, 7, 8, ...) end
local okd, errd = pcall(deepargs)
assert(not okd and (string.find(errd, OVERFLOW) or string.find(errd, "not enough memory")), errd)

-- recursion through C boundaries
local f
f = function() return pcall(f) end          -- pcall inside pcall ...
local ok, inner = f()                        -- innermost pcall reports it
assert(ok == false or inner ~= nil)
fails(OVERFLOW, function() local g; g = function() return select(2, assert(pcall(g))) end; return g() end)

local idx = setmetatable({}, {})
getmetatable(idx).__index = function(t, k) return t[k .. "x"] end
fails(OVERFLOW, function() return idx.a end)

local nidx = setmetatable({}, {})
getmetatable(nidx).__newindex = function(t, k, v) t[k .. "x"] = v end
fails(OVERFLOW, function() nidx.a = 1 end)

local arith = setmetatable({}, {})
getmetatable(arith).__add = function(a, b) return a + b end
fails(OVERFLOW, function() return arith + 1 end)
getmetatable(arith).__div = function(a, b) return a / b end
fails(OVERFLOW, function() return arith / 1 end)
getmetatable(arith).__unm = function(a) return -a end
fails(OVERFLOW, function() return -arith end)
getmetatable(arith).__len = function(a) return #a end
fails(OVERFLOW, function() return #arith end)
getmetatable(arith).__concat = function(a, b) return a .. b end
fails(OVERFLOW, function() return arith .. "x" end)
getmetatable(arith).__lt = function(a, b) return a < b end
fails(OVERFLOW, function() return arith < arith end)
getmetatable(arith).__le = function(a, b) return a <= b end
fails(OVERFLOW, function() return arith <= arith end)
getmetatable(arith).__eq = function(a, b) return a == b end
fails(OVERFLOW, function() return arith == setmetatable({}, getmetatable(arith)) end)
getmetatable(arith).__call = function(self) return (self()) end  -- no tail call
fails(OVERFLOW, function() return arith() end)

local str = setmetatable({}, {})
getmetatable(str).__tostring = function(s) return tostring(s) end
fails(OVERFLOW, tostring, str)
fails(OVERFLOW, string.format, "%s", str)

local function gs(s) return (string.gsub(s, ".", gs)) end
fails(OVERFLOW, gs, "abc")

local function srt() table.sort({ 2, 1, 3 }, function(a, b) srt(); return a < b end) end
fails(OVERFLOW, srt)

local function co() return coroutine.wrap(co)() end
fails(OVERFLOW, co)

-- a load reader that loads: load catches the error and returns it
local function ld()
  return load(function() local fn, e = ld(); error(e, 0) end)
end
local nofn, lderr = ld()
assert(nofn == nil and (string.find(lderr, OVERFLOW)
                        or lderr == "error in error handling"), lderr)

local function dofn() return (load("return ...")(dofn())) end
fails(OVERFLOW, dofn)

-- an error handler that errors ends as "error in error handling"
local handler
handler = function(m) error(m) end
local okx, errx = xpcall(error, handler, "x")
assert(not okx and errx ~= nil)

-- pattern matching recursion is bounded too
-- (each pattern item that can backtrack is one level of 'match')
fails("pattern too complex", string.match, string.rep("a", 1000), string.rep("a?", 1000))

-- many values, long strings, long concatenations at run time
fails("too many results", function() return table.unpack({}, 1, 1 << 30) end)
local parts = {}
for i = 1, 20000 do parts[i] = "ab" end
assert(#table.concat(parts) == 40000)
local s = ""
for i = 1, 2000 do s = s .. "x" end
assert(#s == 2000)
local many = {}
for i = 1, 250 do many[i] = "v" end
-- ('..' is right associative: one parser level per operator)
assert(#load("local t = ... return " .. string.rep("t[1] .. ", 19) .. "t[1]")(many) == 20)

print("stress_recursion: ok")
