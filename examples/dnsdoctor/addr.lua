-- examples/dnsdoctor/addr.lua
--
-- IPv4 and IPv6 addresses and prefixes as the packet holds them: 4- or
-- 16-byte strings in network order, compared without conversion.
-- Integers only (the kernel's Lua).
local byte, char, find, match = string.byte, string.char, string.find, string.match

local addr = {}

--- "192.0.2.1" -> 4 bytes, or nil.
function addr.ip4(s)
	local a, b, c, d = match(s, "^(%d%d?%d?)%.(%d%d?%d?)%.(%d%d?%d?)%.(%d%d?%d?)$")
	if a == nil then
		return nil
	end
	a, b, c, d = tonumber(a), tonumber(b), tonumber(c), tonumber(d)
	if a > 255 or b > 255 or c > 255 or d > 255 then
		return nil
	end
	return char(a, b, c, d)
end

-- Append the 16-bit groups of "x:y:z" ("" has none) to @out; false when a
-- group is not 1 to 4 hex digits.
local function groups(part, out)
	if part == "" then
		return true
	end
	for g in string.gmatch(part .. ":", "([^:]*):") do
		if not match(g, "^%x%x?%x?%x?$") then
			return false
		end
		out[#out + 1] = tonumber(g, 16)
	end
	return true
end

--- "2001:db8::1", "::ffff:192.0.2.1" -> 16 bytes, or nil.
function addr.ip6(s)
	if #s > 45 then
		return nil
	end
	-- an IPv4 address in the last 32 bits becomes two hex groups
	local head, dotted = match(s, "^(.*:)([%d.]+)$")
	if head ~= nil and find(dotted, ".", 1, true) then
		local v4 = addr.ip4(dotted)
		if v4 == nil then
			return nil
		end
		local a, b, c, d = byte(v4, 1, 4)
		s = string.format("%s%x:%x", head, (a << 8) | b, (c << 8) | d)
	end
	local left, right = s, nil
	local i = find(s, "::", 1, true)
	if i ~= nil then
		left, right = s:sub(1, i - 1), s:sub(i + 2)
		if find(right, "::", 1, true) then
			return nil
		end
	end
	local l, r = {}, {}
	if not groups(left, l) or (right ~= nil and not groups(right, r)) then
		return nil
	end
	local n = #l + #r
	if (right == nil and n ~= 8) or (right ~= nil and n > 7) then
		return nil
	end
	local out = {}
	for _, g in ipairs(l) do
		out[#out + 1] = char(g >> 8, g & 0xff)
	end
	for _ = n + 1, 8 do
		out[#out + 1] = "\0\0"
	end
	for _, g in ipairs(r) do
		out[#out + 1] = char(g >> 8, g & 0xff)
	end
	return table.concat(out)
end

--- An address of either family: bytes, 4 or 6; or nil.
function addr.ip(s)
	local a = addr.ip4(s)
	if a ~= nil then
		return a, 4
	end
	a = addr.ip6(s)
	if a ~= nil then
		return a, 6
	end
	return nil
end

--- "10.1.1.0/24", "fd00::/64" or a bare address (a /32 or /128):
-- {net = bytes with the host bits cleared, bits = n}, or nil, error.
function addr.prefix(s)
	local a, bits = match(s, "^([^/]+)/(%d%d?%d?)$")
	a = a or s
	local net = addr.ip(a)
	if net == nil then
		return nil, "bad address '" .. a .. "'"
	end
	bits = bits and tonumber(bits) or #net * 8
	if bits > #net * 8 then
		return nil, "bad prefix length in '" .. s .. "'"
	end
	local full, rem = bits // 8, bits % 8
	local out = net:sub(1, full)
	if rem > 0 then
		out = out .. char(byte(net, full + 1) & ((0xff << (8 - rem)) & 0xff))
	end
	out = out .. string.rep("\0", #net - #out)
	return {net = out, bits = bits}
end

--- Whether address @a (bytes) is in prefix @p (same family only).
function addr.contains(p, a)
	local net, bits = p.net, p.bits
	if #a ~= #net then
		return false
	end
	local full, rem = bits // 8, bits % 8
	if a:sub(1, full) ~= net:sub(1, full) then
		return false
	end
	if rem == 0 then
		return true
	end
	local mask = (0xff << (8 - rem)) & 0xff
	return (byte(a, full + 1) & mask) == byte(net, full + 1)
end

--- Bytes back to text (IPv6 without "::" shortening; for logs).
function addr.format(a)
	if #a == 4 then
		return string.format("%d.%d.%d.%d", byte(a, 1, 4))
	end
	local g = {}
	for i = 1, #a - 1, 2 do
		g[#g + 1] = string.format("%x", (byte(a, i) << 8) | byte(a, i + 1))
	end
	return table.concat(g, ":")
end

return addr
