-- thread test: the function a kernel thread runs. It reports through the
-- table published by thread.lua and loops until stopped.
local thread = require("thread")
local rcu = require("rcu")
local linux = require("linux")

return function()
	local shared = rcu.subscribe("libs.thread")
	shared.started:complete()
	local n = 0
	while not thread.shouldstop() do
		n = n + 1
		shared.count = n
		linux.schedule(20)
	end
	shared.stopped = true
end
