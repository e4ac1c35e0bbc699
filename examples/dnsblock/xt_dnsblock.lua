-- examples/dnsblock/xt_dnsblock.lua
--
-- Drop DNS queries for blocked names: xtables variant, the "dnsblock" match.
--
--   lunatik-pipeline run examples/dnsblock/xt_dnsblock.lua --context softirq
--   iptables -A OUTPUT -m dnsblock -j DROP
--   ip6tables -A FORWARD -m dnsblock --blocklist kids -j DROP
--   lunatik-pipeline exec examples/dnsblock/xt_dnsblock 'blocklist["example.com"] = true'
--   lunatik-pipeline exec examples/dnsblock/xt_dnsblock 'list("kids")["example.org"] = true'
--
-- The match is true for a query (UDP or TCP to port 53) naming a blocked
-- name or a name under one; iptables' own matches (-p, -d, -o ...) narrow
-- it further. Registered for every family, table and hook, as Lunatik 3.6's.
--
-- Per-rule arguments (the 256-byte userargs, written by libxt_dnsblock.lua):
-- empty, or "list=NAME" to use the blocklist NAME instead of the default
-- one. The default list is the one the netfilter variant uses ("dnsblock");
-- NAME is published as "dnsblock:NAME".
local xt = require("xtable")
local nf = require("netfilter")
local common = require("examples.dnsblock.block")

local classify, BLOCKED, OTHER = common.classify, common.BLOCKED, common.OTHER

blocklist = common.shared(common.LIST)

local count, flush = common.counters()

-- list name -> rcu.table, this instance's cache of the published tables
local lists = {[""] = blocklist}

-- The list name in @userargs ("" for the default), or nil, error.
local function listname(userargs)
	local args = string.match(userargs, "^[^\0]*")
	if args == "" then
		return ""
	end
	local name = string.match(args, "^list=([%w_%-%.]+)$")
	if name == nil or #name > 64 then
		return nil, "dnsblock: bad arguments '" .. args ..
			"' (want empty or list=NAME, NAME of letters, digits, _ - .)"
	end
	return name
end

--- The blocklist called @name ("" or nil: the default one), created and
-- published when there is none yet.
function list(name)
	name = name or ""
	local t = lists[name]
	if t == nil then
		t = common.shared(name == "" and common.LIST or "dnsblock:" .. name)
		lists[name] = t
	end
	return t
end

local function match(skb, par, userargs)
	-- a later fragment has no transport header to read
	if par.fragoff ~= 0 then
		return false
	end
	local name = listname(userargs)
	if name == nil then
		return false
	end
	local verdict = classify(skb, 0, list(name))
	if verdict ~= OTHER then
		count(verdict)
	end
	return verdict == BLOCKED
end

-- a rule with arguments we cannot read is refused (EINVAL), and its list
-- exists from then on, ready for exec
local function checkentry(userargs)
	local name, err = listname(userargs)
	if name == nil then
		error(err)
	end
	list(name)
end

local function destroy()
end

xt.match{
	name = "dnsblock",
	revision = 1,
	family = nf.family.UNSPEC,
	proto = 0,
	hooks = 0,
	match = match,
	checkentry = checkentry,
	destroy = destroy,
}

-- for `lunatik-pipeline exec`; @listname: nil for the default list
function block(name, listname_)
	common.set(list(listname_), name, true)
end

function unblock(name, listname_)
	common.set(list(listname_), name, false)
end

-- publish this instance's counters that a count could not (memory)
function flushstats()
	return flush()
end

function stats()
	return common.summary()
end
