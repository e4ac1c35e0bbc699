-- Reload test, generation "v1": one hook, drops UDP 9999.
local nf = require("netfilter")
local pkt = require("tests.vm.cases.netfilter.lua.pkt")
VERSION = "v1"
nf.register{pf = nf.family.IPV4, hooknum = nf.inet_hooks.PRE_ROUTING,
	    priority = nf.ip_priority.FILTER, hook = function(skb)
	return pkt.udp(skb, 14) == 9999 and nf.action.DROP or nf.action.ACCEPT
end}
