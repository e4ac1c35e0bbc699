--
-- sni_filter.lua - drop TLS connections whose server name (SNI) is on a
-- blocklist, also when the ClientHello spans several TCP segments.
--
-- Attach with the pre-classifier bpf/tls_classifier.bpf.o (its default key
-- is this script's set name, examples/filter/sni_filter). It hands over
-- segments that start a ClientHello record and the later segments of one
-- that did not fit; its argument (preclass_abi.h) starts with Lunatik's
-- 16-bit big-endian payload offset, followed by the header offsets, the
-- payload length and flags. With Lunatik's https.c (a 2-byte argument)
-- each ClientHello is judged from its first segment alone.
--
-- Shared by every runtime of the network namespace (rcu.subscribe):
--   "sni_filter/blocklist"  names to block, see sni_blocklist.lua:
--                           list["bad.example"] = true, list["*.ads.example"] = true
--   "sni_filter/stats"      counters: blocked, allowed, nosni, malformed,
--                           tracked, untracked, expired, evicted, logdropped
--
-- A split ClientHello: segments pass until the one that completes the
-- server name, which is dropped when the name is blocked; the connection's
-- later segments and retransmissions are then dropped for a while (the
-- server never gets a whole ClientHello, so the handshake cannot finish).
-- Limits (fail open, counted): ClientHellos in progress are kept per
-- runtime instance, i.e. per CPU, so the segments of one must be received on
-- one CPU (RSS does that for a NIC); more than `max` of them evict the
-- oldest; a ClientHello spread over several TLS records is judged from its
-- first record; a verdict is remembered for `hold`.
--
local xdp       = require("xdp")
local linux     = require("linux")
local rcu       = require("rcu")
local hello     = require("examples.filter.sni_hello")
local blocklist = require("examples.filter.sni_blocklist")
local flows     = require("examples.filter.sni_flows")

local action = xdp.action
local PASS, DROP = action.PASS, action.DROP

local ARG_SIZE  = 12		-- struct preclass_arg
local F_HELLO   = 0x01
local MAX_HELLO = 16384 + 5	-- as the classifier tracks
local LOG_PER_SECOND = 10

local list = blocklist.open("sni_filter/blocklist")
local stats = rcu.subscribe("sni_filter/stats")
if stats == nil then
	stats = rcu.table(16)
	rcu.publish("sni_filter/stats", stats)
end

local tracker = flows.new{max = 256}
local reported = {expired = 0, evicted = 0}

local function count(what, n)
	stats[what] = (stats[what] or 0) + (n or 1)
end

-- tracker counters move to the shared table when they change
local function sync()
	for what, seen in pairs(reported) do
		local now = tracker[what]
		if now ~= seen then
			count(what, now - seen)
			reported[what] = now
		end
	end
end

local window, logged = 0, 0
local function log(now, fmt, ...)
	if now - window >= 1000000000 then
		window, logged = now, 0
	end
	if logged < LOG_PER_SECOND then
		logged = logged + 1
		print(string.format("sni_filter: " .. fmt, ...))
	else
		count("logdropped")
	end
end

local function decide(now, status, name)
	if status == "sni" then
		name = blocklist.normalize(name)
		local entry = blocklist.match(list, name)
		if entry ~= nil then
			count("blocked")
			log(now, "drop %s (%s)", name, entry)
			return DROP
		end
		count("allowed")
	elseif status == "none" then
		count("nosni")
	else
		count("malformed")
	end
	return PASS
end

local function u16(d, o)
	return d:getbyte(o) << 8 | d:getbyte(o + 1)
end

local function u32(d, o)
	return u16(d, o) << 16 | u16(d, o + 2)
end

local function flowkey(packet, family, l3, l4)
	local addrs = family == 4 and packet:getstring(l3 + 12, 8)
		or packet:getstring(l3 + 8, 32)
	return addrs .. packet:getstring(l4, 4)
end

local function filter(packet, argument)
	local now = linux.time()
	local off = u16(argument, 0)
	if #argument < ARG_SIZE then
		return decide(now, hello.parse(packet:getstring(off)))
	end
	local l3, l4, len = u16(argument, 2), u16(argument, 4), u16(argument, 6)
	local family, flags = argument:getbyte(8), argument:getbyte(10)
	local bytes = packet:getstring(off, len)
	local seq = u32(packet, l4 + 4)
	local key = flowkey(packet, family, l3, l4)
	local e = tracker:get(key, now)

	if e ~= nil and e.verdict ~= nil then
		if flags & F_HELLO == 0 or e.base == seq then
			return e.verdict	-- a decided connection
		end
		e = nil				-- the 4-tuple is reused
	end
	if flags & F_HELLO ~= 0 and (e == nil or e.base ~= seq) then
		local status, name = hello.parse(bytes)
		if status ~= "need" then
			local verdict = decide(now, status, name)
			if #bytes < (hello.length(bytes) or 0) then
				-- more segments follow: give them the same verdict
				tracker:settle(key, seq, verdict, now)
				sync()
			end
			return verdict
		end
		-- (the classifier hands over at least the record header)
		local need = hello.length(bytes) or MAX_HELLO
		if need > MAX_HELLO then
			need = MAX_HELLO
		end
		e = tracker:open(key, seq, need, now)
		tracker:add(e, seq, bytes)
		count("tracked")
		sync()
		return PASS
	end
	if e == nil then
		count("untracked")	-- decided from its first segment, or expired
		return PASS
	end

	local status, name = hello.parse(tracker:add(e, seq, bytes))
	if status == "need" then
		return PASS
	end
	local verdict = decide(now, status, name)
	tracker:settle(key, e.base, verdict, now)
	sync()
	return verdict
end

xdp.attach(filter)
