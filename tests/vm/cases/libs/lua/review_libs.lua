-- Regression checks for the library safety review (review_libs.sh calls
-- these through exec; each returns "ok" or raises naming what failed).
local data = require("data")
local rcu = require("rcu")
local check = require("tests.vm.cases.libs.lua.check")
local eq = check.eq

-- A chain of nested rcu tables, dropped at once: releasing it must not
-- recurse once per level (that overflowed the kernel stack).
function nested(n)
	local head = rcu.table(1)
	for _ = 2, n do
		local t = rcu.table(1)
		t.next = head
		head = t
	end
	head = nil
	collectgarbage()
	collectgarbage()
	return "ok"
end

-- The same chain, dropped by an entry write: the release then runs in the
-- RCU callback that frees the replaced entry (softirq context).
function nested_rcu(n)
	local keep = rcu.table(1)
	local head = rcu.table(1)
	for _ = 2, n do
		local t = rcu.table(1)
		t.next = head
		head = t
	end
	keep.chain = head
	head = nil
	collectgarbage()
	keep.chain = nil	-- the entry's reference goes after a grace period
	return "ok"
end

-- next() with a number key converts it (an allocation) before taking the
-- RCU read lock: same answers as with the string key.
function next_number()
	local t = rcu.table(4)
	t["12345"] = 1
	t["x"] = 2
	local nxt = pairs(t)
	local k1 = nxt(t, "12345")
	local k2 = nxt(t, 12345)
	eq(k2, k1, "next with a number key")
	return "ok"
end

-- A finalizer run by an allocation inside a method (here: converting a
-- number argument to a string) closes the method's own object, dropping its
-- last reference. The method must then raise "closed", never use the freed
-- object. Generational mode with a 1% minor multiplier runs finalizers at
-- almost every collection step, and a step follows each new string.
-- Returns how often the finalizer fired inside a call that then raised
-- ("hits") and inside a call that still returned normally ("bad").
local ops = {
	data = {
		new = function() return data.new(16) end,
		call = function(o, x) o:setstring(0, x) end,
	},
	rcuget = {
		new = function() return rcu.table(1) end,
		call = function(o, x) return o[x] end,
	},
	rcuset = {
		new = function() return rcu.table(1) end,
		call = function(o, x) o[x] = 1 end,
	},
	rcunext = {	-- the key conversion used to run under rcu_read_lock
		new = function() return rcu.table(1) end,
		call = function(o, x) return (pairs(o))(o, x) end,
	},
}

function gcclose(kind, rounds)
	local op = assert(ops[kind], "unknown kind")
	local hits, bad = 0, 0
	local n = 0
	collectgarbage("generational", 1, 100)
	for i = 1, rounds do
		local o = op.new()
		local fired = false
		-- the class metatable is out of reach: close through <close>
		local close = function(x) local _ <close> = x end
		setmetatable({}, {__gc = function()
			fired = true
			close(o)
		end})
		for _ = 1, 20000 do
			n = n + 1
			local ok, err = pcall(op.call, o, 1000000000 + n * 7)
			if fired then
				if ok then
					bad = bad + 1
				elseif string.find(tostring(err), "closed", 1, true) then
					hits = hits + 1
				else
					collectgarbage("incremental")
					error("unexpected error: " .. tostring(err))
				end
				break
			end
			if not ok then
				collectgarbage("incremental")
				error(err)
			end
		end
	end
	collectgarbage("incremental")
	return string.format("hits>0:%s bad:%d", tostring(hits > 0), bad)
end
