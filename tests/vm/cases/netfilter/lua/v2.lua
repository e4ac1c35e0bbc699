-- Reload test, "v2": the same first hook (kept across the reload) and a
-- new LOCAL_IN hook dropping UDP 9998.
local nf = require("netfilter")
local pkt = require("tests.vm.cases.netfilter.lua.pkt")
VERSION = "v2"
nf.register{pf = nf.family.IPV4, hooknum = nf.inet_hooks.PRE_ROUTING,
	    priority = nf.ip_priority.FILTER, hook = function(skb)
	return pkt.udp(skb, 14) == 9999 and nf.action.DROP or nf.action.ACCEPT
end}
nf.register{pf = nf.family.IPV4, hooknum = nf.inet_hooks.LOCAL_IN,
	    priority = nf.ip_priority.FILTER, hook = function(skb)
	return pkt.udp(skb, 14) == 9998 and nf.action.DROP or nf.action.ACCEPT
end}
