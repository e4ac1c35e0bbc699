-- hostile tests (files): a thread body that reads a file and publishes
-- what happened under "libs.reader": ok = true/false, out = result/message.
local rcu = require("rcu")
local linux = require("linux")

return function()
	local t = rcu.subscribe("libs.reader")
	local ok, err = pcall(dofile, "/tmp/lp_secret.lua")
	t.ok = ok
	t.denied = not ok and tostring(err):find("permission denied") ~= nil
	t.done = true
end
