-- leak test: a thread that waits to be stopped
local thread = require("thread")
local linux = require("linux")

return function()
	while not thread.shouldstop() do
		linux.schedule(1000)
	end
end
