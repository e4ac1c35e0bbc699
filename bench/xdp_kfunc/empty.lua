--
-- empty.lua - the callback bench/xdp_kfunc.sh measures the kfunc path
-- with: returns PASS, nothing else.
--
local xdp = require("xdp")
local PASS = xdp.action.PASS

xdp.attach(function()
	return PASS
end)
