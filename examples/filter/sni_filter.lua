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
--                           tracked, early (tracked from a segment that
--                           overtook the first), untracked, expired, race,
--                           full, pieces, logdropped
--   "sni_filter/flows"      ClientHellos in progress (sni_flows.lua)
--   "sni_filter/config"     settings, read per packet (xdp.action values):
--                           race  verdict of a segment whose connection state
--                                 could not be updated (CPUs kept racing on
--                                 it): DROP by default (TCP resends it, and it
--                                 is judged again)
--                           full  verdict of the first segment of a split
--                                 ClientHello when `max` connections are
--                                 already followed: PASS by default (counted
--                                 in full; DROP makes clients retry later)
--                           pieces  verdict of a segment that would leave
--                                 more than 16 gaps: DROP (resent later)
--                           max   connections followed at once (4096), read
--                                 when the script loads
--
-- A split ClientHello: segments pass until the one that completes the
-- server name, which is dropped when the name is blocked; the connection's
-- later segments and retransmissions are then dropped for `hold` (15 min,
-- about as long as TCP resends: the server never gets a whole ClientHello,
-- so the handshake cannot finish). The segments of one ClientHello may be
-- received on any CPUs, in any order after its first, repeated: the state
-- of each connection is shared by all CPU instances and updated without a
-- lost update (see sni_flows.lua), so the segment completing the name is
-- judged on whichever CPU receives it. A segment that overtakes the first
-- one (the classifier follows connections from their SYN and flags it
-- early, with the record start) is held until the gap fills. Limits
-- (counted): `max` connections followed at once; a ClientHello spread over
-- several TLS records is judged from its first record; a connection whose
-- SYN the classifier did not see (opened before it was attached, or
-- evicted from its table) is followed from its first segment only.
--
local xdp       = require("xdp")
local linux     = require("linux")
local rcu       = require("rcu")
local hello     = require("examples.filter.sni_hello")
local blocklist = require("examples.filter.sni_blocklist")
local flows     = require("examples.filter.sni_flows")

local action = xdp.action
local PASS, DROP = action.PASS, action.DROP

local ARG_SIZE  = 12		-- struct preclass_arg, up to its flags
local ARG_START = 12		-- ... its record start (sequence number)
local F_HELLO   = 0x01
local F_EARLY   = 0x08	-- a segment that overtook the record's first one
local MAX_HELLO = 16384 + 5	-- as the classifier tracks
local LOG_PER_SECOND = 10

local list = blocklist.open("sni_filter/blocklist")

local function shared(name, size)
	local t = rcu.subscribe(name)
	if t == nil then
		t = rcu.table(size)
		rcu.publish(name, t)
		-- another instance may have published first: use the one published
		t = rcu.subscribe(name)
	end
	return t
end

local stats = shared("sni_filter/stats", 16)
local config = shared("sni_filter/config", 16)
local function setting(what, default)
	local v = config[what]
	if type(v) == "number" then
		return v
	end
	return default
end

local tracker = flows.new(shared("sni_filter/flows", 1024),
			  {max = setting("max", 4096)})
local HOLD = 900 * 1000000000		-- a blocked connection's verdict

-- counters are updated by every CPU: add with rcu.cas, so none is lost
local function count(what, n)
	for _ = 1, 16 do
		local c = stats[what]
		if rcu.cas(stats, what, c, (c or 0) + (n or 1)) then
			return
		end
	end
end

-- the tracker's sweeps and lazy expiries move to the shared counters
local function sync()
	local n = (tracker.swept or 0) + (tracker.expired or 0)
	if n > 0 then
		tracker.swept, tracker.expired = 0, 0
		count("expired", n)
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

-- The verdict on a ClientHello parsed as @status, @name; what to count.
local function judge(status, name)
	if status == "sni" then
		name = blocklist.normalize(name)
		local entry = blocklist.match(list, name)
		if entry ~= nil then
			return DROP, "blocked", name, entry
		end
		return PASS, "allowed"
	elseif status == "none" then
		return PASS, "nosni"
	end
	return PASS, "malformed"
end

local function report(now, what, name, entry)
	count(what)
	if what == "blocked" then
		log(now, "drop %s (%s)", name, entry)
	end
end

local function decide(now, status, name)
	local verdict, what, n, entry = judge(status, name)
	report(now, what, n, entry)
	return verdict
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

-- The step (see flows:update) that adds the segment @seq, @bytes to the
-- connection's state @s and judges what it then holds. @hello_start: the
-- segment starts a ClientHello record (@need bytes long); @early: the
-- record start of a segment that came before it (nil otherwise).
local function step(now, seq, bytes, hello_start, need, early)
	return function(s)
		if s ~= nil and flows.isdecided(s) then
			if not hello_start or s.base == seq then
				return s, s.verdict		-- a decided connection
			end
			s = nil				-- the 4-tuple is reused
		end
		if hello_start and (s == nil or s.base ~= seq) then
			s = flows.partial(seq, need, now, tracker.ttl)
		elseif hello_start then
			s = flows.limit(s, need)	-- its length is known now
		elseif s == nil and early ~= nil then
			s = flows.partial(early, MAX_HELLO, now, tracker.ttl)
			s.early = true
		elseif s == nil then
			return nil, PASS, "untracked"	-- decided from its first
							-- segment, or expired
		end
		local new = flows.add(s, seq, bytes)
		if new == nil then
			return s, setting("pieces", DROP), "pieces"
		end
		local status, name = hello.parse(flows.prefix(new))
		if status == "need" then
			if s.pieces[1] ~= nil then
				return new, PASS
			end
			return new, PASS, s.early and "early" or "tracked"
		end
		local verdict, what, n, entry = judge(status, name)
		local life = verdict == DROP and HOLD or tracker.ttl
		return flows.decided(new.base, verdict, now, life), verdict,
		       {what, n, entry}
	end
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
	local start = flags & F_HELLO ~= 0
	local need = 0
	local early = nil
	if flags & F_EARLY ~= 0 and #argument >= ARG_START + 4 then
		early = u32(argument, ARG_START)
	end

	if start then
		local status, name = hello.parse(bytes)
		need = hello.length(bytes) or MAX_HELLO
		if need > MAX_HELLO then
			need = MAX_HELLO
		end
		-- whole in this segment, and nothing to follow: no state needed
		-- (a retransmission is judged again)
		if status ~= "need" and #bytes >= need then
			return decide(now, status, name)
		end
	end

	local key = flowkey(packet, family, l3, l4)
	local verdict, outcome = tracker:update(key, now,
						step(now, seq, bytes, start, need, early))
	sync()
	if verdict == nil then			-- "race" or "full"
		count(outcome)
		return setting(outcome, outcome == "full" and PASS or DROP)
	end
	if type(outcome) == "table" then
		report(now, outcome[1], outcome[2], outcome[3])
	elseif outcome ~= nil then
		count(outcome)
	end
	return verdict
end

xdp.attach(filter)
