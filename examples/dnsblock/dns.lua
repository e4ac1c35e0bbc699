-- examples/dnsblock/dns.lua
--
-- Reading DNS messages out of IPv4/IPv6 packets held by a `data` object,
-- shared by the dnsblock and dnsdoctor examples.
--
-- Every offset is checked against the packet (and the message) before it is
-- read: a packet can never make the reader touch a byte outside it. That
-- matters twice over in a hook: the data object raises on an out-of-bounds
-- access, and a raise is the hook's default verdict, not a decision. So a
-- malformed packet is an ordinary answer here, nil plus a reason
-- (dns.MALFORMED), never an error.
--
-- Bounds that keep the work per packet small whatever the packet says:
-- 255 wire octets per name and 16 compression pointers per name (RFC 1035
-- §3.1, §4.1.4), 8 IPv6 extension headers, 4 DNS messages per TCP segment.
--
-- Integers only (the kernel's Lua): no floats, `//` for division.
local linux = require("linux")

local ntoh16 = linux.ntoh16
local concat = table.concat
local find, gsub, sub = string.find, string.gsub, string.sub

local dns = {}

dns.PORT = 53
dns.UDP = 17
dns.TCP = 6
dns.A = 1
dns.CNAME = 5
dns.AAAA = 28
dns.IN = 1

-- reasons returned with nil
dns.MALFORMED = "malformed"
dns.FRAGMENT = "fragment"	-- a later IP fragment: no transport header in it
dns.NOTIP = "not ip"
dns.OTHER = "other"		-- a transport we do not read

local MALFORMED = dns.MALFORMED
local MAXNAME = 255
local MAXHOPS = 16
local MAXEXT = 8
local MAXTCPMSG = 4

local function u16(d, off)
	return ntoh16(d:getuint16(off))
end
dns.u16 = u16

-- ------------------------------------------------------------- names

-- RFC 4343: DNS compares names ignoring the case of ASCII letters only, so
-- lower A-Z and nothing else (C's tolower may also fold Latin-1 bytes).
local lowerof = {}
for c = 65, 90 do
	lowerof[string.char(c)] = string.char(c + 32)
end

local function asciilower(s)
	if find(s, "[A-Z]") then
		s = gsub(s, "[A-Z]", lowerof)
	end
	return s
end
dns.lower = asciilower

-- A label's bytes in presentation form: "." and "\" inside a label are
-- escaped, so the label "a.b" never reads like the two labels "a" and "b".
local function presentation(label)
	if find(label, ".", 1, true) or find(label, "\\", 1, true) then
		label = gsub(label, "[.\\]", "\\%0")
	end
	return label
end

--- Normalize a name given by a user: ASCII lowercase, without the final
-- dot. Escapes ("\.") are kept as written.
function dns.normalize(name)
	name = asciilower(name)
	if sub(name, -1) == "." and sub(name, -2) ~= "\\." then
		name = sub(name, 1, -2)
	end
	return name
end

-- One label of @limit ({n}, or nil: no limit) spent; false when none is left.
local function spend(limit)
	if limit == nil then
		return true
	end
	local left = limit[1] - 1
	if left < 0 then
		return false
	end
	limit[1] = left
	return true
end

--- Decode the name at @off of the message [@m, @stop).
-- Returns name, starts, after: the name in lowercase presentation form
-- without the final dot ("" for the root), the position in it where each
-- label begins, and the offset right after the name where it was found
-- (after its first compression pointer). On a malformed name: nil, reason.
--
-- A compression pointer must point before everything this name has read so
-- far (BIND's rule): pointers can then only move backwards, so no loop is
-- possible, and 16 hops are plenty for any real message.
--
-- @limit (optional): {n}, labels the caller still lets this packet decode;
-- each label takes one, and running out makes the name malformed. Pointers
-- let a 100-byte packet name 127 labels per question, so the work per
-- packet is bounded by the caller, not by the packet's size.
function dns.name(d, m, stop, off, limit)
	local labels, starts = {}, {}
	local n, pos, wire, hops = 0, 1, 1, 0
	local floor = off
	local after, escape

	while true do
		if off < m or off >= stop then
			return nil, MALFORMED
		end
		local len = d:getbyte(off)
		if len == 0 then
			after = after or off + 1
			break
		elseif len >= 0xc0 then
			if stop - off < 2 then
				return nil, MALFORMED
			end
			local target = m + (((len & 0x3f) << 8) | d:getbyte(off + 1))
			hops = hops + 1
			if target >= floor or hops > MAXHOPS then
				return nil, MALFORMED
			end
			after = after or off + 2
			off, floor = target, target
		elseif len > 63 then
			-- 0x40 and 0x80: extended label types, never deployed
			return nil, MALFORMED
		else
			wire = wire + len + 1
			if wire > MAXNAME or stop - off - 1 < len then
				return nil, MALFORMED
			end
			if not spend(limit) then
				return nil, MALFORMED
			end
			local label = d:getstring(off + 1, len)
			escape = escape or find(label, "[.\\]") ~= nil
			n = n + 1
			labels[n], starts[n] = label, pos
			pos = pos + len + 1
			off = off + 1 + len
		end
	end
	if escape then
		pos = 1
		for i = 1, n do
			labels[i] = presentation(labels[i])
			starts[i] = pos
			pos = pos + #labels[i] + 1
		end
	end
	return asciilower(concat(labels, ".")), starts, after
end

--- The offset right after the name at @off, without decoding it (its
-- labels are not read, its pointer not followed): for stepping over names
-- nobody looks at. nil, reason when it runs past @stop or is not a name.
-- @limit as for dns.name.
function dns.skipname(d, m, stop, off, limit)
	local wire = 1
	while true do
		if off < m or off >= stop then
			return nil, MALFORMED
		end
		local len = d:getbyte(off)
		if len == 0 then
			return off + 1
		elseif len >= 0xc0 then
			if stop - off < 2 then
				return nil, MALFORMED
			end
			return off + 2
		elseif len > 63 then
			return nil, MALFORMED
		end
		wire = wire + len + 1
		if wire > MAXNAME then
			return nil, MALFORMED
		end
		if not spend(limit) then
			return nil, MALFORMED
		end
		off = off + 1 + len
	end
end

--- The first of @name's suffixes made of whole labels ("a.example.com",
-- "example.com", "com") that @set maps to a true value, or nil. @set is
-- anything indexable by string: a Lua table or an rcu.table (whose keys
-- hold at most 255 bytes; longer keys cannot be in it).
function dns.suffix(name, starts, set)
	for i = 1, #starts do
		local key = i == 1 and name or sub(name, starts[i])
		if #key <= 255 and set[key] then
			return key
		end
	end
	return nil
end

--- The question at @off: name, starts, qtype, qclass, next offset
-- (@limit as for dns.name).
function dns.question(d, m, stop, off, limit)
	local name, starts, after = dns.name(d, m, stop, off, limit)
	if name == nil or stop - after < 4 then
		return nil, MALFORMED
	end
	return name, starts, u16(d, after), u16(d, after + 2), after + 4
end

--- The header of the message [@m, @stop) as a table, or nil, reason.
function dns.header(d, m, stop)
	if stop - m < 12 then
		return nil, MALFORMED
	end
	local flags = u16(d, m + 2)
	return {
		id = u16(d, m),
		qr = (flags & 0x8000) ~= 0,
		opcode = (flags >> 11) & 0xf,
		tc = (flags & 0x0200) ~= 0,
		rcode = flags & 0xf,
		qd = u16(d, m + 4),
		an = u16(d, m + 6),
		ns = u16(d, m + 8),
		ar = u16(d, m + 10),
	}
end

-- --------------------------------------------------------- IP and L4

-- UDP or TCP header at p.th within [p.l3, p.stop).
local function transport(d, p)
	local th, stop = p.th, p.stop
	if p.proto == dns.UDP then
		if stop - th < 8 then
			return nil, MALFORMED
		end
		local ulen = u16(d, th + 4)
		if ulen < 8 then
			return nil, MALFORMED
		end
		if ulen <= stop - th then
			-- the whole datagram is here; bytes after it are padding
			p.stop, p.partial = th + ulen, false
		elseif not p.partial then
			return nil, MALFORMED
		end
		p.payload = th + 8
	elseif p.proto == dns.TCP then
		if stop - th < 20 then
			return nil, MALFORMED
		end
		local doff = (d:getbyte(th + 12) >> 4) * 4
		if doff < 20 or doff > stop - th then
			return nil, MALFORMED
		end
		p.payload = th + doff
	else
		return nil, dns.OTHER
	end
	p.sport, p.dport = u16(d, th), u16(d, th + 2)
	return p
end

local function ipv4(d, l3, size)
	if size - l3 < 20 then
		return nil, MALFORMED
	end
	local ihl = (d:getbyte(l3) & 0x0f) * 4
	local total = u16(d, l3 + 2)
	-- a packet longer than what we hold is one we cannot judge whole
	if ihl < 20 or total < ihl or total > size - l3 then
		return nil, MALFORMED
	end
	local frag = u16(d, l3 + 6)
	if frag & 0x1fff ~= 0 then
		return nil, dns.FRAGMENT
	end
	return transport(d, {
		family = 4, l3 = l3, stop = l3 + total, th = l3 + ihl,
		proto = d:getbyte(l3 + 9),
		src = d:getstring(l3 + 12, 4), dst = d:getstring(l3 + 16, 4),
		fragment = (frag & 0x2000) ~= 0,	-- first of several
		partial = (frag & 0x2000) ~= 0,
	})
end

-- IPv6 extension headers walked to reach the transport: hop-by-hop (0),
-- routing (43), destination options (60), fragment (44), AH (51).
local function ipv6(d, l3, size)
	if size - l3 < 40 then
		return nil, MALFORMED
	end
	local plen = u16(d, l3 + 4)
	-- 0 is a jumbogram (RFC 2675), not something DNS sends
	if plen == 0 or plen > size - l3 - 40 then
		return nil, MALFORMED
	end
	local stop = l3 + 40 + plen
	local nh, off = d:getbyte(l3 + 6), l3 + 40
	local partial = false
	for _ = 1, MAXEXT + 1 do
		if nh ~= 0 and nh ~= 43 and nh ~= 60 and nh ~= 44 and nh ~= 51 then
			break
		end
		if _ > MAXEXT or stop - off < 8 then
			return nil, MALFORMED
		end
		local next, len = d:getbyte(off), d:getbyte(off + 1)
		if nh == 44 then
			local fo = u16(d, off + 2)
			if fo & 0xfff8 ~= 0 then
				return nil, dns.FRAGMENT
			end
			partial = partial or (fo & 1) ~= 0
			len = 8
		elseif nh == 51 then
			len = (len + 2) * 4
		else
			len = (len + 1) * 8
		end
		if len > stop - off then
			return nil, MALFORMED
		end
		nh, off = next, off + len
	end
	return transport(d, {
		family = 6, l3 = l3, stop = stop, th = off, proto = nh,
		src = d:getstring(l3 + 8, 16), dst = d:getstring(l3 + 24, 16),
		fragment = partial, partial = partial,
	})
end

--- Read the IP and transport headers of the packet whose network header is
-- at @l3 in @d. Returns a table p:
--   family 4|6, l3, src, dst (addresses as 4- or 16-byte strings),
--   proto (dns.UDP|dns.TCP), th (transport offset), sport, dport,
--   payload (first byte after the transport header),
--   stop (end of the datagram/segment, exclusive),
--   fragment (true: the first of several IP fragments),
--   partial (true: a first fragment whose datagram goes on elsewhere;
--   false when its UDP length says the datagram is all here)
-- or nil and a reason (dns.NOTIP, dns.MALFORMED, dns.FRAGMENT, dns.OTHER).
function dns.packet(d, l3)
	local size = #d
	if l3 < 0 or l3 >= size then
		return nil, dns.NOTIP
	end
	local version = d:getbyte(l3) >> 4
	if version == 4 then
		return ipv4(d, l3, size)
	elseif version == 6 then
		return ipv6(d, l3, size)
	end
	return nil, dns.NOTIP
end

--- Iterate over the DNS messages of packet p:
--   for m, stop, whole in dns.messages(d, p) do ... end
-- UDP: one message, the payload (whole = false in a first fragment).
-- TCP: each message begins with its 2-byte length (RFC 1035 §4.2.2); up to
-- 4 from the start of the segment, the last one possibly cut by the
-- segment's end (whole = false). A segment that continues a message from
-- an earlier one is not recognized as such: streams are not reassembled.
function dns.messages(d, p)
	if p.proto == dns.UDP then
		local done = false
		return function()
			if done then
				return nil
			end
			done = true
			return p.payload, p.stop, not p.partial
		end
	end
	local off, n = p.payload, 0
	return function()
		if n >= MAXTCPMSG or p.stop - off < 2 then
			return nil
		end
		n = n + 1
		local len = u16(d, off)
		local m = off + 2
		if len <= p.stop - m then
			off = m + len
			return m, off, true
		end
		off = p.stop
		return m, off, false
	end
end

-- ------------------------------------------------ link-layer offsets

-- Ethernet types of IPv4 and IPv6
local ETH_IP = {[0x0800] = 4, [0x86dd] = 6}

-- Length of the IP packet at @l3 as its header says, or nil.
local function iplen(d, l3, version)
	if version == 4 then
		return u16(d, l3 + 2)
	elseif version == 6 then
		return u16(d, l3 + 4) + 40
	end
	return nil
end

--- Offset of the network header in a data object that starts at the
-- link-layer header when the packet had one (netfilter: PRE_ROUTING,
-- LOCAL_IN, FORWARD on Ethernet devices). Ethernet with up to one VLAN tag
-- is recognized by its type; a packet whose IP header sits at 0 (a device
-- without link-layer header: tunnels, raw IP) is accepted when its version
-- and length say so. nil when neither fits.
function dns.l3offset(d)
	local size = #d
	if size >= 34 then
		local etype = u16(d, 12)
		local l3 = 14
		if (etype == 0x8100 or etype == 0x88a8) and size >= 38 then
			etype, l3 = u16(d, 16), 18
		end
		local version = ETH_IP[etype]
		if version ~= nil and size - l3 >= 20 and
		   d:getbyte(l3) >> 4 == version then
			local len = iplen(d, l3, version)
			if len >= 20 and len <= size - l3 then
				return l3
			end
		end
	end
	if size >= 20 and iplen(d, 0, d:getbyte(0) >> 4) == size then
		return 0
	end
	return nil
end

return dns
