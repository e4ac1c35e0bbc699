-- NETDEV INGRESS on device "nfb" (the test's veth end): drop IPv4 UDP 9999.
local nf = require("netfilter")
local pkt = require("tests.vm.cases.netfilter.lua.pkt")

nf.register{pf = nf.family.NETDEV, hooknum = nf.netdev_hooks.INGRESS,
	    priority = 0, dev = "nfb", hook = function(skb)
	if pkt.ethertype(skb) == 0x0800 and pkt.udp(skb, 14) == 9999 then
		return nf.action.DROP
	end
	return nf.action.ACCEPT
end}
