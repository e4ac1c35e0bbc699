-- The examples' packet logic inside the kernel, before any hook exists:
-- the shared modules (examples/dnsblock/dns.lua, block.lua,
-- examples/dnsdoctor/doctor.lua) load in the kernel's Lua, decide on
-- packets built in data objects, share their lists through rcu between the
-- instances of a softirq set, and fit worst-case packets in a call budget.
local data = require("data")
local block = require("examples.dnsblock.block")
local doctor = require("examples.dnsdoctor.doctor")
local addr = require("examples.dnsdoctor.addr")
local pkt = require("tests.examples.pkt")

local list = block.shared("dnsblock.vmtest")

local C4, S4 = "\10\1\1\2", "\192\168\10\53"
local C6, S6 = addr.ip6("fd00:1:1::5"), addr.ip6("fd00:2::53")

local function d(bytes)
	local o = data.new(#bytes)
	o:setstring(0, bytes)
	return o
end

local function query(name, v6, tcp)
	-- wire names (with their root label or a pointer) are used as given
	local wire = name:find("\0$") or (name:byte(1) or 0) >= 0xc0
	local m = pkt.dns({qd = {{name = wire and name or pkt.name(name)}}})
	local src, dst = v6 and C6 or C4, v6 and S6 or S4
	local l4 = tcp and pkt.tcp(src, dst, 40000, 53, pkt.tcpdns(m)) or
		   pkt.udp(src, dst, 40000, 53, m)
	return v6 and pkt.ipv6(src, dst, tcp and 6 or 17, l4) or
	       pkt.ipv4(src, dst, tcp and 6 or 17, l4)
end

local function expect(got, want, what)
	if got ~= want then
		error(string.format("%s: got %s, want %s", what, tostring(got), tostring(want)), 2)
	end
end

function add(name)
	block.set(list, name, true)
	return "added"
end

-- the decision on this CPU's instance, for names added from another one
function classify(name)
	return (block.classify(d(query(name)), 0, list))
end

function test()
	for _, v6 in ipairs({false, true}) do
		for _, tcp in ipairs({false, true}) do
			local what = (v6 and "IPv6" or "IPv4") .. (tcp and "/TCP" or "/UDP")
			expect(block.classify(d(query("www.EXAMPLE.com", v6, tcp)), 0, list),
			       "blocked", what .. " blocked name")
			expect(block.classify(d(query("badexample.com", v6, tcp)), 0, list),
			       "allowed", what .. " substring")
		end
	end
	expect(block.classify(d(query(pkt.ptr(12))), 0, list), "malformed", "pointer loop")
	-- Latin-1 letters are not folded (RFC 4343: ASCII only)
	block.set(list, "\192x.org", true)
	expect(block.classify(d(query("\2\224x\3org\0")), 0, list), "allowed", "no Latin-1 folding")
	expect(block.classify(d(query("\2\192X\3ORG\0")), 0, list), "blocked", "ASCII folding")

	-- dnsdoctor: rewrite with a checksum that verifies, IPv4 and IPv6
	local rules = assert(doctor.compile({{name = "lunatik.com", a = "10.1.2.3",
		aaaa = "fd00:1:2::3", clients = {"10.1.1.0/24", "fd00:1:1::/64"}}}))
	for _, v6 in ipairs({false, true}) do
		local src, dst = v6 and S6 or S4, v6 and C6 or C4
		local m = pkt.dns({flags = 0x8180, qd = {{name = pkt.name("lunatik.com")}},
			an = {{owner = pkt.ptr(12), type = 1, rdata = "\192\168\10\1"},
			      {owner = pkt.ptr(12), type = 28, rdata = string.rep("\32", 16)}}})
		local u = pkt.udp(src, dst, 53, 40000, m)
		local p = v6 and pkt.ipv6(src, dst, 17, u) or pkt.ipv4(src, dst, 17, u)
		local o = d(p)
		local outcome, n = doctor.rewrite(o, 0, rules)
		expect(outcome, "rewritten", "dnsdoctor outcome")
		expect(n, 2, "addresses written")
		local l4 = tostring(o):sub(v6 and 41 or 21)
		expect(pkt.residual(src, dst, 17, l4), 0xffff, "checksum verifies")
	end
	return "ok"
end

-- Worst cases for the budget, built here at load (the body has ten times a
-- call's budget) so a call measures the decision alone:
--   labels     one question of 127 labels: 127 decodes, 127 list lookups
--   questions  8 questions of 127+ labels each through pointers: stopped at
--              255 labels per packet (block.MAXLABELS)
--   tcp        4 such messages in one TCP segment, same cap
--   answers    64 answers with 61-label owners: stopped at 512 labels
--              (doctor.MAXLABELS)
--   rewrite    64 A answers of the configured name: all 64 rewritten
local rcu = require("rcu")

-- built once (by the first set to load this script, at the default budget)
-- and shared through rcu as data objects, so sets with small budgets load
-- quickly
local function build()
	local long = string.rep("\1a", 127) .. "\0"
	local function chain(n)
		local qd = {{name = long}}
		for i = 2, n do
			qd[i] = {name = "\1" .. string.char(96 + i) .. pkt.ptr(12)}
		end
		return pkt.dns({qd = qd})
	end
	local function v4tcp(src, dst, sp, dp, payload)
		return pkt.ipv4(src, dst, 6, pkt.tcp(src, dst, sp, dp, payload))
	end
	local owner = string.rep("\1a", 60) .. "\1b\0"
	local many, same = {}, {}
	for i = 1, 64 do
		many[i] = {owner = owner, type = 1, rdata = "\9\9\9\9"}
		same[i] = {owner = pkt.ptr(12), type = 1, rdata = "\9\9\9\9"}
	end
	local worstpkt = {
		labels = query(long),
		questions = pkt.ipv4(C4, S4, 17, pkt.udp(C4, S4, 40000, 53, chain(8))),
		tcp = v4tcp(C4, S4, 40000, 53, pkt.tcpdns(chain(8), chain(8), chain(8), chain(8))),
		answers = v4tcp(S4, C4, 53, 40000, pkt.tcpdns(pkt.dns({flags = 0x8180,
			qd = {{name = pkt.name("x")}}, an = many}))),
		rewrite = v4tcp(S4, C4, 53, 40000, pkt.tcpdns(pkt.dns({flags = 0x8180,
			qd = {{name = pkt.name("lunatik.com")}}, an = same}))),
	}
	local t = rcu.table(8)
	for k, bytes in pairs(worstpkt) do
		t[k] = d(bytes)
	end
	rcu.publish("examples.vmtest.worst", t)
end
if rcu.subscribe("examples.vmtest.worst") == nil then
	build()
end
local worstpkt = rcu.subscribe("examples.vmtest.worst")

local worstrules = assert(doctor.compile({
	{name = string.rep("a.", 60) .. "b", a = "1.2.3.4"},
	{name = "lunatik.com", a = "10.1.2.3"},
}))
for i = 1, 16 do
	block.set(list, "blocked" .. i .. ".example", true)
end

function worst(kind)
	local p = d(tostring(worstpkt[kind]))	-- a fresh copy: rewrite writes
	if kind == "answers" or kind == "rewrite" then
		local outcome, n = doctor.rewrite(p, 0, worstrules)
		return outcome .. " " .. n
	end
	return (block.classify(p, 0, list))
end
