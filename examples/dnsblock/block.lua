-- examples/dnsblock/block.lua
--
-- What the netfilter and the xtables dnsblock share: the blocklists, the
-- counters, and the decision for one packet.
--
-- Sharing across instances. A softirq set runs one instance of the script
-- per CPU, each its own Lua state: a Lua table in one is invisible to the
-- others. A blocklist is therefore an rcu.table published under a name
-- (rcu.publish, per network namespace): the first instance to load creates
-- and publishes it, every other instance (and every later generation after
-- a reload) subscribes to the same table. A write from
-- `lunatik-pipeline exec` on any CPU is seen by every CPU's next packet.
-- The tables stay published after the set stops, so a reload or a restart
-- keeps the list.
--
-- Counters. Each instance counts in plain Lua integers (exact, no
-- allocation on the packet path) and copies its totals into the published
-- rcu.table "dnsblock.stats" under "<counter>@<cpu>" keys: one writer per
-- key, so no update is lost between CPUs. That copy allocates (an rcu entry)
-- and so may fail under memory pressure; it runs in pcall after the
-- decision, so a failure costs a stale counter, never the verdict.
local rcu = require("rcu")
local lunatik = require("lunatik")
local dns = require("examples.dnsblock.dns")

local block = {}

block.LIST = "dnsblock"		-- the default blocklist's published name
block.STATS = "dnsblock.stats"
block.MAXQD = 8			-- questions read per message
block.MAXLABELS = 255		-- labels decoded per packet (two longest names)

-- verdict kinds, also the names of the counters
block.BLOCKED = "blocked"
block.ALLOWED = "allowed"
block.MALFORMED = "malformed"
block.NOTQUERY = "notquery"	-- DNS to port 53 that is not a lookup
block.OTHER = "other"		-- not DNS to port 53: not ours, not counted

--- The rcu.table published under @name, created and published when there is
-- none yet.
function block.shared(name)
	local t = rcu.subscribe(name)
	if t == nil then
		rcu.publish(name, rcu.table())
		t = rcu.subscribe(name)
	end
	return t
end

-- One DNS message [m, stop) sent to port 53.
local function query(d, m, stop, list, limit)
	local h = dns.header(d, m, stop)
	if h == nil then
		return block.MALFORMED
	end
	-- responses and other opcodes (NOTIFY, UPDATE...) are not lookups
	if h.qr or h.opcode ~= 0 then
		return block.NOTQUERY
	end
	if h.qd > block.MAXQD then
		return block.MALFORMED
	end
	local off = m + 12
	for _ = 1, h.qd do
		local name, starts, _, _, after = dns.question(d, m, stop, off, limit)
		if name == nil then
			return block.MALFORMED
		end
		local key = dns.suffix(name, starts, list)
		if key ~= nil then
			return block.BLOCKED, key, name
		end
		off = after
	end
	return block.ALLOWED
end

--- Judge the packet whose network header is at @l3: one of block.BLOCKED
-- (then also the blocklist entry that matched and the queried name),
-- ALLOWED, MALFORMED (DNS to port 53 we cannot read), NOTQUERY (a
-- response or another opcode sent to port 53) or OTHER (not DNS to port
-- 53, or a TCP segment without data).
-- Every question of every message in the packet is checked: a query is
-- blocked when any of its names is. A packet whose names add up to more
-- than MAXLABELS labels is MALFORMED from there on (no real query comes
-- near; it bounds the work a packet can ask for).
function block.classify(d, l3, list)
	local p = dns.packet(d, l3)
	if p == nil or p.dport ~= dns.PORT then
		return block.OTHER
	end
	local verdict = block.OTHER
	local limit = {block.MAXLABELS}
	for m, stop in dns.messages(d, p) do
		local v, key, name = query(d, m, stop, list, limit)
		if v == block.BLOCKED then
			return v, key, name
		elseif v == block.MALFORMED or verdict == block.OTHER then
			verdict = v
		end
	end
	return verdict
end

--- Counters of this instance: count(kind) adds one and publishes this
-- CPU's totals; flush() publishes what an earlier count could not (it
-- returns how many kinds are still unpublished). Returns count, flush and
-- the local totals table.
function block.counters()
	local shared = block.shared(block.STATS)
	local suffix = "@" .. (lunatik.cpu() or 0)
	local totals, dirty = {}, {}

	local function publish(kind)
		shared[kind .. suffix] = totals[kind]
	end

	-- a failed copy stays dirty and is retried by the next count or flush
	local function flush()
		local left = 0
		for kind in pairs(dirty) do
			if pcall(publish, kind) then
				dirty[kind] = nil
			else
				totals.unpublished = (totals.unpublished or 0) + 1
				left = left + 1
			end
		end
		return left
	end

	local function count(kind)
		totals[kind] = (totals[kind] or 0) + 1
		dirty[kind] = true
		flush()
	end
	return count, flush, totals
end

--- Sum of every CPU's counters, as {kind = n}.
function block.stats()
	local sum = {}
	for key, n in pairs(block.shared(block.STATS)) do
		local kind = string.match(key, "^(.-)@%d+$")
		if kind ~= nil and type(n) == "number" then
			sum[kind] = (sum[kind] or 0) + n
		end
	end
	return sum
end

--- The sums of block.stats() on one line, as the `stats()` of both
-- variants prints them for `lunatik-pipeline exec`.
function block.summary()
	local sum = block.stats()
	return string.format("allowed=%d blocked=%d malformed=%d notquery=%d",
		sum.allowed or 0, sum.blocked or 0, sum.malformed or 0,
		sum.notquery or 0)
end

--- Add (@on true or nil) or remove (@on false) @name on @list, normalized
-- as the packet path compares it: lowercase, without the final dot.
function block.set(list, name, on)
	list[dns.normalize(name)] = (on == nil or on) and true or nil
end

return block
