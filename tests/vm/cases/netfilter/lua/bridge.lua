-- BRIDGE FORWARD: frames bridged between ports; drop IPv4 UDP 9999.
local nf = require("netfilter")
local pkt = require("tests.vm.cases.netfilter.lua.pkt")

nf.register{pf = nf.family.BRIDGE, hooknum = nf.bridge_hooks.FORWARD,
	    priority = nf.bridge_priority.FILTER_BRIDGED, hook = function(skb)
	if pkt.ethertype(skb) == 0x0800 and pkt.udp(skb, 14) == 9999 then
		return nf.action.DROP
	end
	return nf.action.ACCEPT
end}
