-- Hostile calls into every C entry point a script can reach: wrong argument
-- types and counts, foreign userdata (a string.gmatch state, light userdata
-- found in C frames), internal helpers reached through debug.getinfo. Each
-- probe returns "ok" or a description of what got through; the kernel log
-- must stay clean (the VM harness fails the run on any splat).
local data = require("data")
local rcu = require("rcu")

-- values no C function expects: the junk every probe feeds in
local function foreign()
	local _, st = debug.getupvalue(string.gmatch("abc", "b"), 3)
	local v = {nil, true, 0, -1, math.maxinteger, math.mininteger, "", "x",
		{}, print, coroutine.create(print), st}
	v[1] = false
	return v
end

-- every C function of a table (and of its nested tables, one level)
local function cfuncs(lib, out, seen)
	out, seen = out or {}, seen or {}
	for k, f in pairs(lib) do
		if type(f) == "function" and debug.getinfo(f, "S").what == "C" and
		   not seen[f] then
			seen[f] = true
			out[#out + 1] = {tostring(k), f}
		end
	end
	return out, seen
end

-- functions that end the call, block or change the global state for good
local skip = {collectgarbage = true, error = true, ["debug.debug"] = true}

local function hammer(name, f, junk)
	local n = 0
	pcall(f)
	for _, a in ipairs(junk) do
		pcall(f, a)
		pcall(f, a, a)
		for _, b in ipairs(junk) do
			pcall(f, a, b, a)
		end
		n = n + 1
	end
	return n
end

-- 1: the class metatable, its __gc and __close are out of reach
function t_metatable()
	local d = data.new(4)
	local mt = getmetatable(d)
	if type(mt) == "table" then return "getmetatable(data) is a table" end
	if d.__gc ~= nil or d.__close ~= nil or d.__index ~= nil then
		return "metamethods reachable through __index"
	end
	for i = 1, 8 do
		local name, v = debug.getupvalue(d.getbyte, i)
		if name == nil then break end
		if type(v) == "table" then return "method upvalue " .. i .. " is a table" end
	end
	local t = rcu.table(4)
	if type(getmetatable(t)) == "table" then return "getmetatable(rcu) is a table" end
	if debug.getmetatable and type(debug.getmetatable(d)) == "table" then
		return "debug.getmetatable gives the class metatable"
	end
	return "ok"
end

-- the buffer box of a running string.gsub (a C temporary), its metatable
-- and its __close: closing it freed the buffer gsub was still filling
function t_box()
	local got = "ok"
	local r = string.gsub(string.rep("x", 600), ".", function(c)
		for i = 1, 12 do
			local name, v = debug.getlocal(2, i)
			if name and type(v) == "userdata" then
				local mt = getmetatable(v)
				if type(mt) == "table" and mt.__close then
					got = "buffer box reachable"
					pcall(mt.__close, v)
					pcall(mt.__gc, (debug.getupvalue(string.gmatch("a", "a"), 3)))
				end
			end
		end
		return c .. c
	end)
	if #r ~= 1200 then return "gsub result damaged" end
	return got
end

-- 1: old trigger: gc of the class on gmatch's state and on a light userdata
function t_gc_foreign()
	local d = data.new(1)
	local mt = getmetatable(d)
	local gc = type(mt) == "table" and mt.__gc
	if not gc then return "ok" end
	local _, st = debug.getupvalue(string.gmatch("abc", "b"), 3)
	gc(st)
	for k in pairs(mt) do gc(k) end
	return "gc accepted foreign values"
end

-- 2: the runtime trampoline and other protected helpers, from the chunk
function t_trampoline()
	for lvl = 1, 6 do
		local info = debug.getinfo(lvl, "fS")
		if info and info.what == "C" then
			local ok = pcall(info.func)
			if ok then return "level " .. lvl .. " C function accepted no argument" end
			for i = 1, 4 do
				local _, v = debug.getlocal(lvl, i)
				if type(v) == "userdata" then
					if pcall(info.func, v) then
						return "level " .. lvl .. " accepted its own light userdata"
					end
				end
			end
		end
	end
	return "ok"
end

-- 2: every C frame found from a finalizer running inside C (allocations in
-- rcu reads, publish, data.new) is called with junk and its own locals
local caught = {}
local function fin()
	for lvl = 1, 10 do
		local info = debug.getinfo(lvl, "fS")
		if not info then break end
		if info.what == "C" then
			caught[info.func] = true
			pcall(info.func)
			pcall(info.func, {})
			for i = 1, 4 do
				local _, v = debug.getlocal(lvl, i)
				if v ~= nil then
					pcall(info.func, v)
					pcall(info.func, v, "k", data.new(1))
				end
			end
		end
	end
	setmetatable({}, {__gc = fin})
end

function t_frames(rounds)
	collectgarbage("incremental", 1, 1000)	-- a collection step at every allocation
	setmetatable({}, {__gc = fin})
	local t = rcu.table(8)
	local d = data.new(8)
	for i = 1, rounds do
		t["k" .. (i % 8)] = d
		local _ = t["k" .. (i % 8)]
		rcu.publish("hostile" .. (i % 4), t)
		local _ = rcu.subscribe("hostile" .. (i % 4))
		for _ in pairs(t) do end
		d = data.new(i % 64)
	end
	for i = 0, 3 do rcu.publish("hostile" .. i, nil) end
	collectgarbage("incremental", 200, 100)
	local n = 0
	for _ in pairs(caught) do n = n + 1 end
	return n > 0 and "ok" or "no finalizer ran inside C"
end

-- every C function of the libraries, with junk
function t_libs()
	local junk = foreign()
	local d, t = data.new(16), rcu.table(4)
	junk[#junk + 1] = d
	junk[#junk + 1] = t
	local fs, seen = cfuncs(data)
	cfuncs(rcu, fs, seen)
	fs[#fs + 1] = {"rcu next", (pairs(t))}	-- __pairs' iterator
	for _, m in ipairs({"getbyte", "setbyte", "getstring", "setstring",
			    "getnumber", "setnumber", "getint8", "setint8", "getuint8",
			    "setuint8", "getint16", "setint16", "getuint16", "setuint16",
			    "getint32", "setint32", "getuint32", "setuint32", "getint64",
			    "setint64"}) do
		fs[#fs + 1] = {m, d[m]}
	end
	local n = 0
	for _, e in ipairs(fs) do
		n = n + hammer(e[1], e[2], junk)
	end
	-- the objects themselves still work
	d:setbyte(0, 7)
	t.x = 5
	if d:getbyte(0) ~= 7 or t.x ~= 5 or #d ~= 16 then return "objects damaged" end
	return "ok"
end

-- the Lua standard libraries, with junk (skipping what ends the call)
function t_stdlib()
	local junk = foreign()
	junk[#junk + 1] = data.new(4)
	local fs, seen = {}, {}
	for _, libname in ipairs({"string", "table", "utf8", "math", "coroutine", "debug"}) do
		for k, f in pairs(_G[libname]) do
			if type(f) == "function" and not seen[f] and not skip[libname .. "." .. k] then
				seen[f] = true
				fs[#fs + 1] = {libname .. "." .. k, f}
			end
		end
	end
	for _, k in ipairs({"assert", "ipairs", "next", "pairs", "pcall", "rawequal",
			    "rawget", "rawlen", "rawset", "select", "setmetatable",
			    "getmetatable", "tonumber", "tostring", "type", "xpcall"}) do
		fs[#fs + 1] = {k, _G[k]}
	end
	for _, e in ipairs(fs) do hammer(e[1], e[2], junk) end
	return "ok"
end
