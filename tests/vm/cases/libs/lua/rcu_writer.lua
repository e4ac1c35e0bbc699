-- rcu library: the writing side. Publishes "libs.shared" for rcu_reader.lua
-- (another set) and holds the single-runtime checks in test().
local rcu = require("rcu")
local data = require("data")
local completion = require("completion")
local check = require("tests.vm.cases.libs.lua.check")
local eq, truthy, raises = check.eq, check.truthy, check.raises

local shared = rcu.table(16)
rcu.publish("libs.shared", shared)
shared.count = 0
shared.flag = true
local buf = data.new(8)
buf:setuint32(0, 0xcafe)
shared.buf = buf

function bump()
	shared.count = shared.count + 1
	return shared.count
end

function get(key)
	return tostring(shared[key])
end

function unpublish()
	rcu.publish("libs.shared", nil)
	return tostring(rcu.subscribe("libs.shared"))
end

local function basics()
	local t = rcu.table()
	eq(t.missing, nil, "absent key")
	t.x = 5
	eq(t.x, 5, "integer value")
	t.x = -7
	eq(t.x, -7, "replaced value")
	t.x = nil
	eq(t.x, nil, "deleted value")
	t.x = nil
	eq(t.x, nil, "deleting an absent key")
	t.b = false
	eq(t.b, false, "false value")
	t.b = true
	eq(t.b, true, "true value")
	t[1] = 2
	eq(t["1"], 2, "number keys are strings")
	t[""] = 3
	eq(t[""], 3, "empty key")
	local long = string.rep("k", 255)
	t[long] = 4
	eq(t[long], 4, "255-byte key")

	local d = data.new(4)
	d:setuint16(0, 0xbeef)
	t.d = d
	local d2 = t.d
	eq(d2:getuint16(0), 0xbeef, "object value")
	d2:setuint16(2, 0x1234)
	eq(d:getuint16(2), 0x1234, "an object value is the same object")
	local c = completion.new()
	t.c = c
	c:complete()
	eq(t.c:wait(0), true, "completion through the table")
	t.d = data.new(1)
	eq(#t.d, 1, "replaced object value")

	raises(function() t.s = "string" end, "lunatik object, integer, boolean or nil", "string value")
	raises(function() t.s = {} end, "lunatik object, integer, boolean or nil", "table value")
	raises(function() t.s = print end, "lunatik object, integer, boolean or nil", "function value")
	raises(function() t[string.rep("k", 256)] = 1 end, "key too long", "256-byte key")
	raises(function() t[{}] = 1 end, "string expected", "table key")
	raises(function() t.self = t end, "cannot store a table in itself", "self reference")
	raises(function() return (rcu.table(0)) end, "size out of range", "size 0")
	raises(function() return (rcu.table(65537)) end, "size out of range", "size too big")
	truthy(rcu.table(3), "size rounded up")
end

local function iteration()
	local t = rcu.table(8)	-- few buckets: long chains
	local want = 0
	for i = 1, 100 do
		t["k" .. i] = i
		want = want + i
	end
	t.k50 = nil
	want = want - 50
	local n, sum = 0, 0
	for k, v in pairs(t) do
		eq(k, "k" .. v, "pairs key/value")
		n = n + 1
		sum = sum + v
	end
	eq(n, 99, "pairs visits every entry")
	eq(sum, want, "pairs values")
	n, sum = 0, 0
	rcu.map(t, function(k, v)
		eq(type(k), "string", "map key")
		n = n + 1
		sum = sum + v
	end)
	eq(n, 99, "map visits every entry")
	eq(sum, want, "map values")
	local empty = 0
	for _ in pairs(rcu.table(1)) do empty = empty + 1 end
	eq(empty, 0, "pairs over an empty table")
end

local function publish()
	local t = rcu.table(4)
	rcu.publish("libs.local", t)
	t.v = 42
	eq(rcu.subscribe("libs.local").v, 42, "subscribe finds the published table")
	rcu.publish("libs.local", nil)
	eq(rcu.subscribe("libs.local"), nil, "unpublished")
	eq(rcu.subscribe("libs.never"), nil, "never published")
	raises(function() rcu.publish("libs.x", 1) end, "lunatik object or nil expected",
		"publish an integer")
end

local function cas()
	local t = rcu.table(4)
	eq(rcu.cas(t, "n", nil, 1), true, "cas from absent")
	eq(rcu.cas(t, "n", nil, 2), false, "cas expecting absent, present")
	eq(t.n, 1, "a failed cas stores nothing")
	eq(rcu.cas(t, "n", 1, 2), true, "cas integer")
	eq(rcu.cas(t, "n", 1, 3), false, "cas stale integer")
	eq(rcu.cas(t, "n", 2, nil), true, "cas to nil deletes")
	eq(t.n, nil, "deleted by cas")
	t.b = true
	eq(rcu.cas(t, "b", false, 1), false, "cas boolean mismatch")
	eq(rcu.cas(t, "b", true, false), true, "cas boolean")
	local d1, d2 = data.new(1), data.new(1)
	t.d = d1
	local seen = t.d	-- another userdata, the same object
	eq(rcu.cas(t, "d", d2, d2), false, "cas other object")
	eq(rcu.cas(t, "d", 1, d2), false, "cas integer against an object")
	eq(rcu.cas(t, "d", seen, d2), true, "cas object by identity")
	eq(rcu.cas(t, "d", seen, d1), false, "cas replaced object")
	eq(rcu.cas(t, "absent", nil, nil), true, "cas nil to nil")
	raises(function() rcu.cas(t, "x", nil, "s") end, "lunatik object, integer, boolean or nil",
		"cas a string value")
	raises(function() rcu.cas(t, "x", "s", 1) end, "lunatik object, integer, boolean or nil",
		"cas expecting a string")
	raises(function() rcu.cas(t, "x") end, "value expected", "cas without expected value")
	raises(function() rcu.cas(t, "x", nil, t) end, "cannot store a table in itself",
		"cas a table into itself")
	raises(function() rcu.cas({}, "x", nil, 1) end, "rcu.table expected", "cas on a Lua table")
end

function test()
	cas()
	basics()
	iteration()
	publish()
	return "ok"
end

test()
