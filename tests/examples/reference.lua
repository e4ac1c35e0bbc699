-- An independent model of dnsblock's decision, for the fuzz test: written
-- over a plain Lua string (string.byte, 1-based), names decoded to label
-- lists and matched label by label against blocked label lists, instead of
-- the scripts' data-object reader and presentation-form keys. Same rules
-- (RFC 1035 names, BIND's backward-only pointers, the scripts' documented
-- limits), so any difference in a verdict is a bug in one of the two.
local byte, sub = string.byte, string.sub

local ref = {}

local function u16(s, i)	-- i: 0-based offset
	local a, b = byte(s, i + 1, i + 2)
	return (a << 8) | b
end

local function lower(label)
	return (label:gsub("%a", function(c)
		local b = byte(c)
		return (b >= 65 and b <= 90) and string.char(b + 32) or c
	end))
end

-- labels of the name at off of message [m, stop), and the offset after it
local function name(s, m, stop, off, limit)
	local labels, floor, hops, wire, after = {}, off, 0, 1, nil
	while true do
		if off < m or off >= stop then return nil end
		local len = byte(s, off + 1)
		if len == 0 then
			return labels, after or off + 1
		elseif len >= 192 then
			if off + 2 > stop then return nil end
			local t = m + u16(s, off) - 0xc000
			hops = hops + 1
			if t >= floor or hops > 16 then return nil end
			after = after or off + 2
			off, floor = t, t
		elseif len >= 64 then
			return nil
		else
			wire = wire + len + 1
			if wire > 255 or off + 1 + len > stop then return nil end
			limit.n = limit.n - 1
			if limit.n < 0 then return nil end	-- 255 labels per packet
			labels[#labels + 1] = lower(sub(s, off + 2, off + 1 + len))
			off = off + 1 + len
		end
	end
end

local function under(labels, blocked)
	for _, b in ipairs(blocked) do
		local n, k = #labels, #b
		if k > 0 and n >= k then
			local same = true
			for i = 0, k - 1 do
				if labels[n - i] ~= b[k - i] then
					same = false
					break
				end
			end
			if same then return true end
		end
	end
	return false
end

-- "blocked", "allowed", "malformed" or "other" for one message
local function message(s, m, stop, blocked, limit)
	if stop - m < 12 then return "malformed" end
	local flags = u16(s, m + 2)
	if flags & 0x8000 ~= 0 or (flags >> 11) & 15 ~= 0 then return "other" end
	local qd = u16(s, m + 4)
	if qd > 8 then return "malformed" end
	local off = m + 12
	for _ = 1, qd do
		local labels, after = name(s, m, stop, off, limit)
		if labels == nil or after + 4 > stop then return "malformed" end
		if under(labels, blocked) then return "blocked" end
		off = after + 4
	end
	return "allowed"
end

--- Verdict for the IP packet at 0-based @l3 of @s.
function ref.verdict(s, l3, blocked)
	local size = #s
	if l3 >= size then return "other" end
	local v = byte(s, l3 + 1) >> 4
	local stop, th, proto, partial
	if v == 4 then
		if size - l3 < 20 then return "other" end
		local ihl = (byte(s, l3 + 1) & 15) * 4
		local total = u16(s, l3 + 2)
		if ihl < 20 or total < ihl or l3 + total > size then return "other" end
		local frag = u16(s, l3 + 6)
		if frag & 0x1fff ~= 0 then return "other" end
		stop, th, proto, partial = l3 + total, l3 + ihl, byte(s, l3 + 10), frag & 0x2000 ~= 0
	elseif v == 6 then
		if size - l3 < 40 then return "other" end
		local plen = u16(s, l3 + 4)
		if plen == 0 or l3 + 40 + plen > size then return "other" end
		stop = l3 + 40 + plen
		local nh, off, n = byte(s, l3 + 7), l3 + 40, 0
		partial = false
		while nh == 0 or nh == 43 or nh == 60 or nh == 44 or nh == 51 do
			n = n + 1
			if n > 8 or off + 8 > stop then return "other" end
			local len
			if nh == 44 then
				local fo = u16(s, off + 2)
				if fo >> 3 ~= 0 then return "other" end
				partial = partial or fo & 1 == 1
				len = 8
			elseif nh == 51 then
				len = (byte(s, off + 2) + 2) * 4
			else
				len = (byte(s, off + 2) + 1) * 8
			end
			if off + len > stop then return "other" end
			nh, off = byte(s, off + 1), off + len
		end
		th, proto = off, nh
	else
		return "other"
	end
	local msgs = {}
	if proto == 17 then
		if th + 8 > stop then return "other" end
		local ulen = u16(s, th + 4)
		if ulen < 8 then return "other" end
		if th + ulen <= stop then
			stop = th + ulen
		elseif not partial then
			return "other"
		end
		if u16(s, th + 2) ~= 53 then return "other" end
		msgs[1] = {th + 8, stop}
	elseif proto == 6 then
		if th + 20 > stop then return "other" end
		local doff = (byte(s, th + 13) >> 4) * 4
		if doff < 20 or th + doff > stop then return "other" end
		if u16(s, th + 2) ~= 53 then return "other" end
		local off = th + doff
		while #msgs < 4 and off + 2 <= stop do
			local m = off + 2
			local e = math.min(m + u16(s, off), stop)
			msgs[#msgs + 1] = {m, e}
			off = e
		end
	else
		return "other"
	end
	local verdict = "other"
	local limit = {n = 255}
	for _, m in ipairs(msgs) do
		local r = message(s, m[1], m[2], blocked, limit)
		if r == "blocked" then return r end
		if r == "malformed" or verdict == "other" then verdict = r end
	end
	return verdict
end

--- Where a hook that sees the link-layer header finds the IP header.
function ref.l3(s)
	local size = #s
	if size >= 34 then
		local et, l3 = u16(s, 12), 14
		if (et == 0x8100 or et == 0x88a8) and size >= 38 then
			et, l3 = u16(s, 16), 18
		end
		local want = et == 0x0800 and 4 or et == 0x86dd and 6 or nil
		if want and size - l3 >= 20 and byte(s, l3 + 1) >> 4 == want then
			local len = want == 4 and u16(s, l3 + 2) or u16(s, l3 + 4) + 40
			if len >= 20 and l3 + len <= size then return l3 end
		end
	end
	if size >= 20 then
		local v = byte(s, 1) >> 4
		local len = v == 4 and u16(s, 2) or v == 6 and u16(s, 4) + 40 or nil
		if len == size then return 0 end
	end
	return nil
end

return ref
