-- A runtime made by deep.lua: each resume recurses through string.gsub
-- (~850 bytes of kernel stack a level) until the C stack budget stops it.
local function rec(s)
	s:gsub(".", rec)
	return ""
end

return function()
	while true do
		local _, err = pcall(rec, "ab")
		coroutine.yield(tostring(err))
	end
end
