-- examples/dnsblock/dnsblock.lua
--
-- Drop DNS queries for blocked names: netfilter variant.
--
--   lunatik-pipeline run examples/dnsblock/dnsblock.lua --context softirq
--   lunatik-pipeline exec examples/dnsblock/dnsblock 'blocklist["example.com"] = true'
--   lunatik-pipeline exec examples/dnsblock/dnsblock 'return stats()'
--
-- Hooks, IPv4 and IPv6 each:
--   LOCAL_OUT   queries this host sends (the packet starts at the IP header)
--   PRE_ROUTING queries this host receives, to forward or to answer itself
--               (the packet starts at the link-layer header: Ethernet, IP at
--               14; dns.l3offset finds it)
-- A query (UDP or TCP to port 53) is dropped when one of its names is on the
-- blocklist or under a name on it: blocking "example.com" blocks
-- "www.EXAMPLE.com" but not "badexample.com". Everything else passes,
-- DNS we cannot parse included (counted as "malformed").
local nf = require("netfilter")
local common = require("examples.dnsblock.block")
local dns = require("examples.dnsblock.dns")

local action = nf.action
local classify, BLOCKED, OTHER = common.classify, common.BLOCKED, common.OTHER

-- shared by every CPU's instance, every generation, and the xtables variant
blocklist = common.shared(common.LIST)

local count, flush, totals = common.counters()

local function judge(skb, l3)
	if l3 == nil then
		return action.ACCEPT
	end
	local verdict = classify(skb, l3, blocklist)
	if verdict == OTHER then
		return action.ACCEPT
	end
	count(verdict)
	return verdict == BLOCKED and action.DROP or action.ACCEPT
end

local function egress(skb)
	return judge(skb, 0)
end

local function ingress(skb)
	return judge(skb, dns.l3offset(skb))
end

for _, pf in ipairs({nf.family.IPV4, nf.family.IPV6}) do
	nf.register{pf = pf, hooknum = nf.inet_hooks.LOCAL_OUT,
		    priority = nf.ip_priority.FILTER, hook = egress}
	nf.register{pf = pf, hooknum = nf.inet_hooks.PRE_ROUTING,
		    priority = nf.ip_priority.FILTER, hook = ingress}
end

-- for `lunatik-pipeline exec`
function block(name)
	common.set(blocklist, name, true)
end

function unblock(name)
	common.set(blocklist, name, false)
end

-- publish this instance's counters that a count could not (memory)
function flushstats()
	return flush()
end

-- "allowed=N blocked=N malformed=N notquery=N", summed over every CPU
function stats()
	return common.summary()
end

-- this instance's own counters (the CPU exec runs on)
function localstats()
	return string.format("allowed=%d blocked=%d malformed=%d notquery=%d unpublished=%d",
		totals.allowed or 0, totals.blocked or 0, totals.malformed or 0,
		totals.notquery or 0, totals.unpublished or 0)
end
