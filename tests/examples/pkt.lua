-- Packet builder and checksum reference for the example tests: IPv4 (with
-- options and fragments), IPv6 (with extension headers), UDP, TCP, Ethernet,
-- DNS messages with names, compression pointers and answers of any type.
-- The checksum here is the plain full sum (RFC 1071), written independently
-- of the incremental update the scripts do.
local byte, char, rep = string.byte, string.char, string.rep

local pkt = {}

local function be16(n)
	return char((n >> 8) & 0xff, n & 0xff)
end
pkt.be16 = be16

local function be32(n)
	return char((n >> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff)
end

--- "www.example.com" -> wire form ("" -> the root); @ptr: end the name
-- with a compression pointer to offset @ptr instead of the root label.
function pkt.name(s, ptr)
	local out = {}
	if s ~= "" then
		for label in (s .. "."):gmatch("([^.]*)%.") do
			out[#out + 1] = char(#label) .. label
		end
	end
	out[#out + 1] = ptr and be16(0xc000 | ptr) or "\0"
	return table.concat(out)
end

function pkt.ptr(off)
	return be16(0xc000 | off)
end

--- A DNS message. m = {id, flags, qd = {{name = wire, type, class}},
-- an = {{owner = wire, type, class, ttl, rdata}}, ns, ar (same as an)}.
function pkt.dns(m)
	local out = {be16(m.id or 0x1234), be16(m.flags or 0x0100),
		     be16(m.qdcount or #(m.qd or {})), be16(m.ancount or #(m.an or {})),
		     be16(#(m.ns or {})), be16(#(m.ar or {}))}
	for _, q in ipairs(m.qd or {}) do
		out[#out + 1] = q.name .. be16(q.type or 1) .. be16(q.class or 1)
	end
	for _, sec in ipairs({m.an or {}, m.ns or {}, m.ar or {}}) do
		for _, rr in ipairs(sec) do
			out[#out + 1] = rr.owner .. be16(rr.type or 1) ..
				be16(rr.class or 1) .. be32(rr.ttl or 300) ..
				be16(rr.rdlength or #rr.rdata) .. rr.rdata
		end
	end
	return table.concat(out)
end

--- One's-complement sum of @s as 16-bit big-endian words, folded.
function pkt.sum(s, acc)
	acc = acc or 0
	for i = 1, #s, 2 do
		acc = acc + ((byte(s, i) << 8) | (byte(s, i + 1) or 0))
	end
	while acc > 0xffff do
		acc = (acc & 0xffff) + (acc >> 16)
	end
	return acc
end

local function pseudo(src, dst, proto, len)
	if #src == 4 then
		return src .. dst .. "\0" .. char(proto) .. be16(len)
	end
	return src .. dst .. be32(len) .. "\0\0\0" .. char(proto)
end

--- Transport checksum of segment @l4 (its checksum field at @at, 1-based,
-- taken as 0) between @src and @dst.
function pkt.l4checksum(src, dst, proto, l4, at)
	local zeroed = l4:sub(1, at - 1) .. "\0\0" .. l4:sub(at + 2)
	local c = ~pkt.sum(zeroed, pkt.sum(pseudo(src, dst, proto, #l4))) & 0xffff
	if proto == 17 and c == 0 then
		c = 0xffff
	end
	return c
end

--- Sum over pseudo-header and segment as sent (checksum field included):
-- 0xffff when the checksum verifies.
function pkt.residual(src, dst, proto, l4)
	return pkt.sum(l4, pkt.sum(pseudo(src, dst, proto, #l4)))
end

function pkt.udp(src, dst, sport, dport, payload, opts)
	opts = opts or {}
	local len = opts.len or 8 + #payload
	local u = be16(sport) .. be16(dport) .. be16(len) .. "\0\0" .. payload
	local c = opts.csum or pkt.l4checksum(src, dst, 17, u, 7)
	return u:sub(1, 6) .. be16(c) .. u:sub(9)
end

function pkt.tcp(src, dst, sport, dport, payload, opts)
	opts = opts or {}
	local options = opts.options or ""
	local doff = (20 + #options) // 4
	local t = be16(sport) .. be16(dport) .. be32(1) .. be32(0) ..
		char(doff << 4, 0x18) .. be16(65535) .. "\0\0\0\0" .. options .. payload
	local c = opts.csum or pkt.l4checksum(src, dst, 6, t, 17)
	return t:sub(1, 16) .. be16(c) .. t:sub(19)
end

--- DNS over TCP: each message with its 2-byte length.
function pkt.tcpdns(...)
	local out = {}
	for _, m in ipairs({...}) do
		out[#out + 1] = be16(#m) .. m
	end
	return table.concat(out)
end

function pkt.ipv4(src, dst, proto, l4, opts)
	opts = opts or {}
	local options = opts.options or ""
	local ihl = (20 + #options) // 4
	local total = opts.total or 20 + #options + #l4
	local h = char(0x40 | ihl, 0) .. be16(total) .. be16(1) ..
		be16(opts.frag or 0) .. char(64, proto) .. "\0\0" .. src .. dst .. options
	h = h:sub(1, 10) .. be16(~pkt.sum(h) & 0xffff) .. h:sub(13)
	return h .. l4
end

--- @ext: list of {type = 0|43|60|44|51, body = bytes} before the transport.
function pkt.ipv6(src, dst, proto, l4, opts)
	opts = opts or {}
	local ext = opts.ext or {}
	local hdrs = {}
	for i, e in ipairs(ext) do
		local nh = ext[i + 1] and ext[i + 1].type or proto
		hdrs[#hdrs + 1] = char(nh) .. e.body
	end
	local first = ext[1] and ext[1].type or proto
	local payload = table.concat(hdrs) .. l4
	return char(0x60, 0, 0, 0) .. be16(opts.plen or #payload) ..
		char(first, 64) .. src .. dst .. payload
end

--- An IPv6 extension header body (after its next-header byte) of @units
-- 8-byte units: hop-by-hop / routing / destination options.
function pkt.ext(units)
	return char(units - 1) .. rep("\1", units * 8 - 2)
end

function pkt.eth(l3, ethertype)
	return rep("\2", 6) .. rep("\4", 6) .. be16(ethertype) .. l3
end

return pkt
