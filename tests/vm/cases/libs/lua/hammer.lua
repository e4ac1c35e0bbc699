-- rcu stress: a kernel thread keeps replacing and deleting entries (integers
-- and objects) of the published table "libs.stress" until stopped.
local thread = require("thread")
local rcu = require("rcu")
local data = require("data")

return function()
	local t = rcu.subscribe("libs.stress")
	local i = 0
	while not thread.shouldstop() do
		i = i + 1
		local k = "k" .. (i % 64)
		if i % 3 == 0 then
			t[k] = nil
		elseif i % 3 == 1 then
			t[k] = i
		else
			local d = data.new(8)
			d:setint64(0, i)
			t[k] = d
		end
		if i % 1000 == 0 then
			t.rounds = i
			collectgarbage("step")
		end
	end
end
