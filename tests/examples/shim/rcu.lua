-- Host stand-in for the kernel's "rcu" library with the kernel's checks:
-- keys are strings (numbers converted) of at most 255 bytes, values are
-- objects (here: rcu tables and data objects), integers, booleans or nil; publish/subscribe
-- share objects by name between the "instances" of a test.
local rcu = {published = {}}

local tables = setmetatable({}, {__mode = "k"})

local function checkkey(k)
	if type(k) == "number" then
		k = tostring(k)
	end
	if type(k) ~= "string" then
		error("bad argument #2 (string expected, got " .. type(k) .. ")", 3)
	end
	if #k > 255 then
		error("bad argument #2 (key too long)", 3)
	end
	return k
end

local function checkvalue(v)
	local t = type(v)
	if t == "nil" or t == "boolean" or t == "number" or t == "userdata" or
	   (t == "table" and tables[v]) then
		return v
	end
	error("bad argument #3 (lunatik object, integer, boolean or nil expected)", 3)
end

function rcu.table(size)
	if size ~= nil and (type(size) ~= "number" or size <= 0 or size > 65536) then
		error("bad argument #1 (size out of range)", 2)
	end
	local store = {}
	local t = setmetatable({}, {
		__index = function(_, k) return store[checkkey(k)] end,
		__newindex = function(_, k, v) store[checkkey(k)] = checkvalue(v) end,
		__pairs = function() return next, store, nil end,
		__name = "rcu.table",
	})
	tables[t] = true
	return t
end

function rcu.publish(name, obj)
	name = checkkey(name)
	if obj ~= nil and not tables[obj] then
		error("bad argument #2 (lunatik object or nil expected)", 2)
	end
	rcu.published[name] = obj
end

function rcu.subscribe(name)
	return rcu.published[checkkey(name)]
end

return rcu
