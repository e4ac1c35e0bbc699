-- ARP IN: drop every ARP packet (Ethernet first: ethertype 0x0806).
local nf = require("netfilter")
local pkt = require("tests.vm.cases.netfilter.lua.pkt")

nf.register{pf = nf.family.ARP, hooknum = nf.arp_hooks.IN,
	    priority = 0, hook = function(skb)
	if pkt.ethertype(skb) == 0x0806 then
		return nf.action.DROP
	end
	return nf.action.ACCEPT
end}
