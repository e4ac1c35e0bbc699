-- thread test: a kernel thread blocked on a completion; a stop must
-- interrupt its wait.
local thread = require("thread")
local rcu = require("rcu")

return function()
	local shared = rcu.subscribe("libs.thread")
	local c = shared.waitc
	shared.waiting = true
	while not thread.shouldstop() do
		local ok, why = c:wait()
		shared.waits = (shared.waits or 0) + 1
		shared.interrupted = not ok and why == "interrupt"
	end
end
