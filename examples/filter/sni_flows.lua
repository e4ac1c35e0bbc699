--
-- sni_flows.lua - ClientHellos in progress, per TCP connection, in a table
-- of bounded size whose entries expire.
--
--   flows = require("examples.filter.sni_flows").new{max =, ttl =, hold =}
--   e = flows:open(key, seq, need, now)  start (or restart) a ClientHello
--   e = flows:get(key, now)              the live entry, or nil
--   prefix = flows:add(e, seq, bytes)    add a segment; the bytes received
--                                        without a gap from the record start
--   flows:settle(key, base, verdict, now) keep only the verdict (and the
--                                        record's seq), for @hold ns
--   flows.count, flows.evicted, flows.expired
--
-- Segments may arrive out of order, overlap and repeat: each one is placed
-- by its sequence number relative to the record start (mod 2^32), bytes
-- beyond @need are ignored, and out-of-order pieces wait (at most
-- MAX_PIECES per entry) until the gap before them is filled.
-- Bounds: @max entries; a full table first drops expired entries, then the
-- oldest one (counted in evicted). All times are ns (linux.time()).
--
local flows = {}
flows.__index = flows

local sub = string.sub

local MAX_PIECES = 32

function flows.new(opt)
	return setmetatable({
		max = opt.max or 256,
		ttl = opt.ttl or 10000000000,		-- a partial ClientHello: 10 s
		hold = opt.hold or 300000000000,	-- a verdict: 5 min of retransmissions
		entries = {},
		count = 0,
		evicted = 0,
		expired = 0,
	}, flows)
end

local function alive(e, now)
	return now - e.time < e.life
end

function flows:drop(key)
	if self.entries[key] ~= nil then
		self.entries[key] = nil
		self.count = self.count - 1
	end
end

-- Make room for one more entry.
function flows:reserve(now)
	if self.count < self.max then
		return
	end
	local oldest, otime
	for key, e in pairs(self.entries) do
		if not alive(e, now) then
			self:drop(key)
			self.expired = self.expired + 1
		elseif otime == nil or e.time < otime then
			oldest, otime = key, e.time
		end
	end
	if self.count >= self.max then
		self:drop(oldest)
		self.evicted = self.evicted + 1
	end
end

function flows:put(key, e, now)
	if self.entries[key] == nil then
		self:reserve(now)
		self.count = self.count + 1
	end
	self.entries[key] = e
	return e
end

function flows:get(key, now)
	local e = self.entries[key]
	if e ~= nil and not alive(e, now) then
		self:drop(key)
		self.expired = self.expired + 1
		return nil
	end
	return e
end

function flows:open(key, seq, need, now)
	return self:put(key, {
		base = seq, need = need, prefix = "", pieces = {}, npieces = 0,
		time = now, life = self.ttl,
	}, now)
end

function flows:settle(key, base, verdict, now)
	self:put(key, {base = base, verdict = verdict, time = now, life = self.hold}, now)
end

-- Absorb waiting pieces that now touch the prefix.
local function absorb(e)
	local progress = true
	while progress do
		progress = false
		for off, bytes in pairs(e.pieces) do
			local have = #e.prefix
			if off <= have then
				if off + #bytes > have then
					e.prefix = e.prefix .. sub(bytes, have - off + 1)
				end
				e.pieces[off] = nil
				e.npieces = e.npieces - 1
				progress = true
			end
		end
	end
end

function flows:add(e, seq, bytes)
	local off = (seq - e.base) & 0xffffffff
	if off >= e.need then
		return e.prefix			-- past the record, or before it
	end
	if off + #bytes > e.need then
		bytes = sub(bytes, 1, e.need - off)
	end
	local have = #e.prefix
	if off <= have then
		if off + #bytes > have then
			e.prefix = e.prefix .. sub(bytes, have - off + 1)
			absorb(e)
		end
	else
		local old = e.pieces[off]
		if old == nil and e.npieces < MAX_PIECES then
			e.npieces = e.npieces + 1
			e.pieces[off] = bytes
		elseif old ~= nil and #bytes > #old then
			e.pieces[off] = bytes
		end
	end
	return e.prefix
end

return flows
