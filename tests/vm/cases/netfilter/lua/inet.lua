-- INET LOCAL_IN: one registration sees IPv4 and IPv6; drops UDP 9999.
local nf = require("netfilter")
local pkt = require("tests.vm.cases.netfilter.lua.pkt")

nf.register{pf = nf.family.INET, hooknum = nf.inet_hooks.LOCAL_IN,
	    priority = nf.ip_priority.FILTER, hook = function(skb)
	local port = pkt.udp(skb, 14)
	return port == 9999 and nf.action.DROP or nf.action.ACCEPT
end}
