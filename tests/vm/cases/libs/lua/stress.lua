-- rcu stress: readers (any set) walk and read "libs.stress" while hammer.lua
-- rewrites it from a kernel thread.
local rcu = require("rcu")

function start()
	local lunatik = require("lunatik")
	local thread = require("thread")
	local t = rcu.table(16)
	rcu.publish("libs.stress", t)
	hammer = thread.run(lunatik.runtime("tests/vm/cases/libs/lua/hammer"), "lp_hammer")
	return "ok"
end

function stop()
	hammer:stop()
	hammer = nil
	rcu.publish("libs.stress", nil)
	collectgarbage()
	return "ok"
end

-- returns the number of values seen; raises on anything inconsistent
function read(rounds)
	local t = rcu.subscribe("libs.stress")
	local seen = 0
	for _ = 1, rounds do
		for k, v in pairs(t) do
			if type(v) == "userdata" then
				assert(v:getint64(0) > 0, "data value")
			elseif k ~= "rounds" then
				assert(type(v) == "number" and v > 0, "integer value")
			end
			seen = seen + 1
		end
		for i = 0, 63 do
			local v = t["k" .. i]
			if v ~= nil then seen = seen + 1 end
		end
	end
	return seen
end
