-- Issue 6 item 12: removing the current key inside pairs() over an rcu
-- table, as Lua allows for its own tables, must not end or skip the walk.
local rcu = require("rcu")

local function fill(buckets, n)
	local t = rcu.table(buckets)
	for i = 1, n do t["k" .. i] = i end
	return t
end

local function count(t)
	local n = 0
	for _ in pairs(t) do n = n + 1 end
	return n
end

-- clear the table while walking it: nothing may be left
function clear(buckets, n)
	local t = fill(buckets, n)
	local visited = 0
	for k in pairs(t) do
		t[k] = nil
		visited = visited + 1
	end
	return visited .. " " .. count(t)
end

-- delete every even value while walking: each entry visited exactly once
function halve(buckets, n)
	local t = fill(buckets, n)
	local seen, dup = {}, 0
	for k, v in pairs(t) do
		if seen[k] then dup = dup + 1 end
		seen[k] = true
		if v % 2 == 0 then t[k] = nil end
	end
	local visited = 0
	for _ in pairs(seen) do visited = visited + 1 end
	return visited .. " " .. dup .. " " .. count(t)
end

-- rcu.map with deletion of the current key
function mapclear(buckets, n)
	local t = fill(buckets, n)
	local visited = 0
	rcu.map(t, function(k) t[k] = nil visited = visited + 1 end)
	return visited .. " " .. count(t)
end
