-- examples/dnsdoctor/doctor.lua
--
-- What the netfilter and the xtables dnsdoctor share: rules, the walk over
-- a DNS response's answers, and the rewrite with its checksum fix.
--
-- A rule: rewrite the A and/or AAAA answers whose owner is exactly @name
-- (case-insensitive) in responses going to a client in one of @clients
-- (all clients when there are none):
--   {name = "lunatik.com", a = "10.1.2.3", aaaa = "fd00::3",
--    clients = {"10.1.1.0/24", "fd00:1::/64"}}
--
-- The walk reads the whole answer section before writing anything: it
-- steps over the question names and every answer's owner, type, class and
-- RDLENGTH, so records of other types and sizes are stepped over correctly;
-- the owner of an A/AAAA record is decoded (compression pointers followed)
-- and compared with the rules. A response that does not parse is left
-- untouched. Only an A record with RDLENGTH 4 and an AAAA record with
-- RDLENGTH 16, class IN, are rewritten, in place: the packet's length
-- never changes and nothing is written outside the RDATA and the checksum.
--
-- The UDP (or TCP) checksum is updated incrementally (RFC 1624, eqn. 3) over
-- the 16-bit words the change touches, aligned on the transport header (an
-- RDATA may start at an odd offset). A UDP checksum computed as 0 is sent as
-- 0xFFFF (RFC 768; for IPv6, where it is mandatory, 0 would be dropped); an
-- IPv4 UDP datagram sent without checksum (0) keeps 0.
local dns = require("examples.dnsblock.dns")
local addr = require("examples.dnsdoctor.addr")
local linux = require("linux")

local u16, hton16 = dns.u16, linux.hton16
local byte = string.byte

local doctor = {}

doctor.MAXRR = 64	-- answer records walked per message
doctor.MAXQD = 8
doctor.MAXLABELS = 512	-- labels stepped over or decoded per packet

-- outcomes, also counter names
doctor.REWRITTEN = "rewritten"	-- at least one address written
doctor.UNCHANGED = "unchanged"	-- a response for a client, nothing to change
doctor.MALFORMED = "malformed"
doctor.OTHER = "other"		-- not a DNS response for a configured client

