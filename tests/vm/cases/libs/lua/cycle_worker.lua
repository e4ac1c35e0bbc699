-- thread test: keeps its own thread object (from the table cycle.lua
-- published) and runs until stopped.
local thread = require("thread")
local rcu = require("rcu")
local linux = require("linux")

return function()
	local me
	while not thread.shouldstop() do
		local t = rcu.subscribe("libs.cycle")
		me = me or (t and t.thrd)
		linux.schedule(20)
	end
	return me
end
