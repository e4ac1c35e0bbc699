-- hostile tests: a thread body that sleeps in the given state until stopped.
local thread = require("thread")
local linux = require("linux")

return function()
	while not thread.shouldstop() do
		linux.schedule(1000, linux.task.UNINTERRUPTIBLE)
	end
end
