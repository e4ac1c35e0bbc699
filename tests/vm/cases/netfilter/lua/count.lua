-- LOCAL_OUT (IPv4): counts UDP datagrams to 9999 in the instance (global
-- `seen`) and drops them; accepts everything else. With one instance per
-- CPU each instance counts what was sent on its CPU; a --shared set's one
-- instance counts them all.
local nf = require("netfilter")
local pkt = require("tests.vm.cases.netfilter.lua.pkt")

seen = 0

nf.register{pf = nf.family.IPV4, hooknum = nf.inet_hooks.LOCAL_OUT,
	    priority = nf.ip_priority.FILTER, hook = function(skb)
	if skb:getbyte(0) ~= 0x45 or pkt.udp(skb, 0) ~= 9999 then
		return nf.action.ACCEPT
	end
	seen = seen + 1
	return nf.action.DROP
end}
