-- Robustness of every example hook on the host: a corpus of malformed,
-- truncated and mutated packets, generated deterministically here (never
-- committed), goes through each hook function of dnsblock and dnsdoctor,
-- netfilter and xtables variants.
--
-- A hook that raises fails the test: on the kernel's packet path an error
-- means the default verdict instead of a decision, and an out-of-bounds
-- access (which the data library raises) would be a bug in the script.
-- Verdicts must be valid, the match must not write, and a packet dnsdoctor
-- changed must keep its length and its checksum residual (the sum it had
-- before: a valid checksum stays valid), a zero IPv4 UDP checksum stays 0
-- and an IPv6 UDP checksum never becomes 0.
local h = require("tests.examples.harness")
local pkt = require("tests.examples.pkt")
local addr = require("examples.dnsdoctor.addr")
local ref = require("tests.examples.reference")

local check, eq = h.check, h.eq
local N = tonumber(FUZZ_PACKETS) or 100000
local byte, char, sub = string.byte, string.char, string.sub

local blk = h.load("examples/dnsblock/dnsblock.lua", 0)
blk.env.block("example.com")
blk.env.block("lunatik.com")
local xblk = h.load("examples/dnsblock/xt_dnsblock.lua", 1)
local doc = h.load("examples/dnsdoctor/dnsdoctor.lua", 0)
local xdoc = h.load("examples/dnsdoctor/xt_dnsdoctor.lua", 1)

