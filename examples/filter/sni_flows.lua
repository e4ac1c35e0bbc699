--
-- sni_flows.lua - ClientHellos in progress, per TCP connection, shared by
-- every CPU instance of the filter: the segments of one ClientHello may be
-- received on different CPUs, even at the same time.
--
--   flows = require("examples.filter.sni_flows").new(t, opt)
--       t: an rcu table (rcu.table()), shared through rcu.publish;
--       opt: {max =, ttl =, hold =, tries =}
--   verdict, outcome = flows:update(key, now, step)
--       run step(state) -> new state, verdict, outcome on the connection's
--       state (nil: none) until the new state is stored without a lost
--       update; nil, "race" after @tries conflicts, nil, "full" when a new
--       state cannot be stored
--   states (decoded): flows.partial(base, need, now, ttl),
--       flows.add(state, seq, bytes), flows.limit(state, need),
--       flows.prefix(state), flows.decided(base, verdict, now, life)
--
-- A state is an immutable snapshot in a data object (never changed once in
-- the table): a change builds a new one and swaps it in with rcu.cas, which
-- succeeds only if nobody changed the entry since it was read. Two CPUs
-- adding segments of one ClientHello at once: one swap wins, the other
-- reads the winner's state, adds its segment to it and tries again, so the
-- CPU whose segment completes the server name sees every other segment and
-- decides. No CPU waits for another; a CPU that loses @tries times in a row
-- gives up, and the caller applies its configured verdict (and counts it).
--
-- Layout (host byte order):
--   0 u8 kind (1 partial, 2 decided)   1 u8 verdict   2 u8 pieces
--   4 u32 base (TCP sequence number of the record start)
--   8 u32 need (bytes of the record to collect)   12 u32 life (s)
--   16 i64 time (ns, when the state began)
--   24 pieces: u32 offset from base, u16 length, the bytes
-- Pieces are kept sorted, disjoint and not touching; bytes already held win
-- over a retransmission's. At most MAX_PIECES; bytes past @need are ignored.
--
-- Bounds: @max connections (counted in the integer entry "#"; a sweep of
-- expired entries runs when it is reached); a partial state lives @ttl ns
-- from its first segment, a decided one for the life it was given.
--
local rcu = require("rcu")
local data = require("data")

local flows = {}
flows.__index = flows

local sub = string.sub

local PARTIAL, DECIDED = 1, 2
local HEADER = 24
local MAX_PIECES = 16
local COUNT = "#"	-- the entry counting connections (keys are longer)
local NS = 1000000000

function flows.new(t, opt)
	opt = opt or {}
	return setmetatable({
		t = t,
		max = opt.max or 4096,
		ttl = opt.ttl or 10 * NS,	-- a partial ClientHello: 10 s
		tries = opt.tries or 8,
	}, flows)
end

