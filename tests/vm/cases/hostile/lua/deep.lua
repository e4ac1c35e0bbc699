-- Issue 6 item 3: a caller nested just under its C stack budget (a chain
-- of __index functions, ~264 bytes a level) resumes a runtime that recurses
-- through string.gsub. That runtime's budget must be what is left of the
-- kernel stack, not a fresh one (before: "stack guard page was hit").
local lunatik = require("lunatik")

child = lunatik.runtime("tests/vm/cases/hostile/lua/gsubber", false)

local deep = setmetatable({}, {__index = function(t, k)
	if k == 0 then
		return child:resume()
	end
	local v = t[k - 1]	-- not a tail call: one C level per key
	return v
end})

-- resume the child from every depth up to n levels; the errors say where
-- each attempt stopped
function probe(n)
	local ok, stopped = 0, 0
	for depth = 1, n do
		local good, res = pcall(function() return deep[depth] end)
		if good then ok = ok + 1 else stopped = stopped + 1 end
		if not good and not tostring(res):find("stack overflow") then
			return "unexpected error: " .. tostring(res)
		end
	end
	return ok + stopped
end
