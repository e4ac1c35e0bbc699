-- hostile tests (threads): two kernel threads running this stop each other.
-- Each waits for the table libs_base published, then stops the other one
-- without looking at thread.shouldstop() first: A stops B while B stops A.
local thread = require("thread")
local rcu = require("rcu")
local linux = require("linux")

return function()
	local me = thread.current():task().command
	local other = me == "lp_mut_a" and "b" or "a"
	local t
	repeat
		linux.schedule(5)
		t = rcu.subscribe("libs.mutual")
	until t and t.go
	t[other]:stop()
end