function flows.partial(base, need, now, ttl)
	return {kind = PARTIAL, verdict = 0, base = base, need = need,
		life = ttl // NS, time = now, pieces = {}}
end

function flows.decided(base, verdict, now, life)
	return {kind = DECIDED, verdict = verdict, base = base, need = 0,
		life = life // NS, time = now, pieces = {}}
end

-- @s collecting at most @need bytes (a new table if that is fewer)
function flows.limit(s, need)
	if need >= s.need then
		return s
	end
	return {kind = s.kind, verdict = s.verdict, base = s.base, need = need,
		life = s.life, time = s.time, pieces = s.pieces}
end

function flows.isdecided(s)
	return s.kind == DECIDED
end

local function encode(s)
	local size = HEADER
	for _, p in ipairs(s.pieces) do
		size = size + 6 + #p[2]
	end
	local d = data.new(size)
	d:setuint8(0, s.kind)
	d:setuint8(1, s.verdict)
	d:setuint8(2, #s.pieces)
	d:setuint32(4, s.base)
	d:setuint32(8, s.need)
	d:setuint32(12, s.life)
	d:setint64(16, s.time)
	local o = HEADER
	for _, p in ipairs(s.pieces) do
		d:setuint32(o, p[1])
		d:setuint16(o + 4, #p[2])
		d:setstring(o + 6, p[2])
		o = o + 6 + #p[2]
	end
	return d
end

-- nil for anything that is not a well-formed state (the table is shared
-- with every script of the namespace that subscribes to it)
local function decode(d)
	if #d < HEADER then
		return nil
	end
	local s = {kind = d:getuint8(0), verdict = d:getuint8(1),
		   base = d:getuint32(4), need = d:getuint32(8),
		   life = d:getuint32(12), time = d:getint64(16), pieces = {}}
	local o = HEADER
	for i = 1, d:getuint8(2) do
		if o + 6 > #d then
			return nil
		end
		local off, len = d:getuint32(o), d:getuint16(o + 4)
		if o + 6 + len > #d then
			return nil
		end
		s.pieces[i] = {off, d:getstring(o + 6, len)}
		o = o + 6 + len
	end
	return s
end

local function alive(s, now)
	return now - s.time < s.life * NS
end

-- Add the segment with sequence number @seq to the partial state @s (a new
-- table; @s is left as it was). Returns the new state, or nil when it would
-- need more than MAX_PIECES pieces; @s itself when nothing is new.
function flows.add(s, seq, bytes)
	local off = (seq - s.base) & 0xffffffff
	if off >= s.need then
		return s			-- past the record, or before it
	end
	if off + #bytes > s.need then
		bytes = sub(bytes, 1, s.need - off)
	end
	local stop = off + #bytes
	local pieces, placed, new = {}, false, false
	local cur			-- the piece being extended
	local function push(o, b)
		if cur ~= nil and o <= cur[1] + #cur[2] then
			local have = cur[1] + #cur[2]
			if o + #b > have then
				cur[2] = cur[2] .. sub(b, have - o + 1)
			end
		else
			cur = {o, b}
			pieces[#pieces + 1] = cur
		end
	end
	for _, p in ipairs(s.pieces) do
		if not placed and off < p[1] then
			placed = true
			push(off, bytes)
		end
		push(p[1], p[2])
	end
	if not placed then
		push(off, bytes)
	end
	-- new bytes: the total grew
	local before, after = 0, 0
	for _, p in ipairs(s.pieces) do before = before + #p[2] end
	for _, p in ipairs(pieces) do after = after + #p[2] end
	new = after > before
	if not new then
		return s
	end
	if #pieces > MAX_PIECES then
		return nil
	end
	return {kind = s.kind, verdict = s.verdict, base = s.base, need = s.need,
		life = s.life, time = s.time, pieces = pieces}
end

-- The bytes received without a gap from the record start.
function flows.prefix(s)
	local p = s.pieces[1]
	if p ~= nil and p[1] == 0 then
		return p[2]
	end
	return ""
end

-- Change the shared count of connections by @n.
function flows:counted(n)
	local t = self.t
	for _ = 1, self.tries * 4 do
		local c = t[COUNT]
		if rcu.cas(t, COUNT, c, (c or 0) + n) then
			return
		end
	end
end

-- Drop expired entries (returns how many) and reset the count to what is
-- left. Concurrent changes may make the count a little off; the next sweep
-- corrects it.
function flows:sweep(now)
	local t, live, dropped = self.t, 0, 0
	for key, d in pairs(t) do
		if key ~= COUNT then
			local s = decode(d)
			if s == nil or not alive(s, now) then
				if rcu.cas(t, key, d, nil) then
					dropped = dropped + 1
				end
			else
				live = live + 1
			end
		end
	end
	local c = t[COUNT]
	rcu.cas(t, COUNT, c, live)
	return dropped
end

-- See the top of the file. step(state) returns the state to store (nil:
-- remove the entry; the same table it got: no change), a verdict and an
-- outcome the caller acts on once the change is in.
function flows:update(key, now, step)
	local t = self.t
	for _ = 1, self.tries do
		local d = t[key]
		local s = d ~= nil and decode(d) or nil
		local expired = s ~= nil and not alive(s, now)
		if expired then
			s = nil
		end
		local new, verdict, outcome = step(s)
		if new ~= nil and new == s then
			return verdict, outcome		-- nothing to store
		end
		if d == nil and new ~= nil then
			local c = t[COUNT] or 0
			if c >= self.max then
				self.swept = (self.swept or 0) + self:sweep(now)
				c = t[COUNT] or 0
			end
			if c >= self.max then
				return nil, "full"
			end
		end
		if d == nil and new == nil then
			return verdict, outcome
		end
		if rcu.cas(t, key, d, new ~= nil and encode(new) or nil) then
			if d == nil then
				self:counted(1)
			elseif new == nil then
				self:counted(-1)
			end
			if expired then
				self.expired = (self.expired or 0) + 1
			end
			return verdict, outcome
		end
	end
	return nil, "race"
end

return flows
