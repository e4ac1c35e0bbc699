-- examples/dnsdoctor/xt_dnsdoctor.lua
--
-- DNS doctoring, xtables variant: the "dnsdoctor" target.
--
--   lunatik-pipeline run examples/dnsdoctor/xt_dnsdoctor.lua --context softirq
--   iptables -t mangle -A PREROUTING -p udp --sport 53 -d 10.1.1.0/24 \
--       -j dnsdoctor --name lunatik.com --a 10.1.2.3
--   ip6tables -t mangle -A PREROUTING -p udp --sport 53 \
--       -j dnsdoctor --name lunatik.com --aaaa fd00:1:2::3 --client fd00:1:1::/64
--
-- Per-rule arguments (userargs, written by libxt_dnsdoctor.lua) are text:
-- "name=N a=A aaaa=AAAA client=PREFIX ...", checked by checkentry (a wrong
-- one makes iptables fail with EINVAL) and compiled once per distinct rule.
-- The target never decides: it returns CONTINUE, so the following rules
-- still apply. Registered for every family (iptables and ip6tables).
local xt = require("xtable")
local nf = require("netfilter")
local doctor = require("examples.dnsdoctor.doctor")

local CONTINUE = nf.action.CONTINUE
local OTHER = doctor.OTHER

-- userargs text -> compiled rules; bounded, rebuilt when full
local compiled, ncompiled = {}, 0
local counts = {}

local function args(userargs)
	return string.match(userargs, "^[^\0]*")
end

local function rulesof(userargs)
	local text = args(userargs)
	local rules = compiled[text]
	if rules == nil then
		local err
		rules, err = doctor.parseargs(text)
		if rules == nil then
			return nil, err
		end
		if ncompiled >= 64 then
			compiled, ncompiled = {}, 0
		end
		compiled[text], ncompiled = rules, ncompiled + 1
	end
	return rules
end

local function target(skb, par, userargs)
	local rules = rulesof(userargs)
	if rules ~= nil and par.fragoff == 0 then
		local outcome, n = doctor.rewrite(skb, 0, rules)
		if outcome ~= OTHER then
			counts[outcome] = (counts[outcome] or 0) + 1
			counts.addresses = (counts.addresses or 0) + n
		end
	end
	return CONTINUE
end

local function checkentry(userargs)
	local rules, err = rulesof(userargs)
	if rules == nil then
		error("dnsdoctor: " .. err)
	end
end

xt.target{
	name = "dnsdoctor",
	revision = 0,
	family = nf.family.UNSPEC,
	proto = 0,
	hooks = 0,
	target = target,
	checkentry = checkentry,
	destroy = function() end,
}

function stats()
	return string.format("rewritten=%d unchanged=%d malformed=%d addresses=%d",
		counts.rewritten or 0, counts.unchanged or 0,
		counts.malformed or 0, counts.addresses or 0)
end
