-- dnsblock on the host: crafted queries through every hook of the netfilter
-- and the xtables variants, the blocklist shared between instances and
-- changed at run time, the counters.
local h = require("tests.examples.harness")
local pkt = require("tests.examples.pkt")

local check, eq = h.check, h.eq
local DROP, ACCEPT = 0, 1

local C4, S4 = "\10\0\0\1", "\10\0\0\53"
local C6 = "\253\0" .. string.rep("\0", 13) .. "\1"
local S6 = "\253\0" .. string.rep("\0", 13) .. "\53"

-- two instances, as two CPUs of a softirq set
local cpu0 = h.load("examples/dnsblock/dnsblock.lua", 0)
local cpu1 = h.load("examples/dnsblock/dnsblock.lua", 1)
eq(#cpu0.hooks, 4, "hooks registered")
check(cpu0.env.blocklist == cpu1.env.blocklist, "instances share the blocklist")

local hooks = {}
for _, r in ipairs(cpu0.hooks) do
	hooks[r.pf .. "/" .. r.hooknum] = r.hook
	eq(r.priority, 0, "priority FILTER")
end
local out4, in4 = hooks["2/3"], hooks["2/0"]
local out6, in6 = hooks["10/3"], hooks["10/0"]
check(out4 and in4 and out6 and in6, "IPv4 and IPv6, LOCAL_OUT and PRE_ROUTING")

cpu0.env.block("Tracker.NET.")
cpu1.env.blocklist["example.com"] = true
cpu0.env.blocklist["off.org"] = false

-- names given as text are encoded; wire names start with a length byte
local function q(name, opts)
	local wire = name:find("^[%z\1-\63\192-\255]") and name or pkt.name(name)
	return pkt.dns({id = 7, flags = opts and opts.flags, qdcount = opts and opts.qdcount,
			qd = {{name = wire, type = 1}}})
end

local function udp4(msg, dport, opts)
	return pkt.ipv4(C4, S4, 17, pkt.udp(C4, S4, 40000, dport or 53, msg), opts)
end

local function udp6(msg, ext)
	return pkt.ipv6(C6, S6, 17, pkt.udp(C6, S6, 40000, 53, msg), {ext = ext})
end

local function tcp4(payload)
	return pkt.ipv4(C4, S4, 6, pkt.tcp(C4, S4, 40000, 53, payload))
end

local function verdict(hook, bytes)
	local ok, v = pcall(hook, h.data(bytes))
	check(ok, "hook raised: " .. tostring(v))
	return v
end

-- names: whole labels, any case, suffixes but not substrings
local cases = {
	{"example.com", DROP}, {"www.example.com", DROP}, {"A.B.EXAMPLE.COM", DROP},
	{"eXaMpLe.CoM", DROP}, {"badexample.com", ACCEPT}, {"example.com.evil", ACCEPT},
	{"com", ACCEPT}, {"example.co", ACCEPT}, {"xexample.com", ACCEPT},
	{"tracker.net", DROP}, {"ads.tracker.net", DROP}, {"tracker.network", ACCEPT},
	{"off.org", ACCEPT}, {"", ACCEPT},
}
for _, c in ipairs(cases) do
	eq(verdict(out4, udp4(q(c[1]))), c[2], "IPv4 UDP " .. c[1])
	eq(verdict(out6, udp6(q(c[1]))), c[2], "IPv6 UDP " .. c[1])
	eq(verdict(out4, tcp4(pkt.tcpdns(q(c[1])))), c[2], "IPv4 TCP " .. c[1])
	eq(verdict(in4, pkt.eth(udp4(q(c[1])), 0x0800)), c[2], "Ethernet IPv4 " .. c[1])
	eq(verdict(in6, pkt.eth(udp6(q(c[1])), 0x86dd)), c[2], "Ethernet IPv6 " .. c[1])
end

-- a label holding a dot is not two labels, and escapes reach it
eq(verdict(out4, udp4(q("\11example.com\0"))), ACCEPT, "one label 'example.com'")
cpu0.env.block("a\\.b.org")
eq(verdict(out4, udp4(q("\3a.b\3org\0"))), DROP, "escaped label a\\.b.org")
eq(verdict(out4, udp4(q("a.b.org"))), ACCEPT, "a.b.org is not a\\.b.org")

-- IP and transport variety
local blocked = q("www.example.com")
eq(verdict(out4, udp4(blocked, 53, {options = string.rep("\1", 40)})), DROP, "IPv4 options (IHL 15)")
eq(verdict(out4, udp4(blocked, 5353)), ACCEPT, "not port 53")
eq(verdict(out6, udp6(blocked, {{type = 0, body = pkt.ext(1)},
	{type = 60, body = pkt.ext(2)}, {type = 43, body = pkt.ext(1)},
	{type = 44, body = "\0\0\0\0\0\0\0"}})), DROP, "IPv6 extension headers")
local many = {}
for i = 1, 9 do
	many[i] = {type = 60, body = pkt.ext(1)}
end
eq(verdict(out6, udp6(blocked, many)), ACCEPT, "9 IPv6 extension headers: not read")
eq(verdict(out6, udp6(blocked, {{type = 44, body = "\0\0\8\0\0\0\0"}})), ACCEPT,
   "IPv6 later fragment")
eq(verdict(out4, udp4(blocked, 53, {frag = 0x2000})), DROP, "IPv4 first fragment")
eq(verdict(out4, udp4(blocked, 53, {frag = 0x0010})), ACCEPT, "IPv4 later fragment")
eq(verdict(out4, tcp4(pkt.tcpdns(q("ok.org"), blocked))), DROP, "second TCP message")
eq(verdict(out4, tcp4("")), ACCEPT, "TCP without payload")
eq(verdict(in4, pkt.eth(udp4(blocked), 0x0800) .. string.rep("\0", 12)), DROP,
   "Ethernet padding")
local vlan = string.rep("\2", 12) .. "\129\0\0\5\8\0" .. udp4(blocked)
eq(verdict(in4, vlan), DROP, "802.1Q tag")
eq(verdict(in4, udp4(blocked)), DROP, "PRE_ROUTING without link-layer header")

-- DNS variety
eq(verdict(out4, udp4(q("ok.org", {flags = 0x8180}))), ACCEPT, "response to port 53")
local twoq = pkt.dns({qd = {{name = pkt.name("foo.net")},
			     {name = "\7tracker" .. pkt.ptr(12 + 4)}}})
eq(verdict(out4, udp4(twoq)), DROP, "compressed second question tracker.net")
eq(verdict(out4, udp4(q(pkt.ptr(12)))), ACCEPT, "pointer to itself")
eq(verdict(out4, udp4(pkt.dns({qd = {{name = "\3www" .. pkt.ptr(40)}}}))), ACCEPT,
   "forward pointer")
-- a pointer forward, to a blocked name in the additional section: not a name
local fwd = pkt.dns({qd = {{name = "\3www" .. pkt.ptr(12 + 6 + 4)}},
		    ar = {{owner = pkt.name("example.com"), type = 1, rdata = "\1\2\3\4"}}})
eq(verdict(out4, udp4(fwd)), ACCEPT, "forward pointer to a valid name")
local back = pkt.dns({qd = {{name = pkt.name("ok.org")}, {name = "\3www" .. pkt.ptr(12 + 2 + 1)}}})
eq(verdict(out4, udp4(back)), ACCEPT, "pointer to the suffix of an earlier name")
eq(verdict(out4, udp4(q("\64" .. string.rep("a", 64) .. "\0"))), ACCEPT, "label type 0x40")
local long = string.rep("\63" .. string.rep("a", 63), 4) .. "\7example\3com\0"
eq(verdict(out4, udp4(q(long))), ACCEPT, "name over 255 octets")
eq(verdict(out4, udp4(q("ok.org", {qdcount = 2}))), ACCEPT, "missing second question")
eq(verdict(out4, udp4(q("example.com", {qdcount = 2}))), DROP, "blocked first question, second missing")
eq(verdict(out4, udp4(q("example.com"):sub(1, 20))), ACCEPT, "truncated question")
local dots = string.rep("\63" .. string.rep(".", 63), 3) .. "\7example\3com\0"
eq(verdict(out4, udp4(q(dots))), DROP, "escaped name longer than an rcu key")

-- at most 255 labels decoded per packet (pointers make them cheap to ask for)
local long = string.rep("\1a", 127) .. "\0"
local capped = pkt.dns({qd = {{name = long}, {name = "\1b" .. pkt.ptr(12)},
			      {name = pkt.name("example.com")}}})
eq(verdict(out4, udp4(capped)), ACCEPT, "a name past 255 labels per packet")
local within = pkt.dns({qd = {{name = long}, {name = pkt.name("example.com")}}})
eq(verdict(out4, udp4(within)), DROP, "a blocked name within 255 labels")

-- run-time changes, from any instance
cpu1.env.unblock("example.com")
eq(verdict(out4, udp4(blocked)), ACCEPT, "unblocked on cpu1, seen on cpu0")
cpu1.env.blocklist["example.com"] = true
eq(verdict(out4, udp4(blocked)), DROP, "blocked again")

-- counters: both instances count into the shared stats
package.loaded.lunatik.current = 1
eq(verdict(cpu1.hooks[1].hook, udp4(blocked)), DROP, "cpu1 drops")
local s = cpu0.env.stats()
check(s:match("blocked=%d+") ~= nil, "stats: " .. s)
local before = tonumber(s:match("blocked=(%d+)"))
verdict(cpu1.hooks[1].hook, udp4(blocked))
local after = tonumber(cpu1.env.stats():match("blocked=(%d+)"))
eq(after, before + 1, "a block counted once, summed over CPUs")
check(tonumber(s:match("malformed=(%d+)")) > 0, "malformed counted")

-- every DNS datagram to port 53 lands in exactly one counter
local function total()
	local sum = 0
	for kind, n in pairs(require("examples.dnsblock.block").stats()) do
		sum = sum + n
	end
	return sum
end
local t0 = total()
verdict(out4, udp4(q("ok.org", {flags = 0x8180})))
check(cpu0.env.stats():match("notquery=(%d+)") ~= "0", "a response to port 53 is notquery")
verdict(out4, udp4(q("ok.org")))
verdict(out4, udp4(q(pkt.ptr(12))))
verdict(out4, udp4(blocked))
verdict(out4, udp4(q("ok.org"), 5353))
verdict(out4, tcp4(""))
eq(total() - t0, 4, "four DNS datagrams to port 53, four counts")

-- xtables variant, sharing the default list
local xt = h.load("examples/dnsblock/xt_dnsblock.lua", 0)
eq(#xt.xt, 1, "one extension")
local m = xt.xt[1]
eq(m.kind, "match", "a match")
eq(m.name, "dnsblock", "named dnsblock")
local function args(s)
	return s .. string.rep("\0", 256 - #s)
end
local function matches(bytes, userargs, fragoff)
	local d = h.data(bytes)
	local ok, v = pcall(m.match, d, {hotdrop = false, thoff = 20, fragoff = fragoff or 0,
					 hooknum = 3}, args(userargs or ""))
	check(ok, "match raised: " .. tostring(v))
	check(tostring(d) == bytes, "match wrote to the packet")
	return v
end
eq(matches(udp4(blocked)), true, "xt: blocked name")
eq(matches(udp6(q("ok.org"))), false, "xt: allowed name")
eq(matches(udp4(blocked), "", 8), false, "xt: later fragment")
check(pcall(m.checkentry, args("list=kids")), "checkentry list=kids")
check(not pcall(m.checkentry, args("list=")), "checkentry refuses an empty name")
check(not pcall(m.checkentry, args("bogus")), "checkentry refuses bogus")
eq(matches(udp4(blocked), "bogus"), false, "bad userargs: no match")
eq(matches(udp4(q("kid.game.io")), "list=kids"), false, "kids list empty")
xt.env.block("game.io", "kids")
eq(matches(udp4(q("kid.game.io")), "list=kids"), true, "kids list")
eq(matches(udp4(q("kid.game.io"))), false, "default list unaffected")
eq(matches(udp4(blocked), "list=kids"), false, "kids list lacks example.com")
check(package.loaded.rcu.published["dnsblock:kids"] ~= nil, "kids published")

h.done("dnsblock")
