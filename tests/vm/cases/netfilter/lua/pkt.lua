-- Packet helpers shared by the netfilter test scripts (IPv4/IPv6 + UDP).
local linux = require("linux")
local pkt = {}

-- offset of the network header: 14 when the data starts with Ethernet
function pkt.l3(skb, ether)
	if not ether then
		return 0
	end
	return 14
end

-- UDP destination port and payload offset, or nil
function pkt.udp(skb, l3)
	local v = skb:getbyte(l3) >> 4
	if v == 4 then
		if skb:getbyte(l3 + 9) ~= 17 then
			return nil
		end
		local ihl = (skb:getbyte(l3) & 0x0f) * 4
		return linux.ntoh16(skb:getuint16(l3 + ihl + 2)), l3 + ihl + 8
	elseif v == 6 then
		if skb:getbyte(l3 + 6) ~= 17 then
			return nil
		end
		return linux.ntoh16(skb:getuint16(l3 + 42)), l3 + 48
	end
	return nil
end

-- ethertype of an Ethernet frame
function pkt.ethertype(skb)
	return linux.ntoh16(skb:getuint16(12))
end

return pkt