--- Check and compile a list of rules; nil, error when one is wrong.
function doctor.compile(rules)
	local out = {}
	for i, r in ipairs(rules) do
		local function bad(what)
			return nil, string.format("rule %d: %s", i, what)
		end
		if type(r.name) ~= "string" or r.name == "" then
			return bad("name missing")
		end
		local c = {name = dns.normalize(r.name), clients = {}}
		if r.a ~= nil then
			c.a = addr.ip4(r.a)
			if c.a == nil then
				return bad("a: not an IPv4 address: " .. tostring(r.a))
			end
		end
		if r.aaaa ~= nil then
			c.aaaa = addr.ip6(r.aaaa)
			if c.aaaa == nil then
				return bad("aaaa: not an IPv6 address: " .. tostring(r.aaaa))
			end
		end
		if c.a == nil and c.aaaa == nil then
			return bad("neither a nor aaaa given")
		end
		for _, s in ipairs(r.clients or {}) do
			local p, err = addr.prefix(s)
			if p == nil then
				return bad("clients: " .. err)
			end
			c.clients[#c.clients + 1] = p
		end
		out[#out + 1] = c
	end
	return out
end

-- The rules that apply to a response going to @dst, by name; nil if none.
local function forclient(rules, dst)
	local byname
	for _, r in ipairs(rules) do
		local ok = #r.clients == 0
		for _, p in ipairs(r.clients) do
			if ok then
				break
			end
			ok = addr.contains(p, dst)
		end
		if ok then
			byname = byname or {}
			byname[r.name] = byname[r.name] or r
		end
	end
	return byname
end

-- Walk the response [m, stop): the list of {offset, new bytes} to write,
-- or nil, outcome.
local function collect(d, m, stop, byname, limit)
	local h = dns.header(d, m, stop)
	if h == nil then
		return nil, doctor.MALFORMED
	end
	if not h.qr or h.opcode ~= 0 then
		return nil, doctor.OTHER
	end
	if h.qd > doctor.MAXQD then
		return nil, doctor.MALFORMED
	end
	local off = m + 12
	for _ = 1, h.qd do
		off = dns.skipname(d, m, stop, off, limit)
		if off == nil or stop - off < 4 then
			return nil, doctor.MALFORMED
		end
		off = off + 4
	end
	-- An owner is decoded only for a record that could be rewritten; most
	-- owners are pointers to the question, decoded once per target.
	local names = {}
	local edits = {}
	for _ = 1, math.min(h.an, doctor.MAXRR) do
		local after = dns.skipname(d, m, stop, off, limit)
		if after == nil or stop - after < 10 then
			return nil, doctor.MALFORMED
		end
		local rtype, rclass = u16(d, after), u16(d, after + 2)
		local rdlen, rdata = u16(d, after + 8), after + 10
		if rdlen > stop - rdata then
			return nil, doctor.MALFORMED
		end
		local new
		if rclass == dns.IN and (rtype == dns.A and rdlen == 4 or
					 rtype == dns.AAAA and rdlen == 16) then
			local name
			if d:getbyte(off) >= 0xc0 then
				local ptr = u16(d, off)
				name = names[ptr] or dns.name(d, m, stop, off, limit)
				names[ptr] = name
			else
				name = dns.name(d, m, stop, off, limit)
			end
			if name == nil then
				return nil, doctor.MALFORMED
			end
			local rule = byname[name]
			if rule ~= nil then
				new = rtype == dns.A and rule.a or rule.aaaa
			end
		end
		if new ~= nil then
			edits[#edits + 1] = {rdata, new}
		end
		off = rdata + rdlen
	end
	return edits
end

-- Sum of the 16-bit big-endian words of @s (a last odd byte padded with 0),
-- each complemented when @neg.
local function words(s, neg)
	local sum = 0
	for i = 1, #s, 2 do
		local w = (byte(s, i) << 8) | (byte(s, i + 1) or 0)
		sum = sum + (neg and (~w & 0xffff) or w)
	end
	return sum
end

-- Write @new at @pos and return what the change adds to the complemented
-- checksum: ~old words + new words over the span widened to whole words
-- (counted from the transport header at @th; a word past the end @stop is
-- padding, 0).
local function write(d, th, stop, pos, new)
	local first, last = pos, pos + #new
	local pre, post = "", ""
	if (first - th) % 2 == 1 then
		first = first - 1
		pre = d:getstring(first, 1)
	end
	if (last - th) % 2 == 1 and last < stop then
		post = d:getstring(last, 1)
	end
	local old = d:getstring(first, last + #post - first)
	d:setstring(pos, new)
	return words(old, true) + words(pre .. new .. post, false)
end

-- Apply @edits to packet p; the number of addresses changed.
local function apply(d, p, edits)
	local udp = p.proto == dns.UDP
	local csum = p.th + (udp and 6 or 16)
	local old = u16(d, csum)
	local nocsum = udp and p.family == 4 and old == 0
	local acc = ~old & 0xffff
	local n = 0
	for _, e in ipairs(edits) do
		local pos, new = e[1], e[2]
		if d:getstring(pos, #new) ~= new then
			acc = acc + write(d, p.th, p.stop, pos, new)
			n = n + 1
		end
	end
	if n > 0 and not nocsum then
		while acc > 0xffff do
			acc = (acc & 0xffff) + (acc >> 16)
		end
		local sum = ~acc & 0xffff
		if udp and sum == 0 then
			sum = 0xffff
		end
		d:setuint16(csum, hton16(sum))
	end
	return n
end

--- Rewrite the response whose network header is at @l3 following @rules
-- (from doctor.compile). Returns an outcome and the number of addresses
-- written.
function doctor.rewrite(d, l3, rules)
	local p = dns.packet(d, l3)
	-- a fragment's checksum covers bytes we do not have: leave it be
	if p == nil or p.sport ~= dns.PORT or p.fragment then
		return doctor.OTHER, 0
	end
	local byname = forclient(rules, p.dst)
	if byname == nil then
		return doctor.OTHER, 0
	end
	local outcome, total = doctor.OTHER, 0
	local limit = {doctor.MAXLABELS}
	for m, stop, whole in dns.messages(d, p) do
		if not whole then
			break
		end
		local edits, why = collect(d, m, stop, byname, limit)
		if edits == nil then
			if why == doctor.MALFORMED then
				outcome = why
			end
		else
			total = total + apply(d, p, edits)
			if outcome == doctor.OTHER then
				outcome = doctor.UNCHANGED
			end
		end
	end
	if total > 0 then
		outcome = doctor.REWRITTEN
	end
	return outcome, total
end

--- Per-rule arguments of the xtables target, as text:
--   "name=lunatik.com a=10.1.2.3 aaaa=fd00::3 client=10.1.1.0/24 ..."
-- -> compiled rules (one rule), or nil, error.
function doctor.parseargs(text)
	local r = {clients = {}}
	for word in string.gmatch(text, "%S+") do
		local k, v = string.match(word, "^(%a+)=(.+)$")
		if k == "client" then
			r.clients[#r.clients + 1] = v
		elseif (k == "name" or k == "a" or k == "aaaa") and r[k] == nil then
			r[k] = v
		else
			return nil, "bad argument '" .. word .. "'"
		end
	end
	return doctor.compile({r})
end

return doctor
