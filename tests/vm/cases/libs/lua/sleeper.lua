-- thread test: a function that sleeps UNINTERRUPTIBLE in a loop and never
-- looks at thread.shouldstop() (neither the stop wake-up nor SIGKILL ends
-- such a sleep: linux.schedule must not sleep once the thread is stopping)
local linux = require("linux")

return function()
	while true do
		linux.schedule(nil, linux.task.UNINTERRUPTIBLE)
	end
end
