-- PRE_ROUTING (IPv4 and IPv6): Ethernet first. UDP ports choose what the
-- hook does: 9999 drop, 9991 rewrite "hello" to "HELLO", hostile behaviour
-- on 9993..9997; everything else is accepted.
local nf = require("netfilter")
local pkt = require("tests.vm.cases.netfilter.lua.pkt")

local function hook(skb)
	local et = pkt.ethertype(skb)
	if et ~= 0x0800 and et ~= 0x86dd then
		return nf.action.ACCEPT
	end
	local port, off = pkt.udp(skb, 14)
	if port == 9999 then
		return nf.action.DROP
	elseif port == 9991 then
		if skb:getstring(off, 5) == "hello" then
			skb:setstring(off, "HELLO")
		end
	elseif port == 9997 then
		error("hostile hook: error")
	elseif port == 9996 then
		while true do end
	elseif port == 9995 then
		local s = string.rep("x", 64 << 20)
		return #s
	elseif port == 9994 then
		return 42
	elseif port == 9993 then
		return "garbage"
	end
	return nf.action.ACCEPT
end

nf.register{pf = nf.family.IPV4, hooknum = nf.inet_hooks.PRE_ROUTING,
	    priority = nf.ip_priority.FILTER, hook = hook}
nf.register{pf = nf.family.IPV6, hooknum = nf.inet_hooks.PRE_ROUTING,
	    priority = nf.ip_priority.FILTER, hook = hook}
