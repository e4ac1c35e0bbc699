-- dnsdoctor on the host: crafted and generated responses through the
-- netfilter hook and the xtables target; every rewritten packet is compared
-- byte for byte with the same response built with the new addresses and
-- its checksum computed in full (pkt.lua), so the incremental update is
-- checked against an independent computation.
local h = require("tests.examples.harness")
local pkt = require("tests.examples.pkt")
local addr = require("examples.dnsdoctor.addr")

local check, eq = h.check, h.eq
local ACCEPT, CONTINUE = 1, 0xffffffff

local S4, C4, FAR4 = "\192\168\10\53", "\10\1\1\2", "\10\9\9\9"
local S6 = addr.ip6("fd00:2::53")
local C6 = addr.ip6("fd00:1:1::5")
local FAR6 = addr.ip6("fd00:9::5")
local OLD4, NEW4 = "\192\168\10\1", addr.ip4("10.1.2.3")
local OLD6, NEW6 = addr.ip6("2001:db8::1"), addr.ip6("fd00:1:2::3")

-- addresses and prefixes
eq(addr.ip6("::"), string.rep("\0", 16), "::")
eq(addr.ip6("::1"), string.rep("\0", 15) .. "\1", "::1")
eq(addr.ip6("1:2:3:4:5:6:7:8"), "\0\1\0\2\0\3\0\4\0\5\0\6\0\7\0\8", "full form")
eq(addr.ip6("::ffff:1.2.3.4"), string.rep("\0", 10) .. "\255\255\1\2\3\4", "v4-mapped")
eq(addr.ip6("1::"), "\0\1" .. string.rep("\0", 14), "1::")
for _, bad in ipairs({"1:2:3:4:5:6:7:8:9", "1::2::3", ":1::", "12345::", "1:2:3:4:5:6:7",
		      "::1.2.3.256", "g::", "", ":::", "1:2:3:4:5:6:7::8"}) do
	eq(addr.ip6(bad), nil, "bad IPv6 '" .. bad .. "'")
end
for _, bad in ipairs({"256.1.1.1", "1.2.3", "1.2.3.4.5", "a.b.c.d", "1..2.3", "1234.1.1.1"}) do
	eq(addr.ip4(bad), nil, "bad IPv4 '" .. bad .. "'")
end
local p24 = addr.prefix("10.1.1.77/24")
check(addr.contains(p24, "\10\1\1\250") and not addr.contains(p24, "\10\1\2\1"), "/24")
local p1 = addr.prefix("128.0.0.0/1")
check(addr.contains(p1, "\200\0\0\0") and not addr.contains(p1, "\127\0\0\0"), "/1")
check(addr.contains(addr.prefix("0.0.0.0/0"), "\1\2\3\4"), "/0")
check(not addr.contains(p24, C6), "families never mix")
local p63 = addr.prefix("fd00:1:1:fffe::/63")
check(addr.contains(p63, addr.ip6("fd00:1:1:ffff::9")) and
      not addr.contains(p63, addr.ip6("fd00:1:1:fffd::9")), "/63")
eq(addr.prefix("10.0.0.0/33"), nil, "prefix too long")

