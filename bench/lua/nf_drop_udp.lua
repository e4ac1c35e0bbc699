-- bench/netfilter.sh: drop IPv4 UDP to port 9000 at PRE_ROUTING, accept
-- everything else - the rule `udp dport 9000 drop` written as a Lua hook
-- (data starts with the Ethernet header at PRE_ROUTING). Counts the drops
-- in the instance, so EXEC shows which instance saw what.
local nf = require("netfilter")
local linux = require("linux")

local PORT = 9000
local DROP, ACCEPT = nf.action.DROP, nf.action.ACCEPT
local ntoh16 = linux.ntoh16
dropped = 0

nf.register{pf = nf.family.IPV4, hooknum = nf.inet_hooks.PRE_ROUTING,
	    priority = nf.ip_priority.FILTER, hook = function(skb)
	if skb:getbyte(23) ~= 17 then	-- IP protocol (Ethernet + 9)
		return ACCEPT
	end
	local ihl = (skb:getbyte(14) & 0x0f) * 4
	if ntoh16(skb:getuint16(14 + ihl + 2)) ~= PORT then
		return ACCEPT
	end
	dropped = dropped + 1
	return DROP
end}