local blocked = {{"example", "com"}, {"lunatik", "com"}}
local nfhooks = {}
for _, r in ipairs(blk.hooks) do
	nfhooks[#nfhooks + 1] = {r.hook, r.hooknum == 0}	-- PRE_ROUTING: L2 first
end
local match = xblk.xt[1].match
local dochook = doc.hooks[1].hook
local target = xdoc.xt[1].target
local function args(s)
	return s .. string.rep("\0", 256 - #s)
end
local xdocargs = args("name=lunatik.com a=10.1.2.3 aaaa=fd00::3 client=10.0.0.0/8 client=fd00::/8")
local xblkargs = args("")

-- seeds: queries and responses over every transport and family
local S4, C4 = "\192\168\10\53", "\10\1\1\2"
local S6, C6 = addr.ip6("fd00:2::53"), addr.ip6("fd00:1:1::5")
local ptrq = pkt.ptr(12)
local function rr(owner, t, data)
	return {owner = owner, type = t, class = 1, rdata = data}
end
local msgs = {
	pkt.dns({qd = {{name = pkt.name("www.example.com")}}}),
	pkt.dns({qd = {{name = pkt.name("ok.org")}, {name = "\3www" .. pkt.ptr(12 + 3)}}}),
	-- names at the 255-octet limit, and one over it
	pkt.dns({qd = {{name = string.rep("\63" .. string.rep("a", 63), 3) .. "\49" ..
			 string.rep("B", 49) .. pkt.name("example.com")}}}),
	pkt.dns({qd = {{name = string.rep("\63" .. string.rep("a", 63), 3) .. "\50" ..
			 string.rep("B", 50) .. pkt.name("example.com")}}}),
	-- past the 255 labels a packet may decode
	pkt.dns({qd = {{name = string.rep("\1a", 127) .. "\0"}, {name = "\1b" .. pkt.ptr(12)},
		       {name = pkt.name("example.com")}}}),
	-- chains of pointers: q3 -> q2 -> q1
	pkt.dns({qd = {{name = pkt.name("a.example.com")}, {name = "\1b" .. pkt.ptr(12 + 2)},
		       {name = "\1c" .. pkt.ptr(12 + 19)}}}),
	pkt.dns({flags = 0x8180, qd = {{name = pkt.name("lunatik.com")}},
		 an = {rr(ptrq, 1, "\1\2\3\4"), rr(ptrq, 28, string.rep("\9", 16)),
		       rr(ptrq, 16, "\3txt"), rr(pkt.name("LUNATIK.COM"), 1, "\5\6\7\8")}}),
	pkt.dns({flags = 0x8180, qd = {{name = pkt.name("www.lunatik.com")}},
		 an = {rr(ptrq, 5, pkt.ptr(16)), rr(pkt.ptr(16), 1, "\1\1\1\1"),
		       rr(pkt.ptr(16), 15, "\0\1" .. pkt.name("mx", 16))}}),
}
local seeds = {}
for _, m in ipairs(msgs) do
	for _, v6 in ipairs({false, true}) do
		local src, dst = v6 and C6 or C4, v6 and S6 or S4
		for _, dir in ipairs({"q", "r"}) do
			local a, b = src, dst
			local sp, dp = 40000, 53
			if dir == "r" then
				a, b, sp, dp = dst, src, 53, 40000
			end
			for _, tcp in ipairs({false, true}) do
				local l4 = tcp and pkt.tcp(a, b, sp, dp, pkt.tcpdns(m, m)) or
					   pkt.udp(a, b, sp, dp, m)
				local proto = tcp and 6 or 17
				local l3
				if v6 then
					l3 = pkt.ipv6(a, b, proto, l4, {ext = dir == "q" and
						{{type = 60, body = pkt.ext(1)}} or nil})
				else
					l3 = pkt.ipv4(a, b, proto, l4, {options = dir == "q" and "\1\1\1\1" or nil})
				end
				seeds[#seeds + 1] = l3
			end
		end
	end
end

local rnd = h.rng(0xd15ea5e)
local interesting = {0, 1, 0x3f, 0x40, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xff, 12, 53, 6, 17, 44, 0x45, 0x60}

local function mutate(p)
	for _ = 1, 1 + rnd(4) do
		local n = #p
		local k = rnd(9)
		local i = n > 0 and rnd(n) + 1 or 1
		if k == 0 and n > 0 then		-- truncate
			p = sub(p, 1, rnd(n))
		elseif k == 1 then			-- extend
			local extra = {}
			for j = 1, rnd(24) + 1 do
				extra[j] = char(rnd(256))
			end
			p = p .. table.concat(extra)
		elseif k == 2 and n > 0 then		-- flip a bit
			p = sub(p, 1, i - 1) .. char(byte(p, i) ~ (1 << rnd(8))) .. sub(p, i + 1)
		elseif k == 3 and n > 0 then		-- an interesting byte
			p = sub(p, 1, i - 1) .. char(interesting[rnd(#interesting) + 1]) .. sub(p, i + 1)
		elseif k == 4 and n > 1 then		-- a compression pointer anywhere
			p = sub(p, 1, i - 1) .. char(0xc0 | rnd(4), rnd(256)) .. sub(p, i + 2)
		elseif k == 5 and n > 1 then		-- a 16-bit field to an edge value
			local v = ({0, 1, 0xffff, 0x7fff, n, n - 20, n + 1, rnd(0x10000)})[rnd(8) + 1]
			p = sub(p, 1, i - 1) .. pkt.be16(v & 0xffff) .. sub(p, i + 2)
		elseif k == 6 and n > 0 then		-- delete a slice
			p = sub(p, 1, i - 1) .. sub(p, i + 1 + rnd(8))
		elseif k == 7 and n > 0 then		-- duplicate a slice
			local j = i + rnd(16)
			p = sub(p, 1, j) .. sub(p, i, j) .. sub(p, j + 1)
		else					-- random byte
			if n > 0 then
				p = sub(p, 1, i - 1) .. char(rnd(256)) .. sub(p, i + 1)
			end
		end
	end
	return p
end

-- The checksum residual of the IP packet at @l3 in @p when its headers
-- are plain enough to read here (no IPv6 extension headers), else nil.
local function residual(p, l3)
	if #p < l3 + 20 then
		return nil
	end
	local v = byte(p, l3 + 1) >> 4
	local src, dst, proto, l4
	if v == 4 then
		local ihl = (byte(p, l3 + 1) & 15) * 4
		local total = (byte(p, l3 + 3) << 8) | byte(p, l3 + 4)
		if ihl < 20 or total < ihl or l3 + total > #p then
			return nil
		end
		src, dst, proto = sub(p, l3 + 13, l3 + 16), sub(p, l3 + 17, l3 + 20), byte(p, l3 + 10)
		l4 = sub(p, l3 + ihl + 1, l3 + total)
	elseif v == 6 and #p >= l3 + 40 then
		local plen = (byte(p, l3 + 5) << 8) | byte(p, l3 + 6)
		if l3 + 40 + plen > #p then
			return nil
		end
		src, dst, proto = sub(p, l3 + 9, l3 + 24), sub(p, l3 + 25, l3 + 40), byte(p, l3 + 7)
		l4 = sub(p, l3 + 41, l3 + 40 + plen)
	else
		return nil
	end
	if proto == 17 and #l4 >= 8 then
		local ulen = (byte(l4, 5) << 8) | byte(l4, 6)
		if ulen < 8 or ulen > #l4 then
			return nil
		end
		l4 = sub(l4, 1, ulen)
		local c = (byte(l4, 7) << 8) | byte(l4, 8)
		local r = pkt.residual(src, dst, 17, l4)
		return r == 0 and 0xffff or r, c, v
	elseif proto == 6 and #l4 >= 20 then
		local r = pkt.residual(src, dst, 6, l4)
		return r == 0 and 0xffff or r, nil, v
	end
	return nil
end

local stats = {packets = 0, calls = 0, errors = 0, rewritten = 0, dropped = 0, matched = 0,
	       disagree = 0}

local function call(fn, ...)
	stats.calls = stats.calls + 1
	local ok, v = pcall(fn, ...)
	if not ok then
		stats.errors = stats.errors + 1
		if stats.errors <= 10 then
			print("hook raised: " .. tostring(v))
		end
		return nil
	end
	return v
end

local function doctored(before, after, l3, what)
	if after == before then
		return
	end
	stats.rewritten = stats.rewritten + 1
	local r0, c0, v = residual(before, l3)
	local r1, c1 = residual(after, l3)
	check(r0 ~= nil and r1 ~= nil, what .. ": changed a packet whose headers do not parse")
	if r0 == nil or r1 == nil then
		return
	end
	if c0 == 0 and v == 4 then
		eq(c1, 0, what .. ": zero IPv4 UDP checksum stays 0")
	else
		eq(r1, r0, what .. ": checksum residual kept")
		check(c1 ~= 0, what .. ": UDP checksum never 0")
	end
	eq(sub(after, 1, l3 + 20), sub(before, 1, l3 + 20), what .. ": IP header untouched")
end

local param = {hotdrop = false, thoff = 20, fragoff = 0, hooknum = 3}
local eth4, eth6 = pkt.eth("", 0x0800), pkt.eth("", 0x86dd)

for i = 1, N do
	local p = mutate(seeds[rnd(#seeds) + 1])
	stats.packets = stats.packets + 1
	local l2 = (p ~= "" and byte(p, 1) >> 4 == 6) and eth6 or eth4
	for _, hk in ipairs(nfhooks) do
		local bytes = hk[2] and l2 .. p or p
		local v = call(hk[1], h.data(bytes))
		if v ~= nil then
			check(v == 0 or v == 1, "dnsblock verdict " .. tostring(v))
			if v == 0 then
				stats.dropped = stats.dropped + 1
			end
			local l3 = hk[2] and ref.l3(bytes) or 0
			local want = l3 and ref.verdict(bytes, l3, blocked) == "blocked" and 0 or 1
			if v ~= want then
				stats.disagree = stats.disagree + 1
				if stats.disagree <= 5 then
					print(string.format("verdict %d, model %d: %q", v, want, bytes))
				end
			end
		end
	end
	local d = h.data(p)
	local m = call(match, d, param, xblkargs)
	check(m == nil or m == true or m == false, "match returns a boolean")
	check(tostring(d) == p, "match wrote")
	if m then
		stats.matched = stats.matched + 1
	end
	if m ~= nil and m ~= (ref.verdict(p, 0, blocked) == "blocked") then
		stats.disagree = stats.disagree + 1
	end

	d = h.data(l2 .. p)
	local v = call(dochook, d)
	check(v == nil or v == 1, "dnsdoctor accepts")
	doctored(l2 .. p, tostring(d), 14, "dnsdoctor")

	d = h.data(p)
	v = call(target, d, param, xdocargs)
	check(v == nil or v == 0xffffffff, "xt dnsdoctor continues")
	doctored(p, tostring(d), 0, "xt dnsdoctor")
	if i % 20000 == 0 then
		print(string.format("%d packets, %d hook calls, %d errors", i, stats.calls, stats.errors))
	end
end

print(string.format("corpus: %d packets, %d hook calls, %d raised, %d dropped, %d matched, %d rewritten, %d verdicts unlike the model's",
	stats.packets, stats.calls, stats.errors, stats.dropped, stats.matched, stats.rewritten,
	stats.disagree))
eq(stats.errors, 0, "no hook raised")
eq(stats.disagree, 0, "every dnsblock verdict as the model's")
check(stats.packets >= N, "corpus size")
check(stats.dropped > 0 and stats.matched > 0 and stats.rewritten > 0,
      "the corpus reaches the decisions")
h.done("fuzz")
