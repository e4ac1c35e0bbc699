--
-- sni_blocklist.lua - server names to block, in an rcu table shared by every
-- runtime of the network namespace and changeable at run time:
--
--   list["ads.example.com"] = true    exact name
--   list["*.example.com"] = true      any name ending in ".example.com"
--                                     (not example.com itself)
--   list[name] = nil                  remove
--
-- Names are compared in lower case without a trailing dot; store entries
-- that way (blocklist.add does).
--
local rcu = require("rcu")

local blocklist = {}

local find, sub, lower = string.find, string.sub, string.lower

-- longest name a list key can hold with the "*" of a wildcard in front
local NAME_MAX = 253

-- The list published as @name, created (empty) when nobody has yet.
function blocklist.open(name)
	local list = rcu.subscribe(name)
	if list == nil then
		list = rcu.table()
		rcu.publish(name, list)
	end
	return list
end

function blocklist.normalize(name)
	name = lower(name)
	if sub(name, -1) == "." then
		name = sub(name, 1, -2)
	end
	return name
end

function blocklist.add(list, entry)
	list[blocklist.normalize(entry)] = true
end

function blocklist.remove(list, entry)
	list[blocklist.normalize(entry)] = nil
end

-- The entry that blocks @name (normalized), or nil.
function blocklist.match(list, name)
	if #name == 0 or #name > NAME_MAX then
		return nil
	end
	if list[name] then
		return name
	end
	local from = 1
	while true do
		local dot = find(name, ".", from, true)
		if dot == nil then
			return nil
		end
		local wildcard = "*" .. sub(name, dot)
		if list[wildcard] then
			return wildcard
		end
		from = dot + 1
	end
end

return blocklist