-- the netfilter variant
local nfi = h.load("examples/dnsdoctor/dnsdoctor.lua", 0)
eq(#nfi.hooks, 2, "hooks")
for _, r in ipairs(nfi.hooks) do
	eq(r.hooknum, 0, "PRE_ROUTING")
	eq(r.priority, -149, "after mangle")
end
local hook = nfi.hooks[1].hook

local function q(name)
	return {{name = pkt.name(name), type = 1}}
end

-- A response from the server to @dst; @an records; @opts.tcp, @opts.csum
local function response(dst, qd, an, opts)
	opts = opts or {}
	local msg = pkt.dns({id = opts.id or 0x4242, flags = opts.flags or 0x8180,
			     qd = qd, an = an, ancount = opts.ancount})
	local v6 = #dst == 16
	local src = v6 and S6 or S4
	local l4
	if opts.tcp then
		l4 = pkt.tcp(src, dst, 53, 40000, pkt.tcpdns(msg))
	else
		l4 = pkt.udp(src, dst, 53, 40000, msg, {csum = opts.csum})
	end
	local l3 = v6 and pkt.ipv6(src, dst, opts.tcp and 6 or 17, l4) or
		   pkt.ipv4(src, dst, opts.tcp and 6 or 17, l4, {frag = opts.frag})
	return pkt.eth(l3, v6 and 0x86dd or 0x0800)
end

local function run(fn, bytes)
	local d = h.data(bytes)
	local ok, v = pcall(fn, d)
	check(ok, "hook raised: " .. tostring(v))
	eq(#tostring(d), #bytes, "length kept")
	return tostring(d), v
end

local function rr(owner, rtype, rdata, class)
	return {owner = owner, type = rtype, class = class or 1, rdata = rdata}
end

local A, AAAA, CNAME, TXT, MX = 1, 28, 5, 16, 15
local ptrq = pkt.ptr(12)

-- plain A and AAAA, IPv4 and IPv6 clients, UDP and TCP
for _, dst in ipairs({C4, C6}) do
	for _, tcp in ipairs({false, true}) do
		local what = (#dst == 4 and "IPv4" or "IPv6") .. (tcp and " TCP" or " UDP")
		local out, v = run(hook, response(dst, q("lunatik.com"),
			{rr(ptrq, A, OLD4), rr(ptrq, AAAA, OLD6)}, {tcp = tcp}))
		eq(v, ACCEPT, what .. " verdict")
		eq(out, response(dst, q("lunatik.com"),
			{rr(ptrq, A, NEW4), rr(ptrq, AAAA, NEW6)}, {tcp = tcp}), what .. " rewritten")
	end
end

-- not for us: another client, another name, a query, a fragment
for _, c in ipairs({
	{"client outside the subnets", response(FAR4, q("lunatik.com"), {rr(ptrq, A, OLD4)})},
	{"IPv6 client outside", response(FAR6, q("lunatik.com"), {rr(ptrq, A, OLD4)})},
	{"other name", response(C4, q("lunatik.org"), {rr(ptrq, A, OLD4)})},
	{"subdomain is not the name", response(C4, q("www.lunatik.com"), {rr(ptrq, A, OLD4)})},
	{"a query, not a response", response(C4, q("lunatik.com"), {rr(ptrq, A, OLD4)},
					     {flags = 0x0100})},
	{"first fragment", response(C4, q("lunatik.com"), {rr(ptrq, A, OLD4)}, {frag = 0x2000})},
	{"class CH", response(C4, q("lunatik.com"), {rr(ptrq, A, OLD4, 3)})},
	{"A with RDLENGTH 5", response(C4, q("lunatik.com"), {rr(ptrq, A, OLD4 .. "x")})},
	{"already the new address", response(C4, q("lunatik.com"), {rr(ptrq, A, NEW4)})},
}) do
	local out = run(hook, c[2])
	eq(out, c[2], c[1] .. ": untouched")
end

-- a malformed record after a matching one: nothing is written
for _, c in ipairs({
	{"RDLENGTH past the end", {rr(ptrq, A, OLD4), {owner = ptrq, type = TXT, rdata = "x", rdlength = 9}}},
	{"pointer loop in an owner", {rr(ptrq, A, OLD4), rr(pkt.ptr(41), A, OLD4)}},
	{"answer count past the end", {rr(ptrq, A, OLD4)}, 3},
}) do
	local b = response(C4, q("lunatik.com"), c[2], {ancount = c[3]})
	eq(run(hook, b), b, c[1] .. ": untouched")
end

-- at most 512 labels stepped over per packet: 64 owners of 61 labels are
-- too many, and nothing is written
local many = {}
for i = 1, 64 do
	many[i] = rr(string.rep("\1a", 60) .. "\1b\0", A, OLD4)
end
local heavy = response(C4, q("lunatik.com"), {rr(ptrq, A, OLD4), table.unpack(many)})
eq(run(hook, heavy), heavy, "past 512 labels: untouched")

-- CNAME chain, uppercase owners, records of every kind and odd RDATA
-- offsets: only A/AAAA of lunatik.com change
local function variety(newa, newaaaa)
	local full = pkt.name("LUNATIK.Com")
	local www = ptrq		-- the question, www.lunatik.com
	local bare = pkt.ptr(16)	-- lunatik.com inside the question
	return {
		rr(www, CNAME, bare),
		rr(bare, TXT, "\5hello"),
		rr(bare, A, newa),
		rr(www, A, OLD4),
		rr(full, A, newa),
		rr(pkt.name("other.net"), A, OLD4),
		rr(bare, MX, "\0\10" .. pkt.name("mail", 16)),
		rr("\7LuNaTiK" .. pkt.ptr(24), AAAA, newaaaa),
		rr(bare, TXT, "\2ab"),
		rr(bare, A, newa),
		rr(bare, AAAA, newaaaa),
	}
end
local b = response(C4, q("www.lunatik.com"), variety(OLD4, OLD6))
local out = run(hook, b)
eq(out, response(C4, q("www.lunatik.com"), variety(NEW4, NEW6)), "record variety")

-- checksums: a zero IPv4 UDP checksum stays zero; a result of 0 is sent as 0xffff
local z = response(C4, q("lunatik.com"), {rr(ptrq, A, OLD4)}, {csum = 0})
eq(run(hook, z), response(C4, q("lunatik.com"), {rr(ptrq, A, NEW4)}, {csum = 0}),
   "IPv4 without checksum")
for _, dst in ipairs({C4, C6}) do
	-- find the DNS id making the rewritten datagram's sum 0xffff
	local found
	for id = 0, 0xffff do
		local msg = pkt.dns({id = id, flags = 0x8180, qd = q("lunatik.com"),
				     an = {rr(ptrq, A, NEW4)}})
		local src = #dst == 4 and S4 or S6
		local u = pkt.udp(src, dst, 53, 40000, msg, {csum = 0})
		if pkt.residual(src, dst, 17, u) == 0xffff then
			found = id
			break
		end
	end
	check(found ~= nil, "an id with checksum 0 exists")
	local o = run(hook, response(dst, q("lunatik.com"), {rr(ptrq, A, OLD4)}, {id = found}))
	local l4 = o:sub(#dst == 4 and 35 or 55)
	eq(pkt.be16(0xffff), l4:sub(7, 8), (#dst == 4 and "IPv4" or "IPv6") ..
	   " computed 0 is sent as 0xffff")
	eq(pkt.residual(#dst == 4 and S4 or S6, dst, 17, l4), 0xffff, "and verifies")
end

-- generated responses: random records, owners, cases, families and transports
local rnd = h.rng(0x5eed)
local names = {"lunatik.com", "LUNATIK.COM", "other.org", "x.lunatik.com", "lunatik.co"}
local function gen(n, new)
	local an = {}
	for i = 1, n do
		local r = rnd(6)
		local name = names[rnd(#names) + 1]
		local owner = rnd(3) == 0 and ptrq or pkt.name(name)
		local match = owner == ptrq or name:lower() == "lunatik.com"
		local t = ({A, AAAA, TXT, CNAME, MX, A})[r + 1]
		local data
		if t == A then
			data = match and new and NEW4 or OLD4
		elseif t == AAAA then
			data = match and new and NEW6 or OLD6
		else
			data = string.rep(string.char(65 + i % 26), rnd(9))
		end
		an[i] = rr(owner, t, data, 1)
	end
	return an
end
local generated = 0
for i = 1, 3000 do
	local seed = rnd()
	local dst = rnd(2) == 0 and C4 or C6
	local opts = {tcp = rnd(4) == 0, id = rnd(0x10000)}
	local n = rnd(8)
	local save = rnd
	rnd = h.rng(seed + 1)
	local old = response(dst, q("lunatik.com"), gen(n, false), opts)
	rnd = h.rng(seed + 1)
	local want = response(dst, q("lunatik.com"), gen(n, true), opts)
	rnd = save
	local got = run(hook, old)
	if got ~= want then
		check(false, "generated response " .. i .. " differs")
	end
	generated = generated + 1
end
eq(generated, 3000, "generated responses")

-- the xtables target: per-rule arguments, checkentry, CONTINUE
local xti = h.load("examples/dnsdoctor/xt_dnsdoctor.lua", 0)
eq(#xti.xt, 1, "one extension")
local t = xti.xt[1]
eq(t.kind, "target", "a target")
local function args(s)
	return s .. string.rep("\0", 256 - #s)
end
local even = "name=even.org a=1.2.3.4 aaaa=::1 client=10.1.1.0/24 client=fd00:1:1::/48"
check(pcall(t.checkentry, args(even)), "checkentry accepts " .. even)
for _, bad in ipairs({"name=x a=300.1.1.1", "name=x aaaa=zz", "name=x", "foo=bar a=1.2.3.4",
		      "a=1.2.3.4", "name=x a=1.2.3.4 client=10.0.0.0/40",
		      "name=x a=1.2.3.4 a=1.2.3.5"}) do
	check(not pcall(t.checkentry, args(bad)), "checkentry refuses " .. bad)
end
local function target(bytes, userargs)
	local d = h.data(bytes:sub(15))	-- xtables: network header first
	local ok, v = pcall(t.target, d, {hotdrop = false, thoff = 20, fragoff = 0, hooknum = 0},
			    args(userargs))
	check(ok, "target raised: " .. tostring(v))
	eq(v, CONTINUE, "target continues")
	return tostring(d)
end
for _, dst in ipairs({C4, C6}) do
	local old = response(dst, q("even.org"), {rr(ptrq, A, OLD4), rr(ptrq, AAAA, OLD6)})
	local want = response(dst, q("even.org"), {rr(ptrq, A, "\1\2\3\4"),
		rr(ptrq, AAAA, addr.ip6("::1"))})
	eq(target(old, even), want:sub(15), "xt rewrite " .. #dst)
	eq(target(old, "name=even.org a=1.2.3.4 client=10.2.0.0/16"), old:sub(15),
	   "xt client outside")
end

h.done("dnsdoctor")
