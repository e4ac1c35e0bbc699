-- LOCAL_OUT (IPv4): the network header at offset 0 (no link-layer header
-- yet). 9999 is dropped only if the layout is right; 9990 "hello" becomes
-- "HELLO" on the wire.
local nf = require("netfilter")
local pkt = require("tests.vm.cases.netfilter.lua.pkt")

nf.register{pf = nf.family.IPV4, hooknum = nf.inet_hooks.LOCAL_OUT,
	    priority = nf.ip_priority.FILTER, hook = function(skb)
	if skb:getbyte(0) ~= 0x45 then
		return nf.action.ACCEPT
	end
	local port, off = pkt.udp(skb, 0)
	if port == 9999 then
		return nf.action.DROP
	elseif port == 9990 and skb:getstring(off, 5) == "hello" then
		skb:setstring(off, "HELLO")
	end
	return nf.action.ACCEPT
end}
