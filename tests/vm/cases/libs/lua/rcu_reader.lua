-- rcu library: the reading side, run as a softirq set so that reads and
-- writes happen with BH disabled on every CPU's instance.
local rcu = require("rcu")
local linux = require("linux")

function get(key)
	local t = rcu.subscribe("libs.shared")
	if t == nil then
		return "unpublished"
	end
	local v = t[key]
	if type(v) == "userdata" then
		return "data " .. v:getuint32(0)
	end
	return tostring(v)
end

function put(key)
	local t = rcu.subscribe("libs.shared")
	t[key] = linux.cpu()
	return "ok"
end

function count()
	local n = 0
	for _ in pairs(rcu.subscribe("libs.shared")) do n = n + 1 end
	return n
end

-- @n increments of "adds" with rcu.cas, from whichever CPU runs this
function add(n)
	local t = rcu.subscribe("libs.shared")
	local lost = 0
	for _ = 1, n do
		repeat
			local v = t.adds
			local ok = rcu.cas(t, "adds", v, (v or 0) + 1)
			if not ok then lost = lost + 1 end
		until ok
	end
	return lost
end
