-- examples/dnsdoctor/dnsdoctor.lua
--
-- DNS doctoring, netfilter variant: clients in a given subnet get a private
-- address for a name whose public answer the DNS server gives everyone.
--
--   lunatik-pipeline run examples/dnsdoctor/dnsdoctor.lua --context softirq
--   (edit `rules` below, then) lunatik-pipeline reload examples/dnsdoctor/dnsdoctor
--   lunatik-pipeline exec examples/dnsdoctor/dnsdoctor 'return stats()'
--
-- Responses (UDP or TCP from port 53) are rewritten where they enter this
-- host, PRE_ROUTING, for IPv4 and IPv6: the packet then continues to a
-- forwarded client or to a local one with the new address and a checksum
-- that verifies (see doctor.lua). The rules are checked when the script
-- loads: a wrong address fails `run`/`reload` with the rule's number.
local nf = require("netfilter")
local doctor = require("examples.dnsdoctor.doctor")
local dns = require("examples.dnsblock.dns")

local rules = assert(doctor.compile({
	{
		name = "lunatik.com",
		a = "10.1.2.3",
		aaaa = "fd00:1:2::3",
		clients = {"10.1.1.0/24", "fd00:1:1::/64"},
	},
}))

local action = nf.action
local OTHER = doctor.OTHER
local counts = {}

local function hook(skb)
	local l3 = dns.l3offset(skb)
	if l3 ~= nil then
		local outcome, n = doctor.rewrite(skb, l3, rules)
		if outcome ~= OTHER then
			counts[outcome] = (counts[outcome] or 0) + 1
			counts.addresses = (counts.addresses or 0) + n
		end
	end
	return action.ACCEPT
end

for _, pf in ipairs({nf.family.IPV4, nf.family.IPV6}) do
	nf.register{pf = pf, hooknum = nf.inet_hooks.PRE_ROUTING,
		    priority = nf.ip_priority.MANGLE + 1, hook = hook}
end

-- this instance's counters (exec runs on the CPU it is started on)
function stats()
	return string.format("rewritten=%d unchanged=%d malformed=%d addresses=%d",
		counts.rewritten or 0, counts.unchanged or 0,
		counts.malformed or 0, counts.addresses or 0)
end
