-- hostile tests (libs): a set script calling every function of lunatik,
-- thread, linux and completion with wrong arguments, foreign userdata and
-- objects of other classes, and the __gc/__close of their classes directly
-- and twice. Each call must raise a Lua error or return: never crash, never
-- hang. Leaves the number of calls in `nr_calls`, of errors in `nr_raised`.
-- (__gc/__close given foreign userdata is object.c's, tested with it.)
local lunatik = require("lunatik")
local thread = require("thread")
local linux = require("linux")
local completion = require("completion")
local rcu = require("rcu")
local data = require("data")

local L = "tests/vm/cases/hostile/lua/"
local n, raised = 0, 0

local function try(f, ...)
	n = n + 1
	if not pcall(f, ...) then
		raised = raised + 1
	end
end

-- values of every kind, including userdata that is not ours: gmatch's
-- state (a C closure's upvalue) and objects of each class
local gm = string.gmatch("abc", ".")
local _, foreign = debug.getupvalue(gm, 3)
local rt = lunatik.runtime(L .. "libs_small")
local c = completion.new()
local tbl = rcu.table(4)
local d = data.new(8)
local xfer_gc_reached = false
local cur = thread.current()
local values = {
	nil, true, false, 0, -1, math.mininteger, math.maxinteger, "", "x",
	string.rep("y", 300), {}, print, gm, coroutine.create(print),
	foreign or {}, rt, c, tbl, d, cur,
}
local nvalues = 20

local function each_arg(f)
	for i = 1, nvalues do
		try(f, values[i])
		for j = 1, nvalues, 3 do
			try(f, values[i], values[j])
		end
	end
end

-- library functions (not those that sleep forever or create threads)
for _, name in ipairs({"cpu", "set"}) do
	each_arg(lunatik[name])
end
each_arg(function(a, b)
	-- lunatik.runtime only with names that cannot exist or are refused
	if type(a) == "string" then a = "/nonexistent/" .. a end
	return lunatik.runtime(a, b)
end)
for _, name in ipairs({"shouldstop", "current"}) do
	each_arg(thread[name])
end
each_arg(function(a, b)
	-- thread.run with anything but a runnable runtime and a name
	if a == rt then a = nil end
	return thread.run(a, b)
end)
for name, f in pairs(linux) do
	if type(f) == "function" and name ~= "schedule" then
		each_arg(f)
	end
end
each_arg(function(a, b)
	-- linux.schedule: a bounded timeout whatever is passed
	if math.type(a) ~= "integer" or a > 5 then a = 1 end
	return linux.schedule(a, b)
end)
each_arg(completion.new)

-- methods with a wrong self, and with foreign userdata as self
local methods = {
	{rt, {"resume", "stop"}},
	{c, {"complete", "wait"}},
	{cur, {"stop", "task"}},
}
for _, m in ipairs(methods) do
	local obj, names = m[1], m[2]
	for _, name in ipairs(names) do
		local f = obj[name]
		for i = 1, nvalues do
			if values[i] ~= obj then
				try(f, values[i])
				try(f, values[i], 1)
			end
		end
	end
end
try(c.wait, c, 1)
try(c.wait, c, -1)
try(c.wait, c, "x")
try(rt.resume, rt, print)
try(rt.resume, rt, {})
try(rt.resume, rt, coroutine.create(print))

-- __gc and __close of each class, called with non-userdata values,
-- directly, and twice on the same object; the objects must then be
-- unusable, not dangling
local objs = {rt, c, cur, lunatik.runtime(L .. "libs_small"), completion.new()}
for _, obj in ipairs(objs) do
	local mt = getmetatable(obj)
	if type(mt) == "table" then
		for _, mm in ipairs({"__gc", "__close"}) do
			local f = rawget(mt, mm)
			if f then
				for i = 1, nvalues do
					if type(values[i]) ~= "userdata" then
						try(f, values[i])
					end
				end
			end
		end
	end
end
for _, obj in ipairs(objs) do
	local mt = getmetatable(obj)
	if type(mt) == "table" and rawget(mt, "__close") then
		try(mt.__close, obj)
		try(mt.__close, obj)
		try(mt.__gc, obj)
	end
end
try(rt.resume, rt)
try(rt.stop, rt)
try(c.complete, c)
try(c.wait, c, 0)
try(cur.task, cur)

-- resume's scratch space is a C temporary: reach it and call its __gc
-- with foreign userdata while a resume runs (the resumed runtime is
-- another state, so this runs from a finalizer of ours during the copy)
setmetatable({}, {__gc = function()
	for level = 1, 10 do
		if not debug.getinfo(level, "l") then break end
		for i = 1, 20 do
			local name, v = debug.getlocal(level, i)
			if not name then break end
			if type(v) == "userdata" then
				local mt = getmetatable(v)
				if type(mt) == "table" and mt.__name == "lunatik.xfer" then
					xfer_gc_reached = true
					try(mt.__gc, foreign)
					try(mt.__gc, v)
				end
			end
		end
	end
end})
local rt2 = lunatik.runtime(L .. "libs_small")
for _ = 1, 50 do
	try(rt2.resume, rt2, string.rep("z", 1000))
end
collectgarbage()

nr_calls, nr_raised, xfer_reached = n, raised, xfer_gc_reached
