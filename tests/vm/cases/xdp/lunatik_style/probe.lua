--
-- probe.lua - the Lua side of probe.bpf.c: counts the segments it gets in
-- the rcu table "lunatik_style", with the last payload's first bytes, and
-- drops those that start with "DROP".
--
local xdp = require("xdp")
local rcu = require("rcu")

local seen = rcu.subscribe("lunatik_style")
if seen == nil then
	seen = rcu.table(8)
	rcu.publish("lunatik_style", seen)
end

xdp.attach(function(packet, argument)
	local off = argument:getbyte(0) << 8 | argument:getbyte(1)
	local head = packet:getstring(off, 4)
	for _ = 1, 16 do
		local n = seen.calls
		if rcu.cas(seen, "calls", n, (n or 0) + 1) then break end
	end
	if head == "DROP" then
		seen.dropped = (seen.dropped or 0) + 1
		return xdp.action.DROP
	end
	seen.hello = head == "hell"
	return xdp.action.PASS
end)
