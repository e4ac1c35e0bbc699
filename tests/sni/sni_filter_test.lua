--
-- sni_filter_test.lua - host test of examples/filter/sni_filter.lua and its
-- modules over real ClientHellos (corpus.lua, captured from openssl
-- s_client by capture.py): parsing every prefix, the blocklist, single and
-- split ClientHellos in order, out of order, retransmitted, over IPv4 and
-- IPv6, expiry and bounds, and random segmentations and mutations.
-- Several CPU instances of the filter share its rcu tables; their calls
-- are also run interleaved at every rcu access (coroutines), to show no
-- decision is lost when CPUs handle segments of one connection at once.
-- Runs with lunatik-libs-host (the kernel's data library on the host);
-- xdp, rcu and linux are small stand-ins defined here.
--
local data = require("data")

-- stand-ins ---------------------------------------------------------------
local clock = 1000000000000
local published = {}
local callback
local printed = {}

package.preload.xdp = function()
	return {
		action = {ABORTED = 0, DROP = 1, PASS = 2, TX = 3, REDIRECT = 4},
		attach = function(f) callback = f end,
	}
end
package.preload.linux = function()
	return {time = function() return clock end}
end
-- rcu tables: every access may be a point where another CPU's call runs
-- (when the test interleaves calls as coroutines); rcu.cas is atomic, as
-- under the kernel table's lock
local interleave = false
local casfailed = 0	-- rcu.cas calls that found another value
local function point()
	if interleave and coroutine.isyieldable() then
		coroutine.yield()
	end
end
local function storeof(t)
	return getmetatable(t).store
end
package.preload.rcu = function()
	return {
		table = function()
			local store = {}
			return setmetatable({}, {
				store = store,
				__index = function(_, k) point() return store[k] end,
				__newindex = function(_, k, v) point() store[k] = v end,
				__pairs = function() return next, store, nil end,
			})
		end,
		publish = function(name, t) published[name] = t end,
		subscribe = function(name) return published[name] end,
		cas = function(t, k, old, new)
			point()
			local store = storeof(t)
			if rawequal(store[k], old) then
				store[k] = new
				return true
			end
			casfailed = casfailed + 1
			return false
		end,
	}
end
local realprint = print
print = function(s) printed[#printed + 1] = s end

local xdp = require("xdp")
local PASS, DROP = xdp.action.PASS, xdp.action.DROP
local hello = require("examples.filter.sni_hello")
local blocklist = require("examples.filter.sni_blocklist")
local corpus = require("tests.sni.corpus")

local failures, checks = 0, 0
local function check(cond, ...)
	checks = checks + 1
	if not cond then
		failures = failures + 1
		error(string.format(...), 2)
	end
end

local function fromhex(h)
	return (h:gsub("..", function(x) return string.char(tonumber(x, 16)) end))
end

local records, names = {}, {}
for name, h in pairs(corpus) do
	records[name] = fromhex(h)
	names[#names + 1] = name
end
table.sort(names)

-- name, record in a fixed order (the runs are reproducible)
local function each()
	local i = 0
	return function()
		i = i + 1
		return names[i], records[names[i]]
	end
end

local expected = {
	tls13_sni = "www.example.com",
	tls12_sni = "blocked.example.org",
	tls13_nosni = false,
	tls12_nosni = false,
	tls13_alpn = "api.example.net",
	tls13_padding = "pad.example.com",
	tls13_big = "big.example.com",
	tls13_long_sni = "a-very-long-label-to-push-the-server-name-further.sub.example.co.uk",
}

-- one more CPU instance of the filter (sharing what is published): its
-- callback
local function instance()
	package.loaded["examples.filter.sni_filter"] = nil
	require("examples.filter.sni_filter")
	return callback
end

-- (re)load the filter: a fresh runtime with an empty blocklist; @config:
-- settings stored before it loads
local function fresh(entries, config)
	published = {}
	local rcu = require("rcu")
	local c = rcu.table()
	for k, v in pairs(config or {}) do c[k] = v end
	published["sni_filter/config"] = c
	instance()
	local list = published["sni_filter/blocklist"]
	for _, e in ipairs(entries or {}) do
		blocklist.add(list, e)
	end
	printed = {}
	return list, published["sni_filter/stats"]
end

-- frames -------------------------------------------------------------------
local pack = string.pack

local function obj(s)
	local d = data.new(#s)
	d:setstring(0, s)
	return d
end

-- A frame carrying @payload in a TCP segment with @seq, and the argument
-- the classifier would pass (flags given by the caller, as the classifier
-- decides them).
local function segment(conn, seq, payload, flags)
	local l3, tcp, ip = 14
	tcp = pack(">I2I2I4I4BBI2I2I2", conn.sport, 443, seq, 1, 0x50, 0x18, 65535, 0, 0)
	local l4
	if conn.family == 6 then
		ip = pack(">I4I2BB", 0x60000000, #tcp + #payload, 6, 64)
			.. string.rep("\xfd", 15) .. string.char(conn.src)
			.. string.rep("\xfd", 15) .. "\x02"
	else
		ip = pack(">BBI2I2I2BBI2", 0x45, 0, 20 + #tcp + #payload, 1, 0, 64, 6, 0)
			.. string.char(10, 0, 0, conn.src) .. string.char(10, 0, 0, 2)
	end
	l4 = l3 + #ip
	local eth = string.rep("\x02", 12) .. (conn.family == 6 and "\x86\xdd" or "\x08\x00")
	local frame = eth .. ip .. tcp .. payload
	local arg = pack(">I2I2I2I2BBBBI4", l4 + 20, l3, l4, #payload, conn.family, 6, flags, 0,
			 conn.isn)
	return obj(frame), obj(arg)
end

-- (on the CPU instance @cb, by default the last one loaded)
local function send(conn, from, to, flags, cb)
	local rec = conn.record
	local payload = rec:sub(from + 1, to)
	if flags == nil then
		flags = from == 0 and 1 or 2
	end
	return (cb or callback)(segment(conn, (conn.isn + from) & 0xffffffff, payload, flags))
end

local function connection(name, over)
	local c = {record = records[name], sport = 40000, family = 4, src = 1,
		   isn = 0xfffffff0}
	for k, v in pairs(over or {}) do c[k] = v end
	return c
end

-- segment boundaries of a record cut every @size bytes
local function cuts(rec, size)
	local t = {}
	for from = 0, #rec - 1, size do
		t[#t + 1] = {from, math.min(from + size, #rec)}
	end
	return t
end

-- end (exclusive, 0-based) of the server name bytes in the record
local function sniend(name)
	local rec = records[name]
	local s, e = rec:find(expected[name], 1, true)
	return e
end

local tests = {}

-- parser ---------------------------------------------------------------------
function tests.parse_corpus()
	for name, rec in each() do
		local status, sni = hello.parse(rec)
		if expected[name] then
			check(status == "sni" and sni == expected[name], "%s: %s %s", name, status, tostring(sni))
		else
			check(status == "none", "%s: %s", name, status)
		end
		check(hello.length(rec) == #rec, "%s: length", name)
	end
end

-- every prefix: "need" until the name is complete, then the answer; a
-- ClientHello without one is answered once its last extension header is in
function tests.parse_every_prefix()
	for name, rec in each() do
		local stop = expected[name] and sniend(name) or #rec
		local answered = false
		for n = 0, #rec do
			local status, sni = hello.parse(rec:sub(1, n))
			local want = expected[name] and "sni" or "none"
			if n < stop and not (answered and want == "none") then
				if status ~= "need" and want == "none" then
					check(status == "none" and n > #rec - 100, "%s prefix %d: %s", name, n, status)
					answered = true
				else
					check(status == "need", "%s prefix %d: %s", name, n, status)
				end
			else
				check(status == want, "%s prefix %d: %s", name, n, status)
			end
		end
	end
end

function tests.parse_hostile()
	local rec = records.tls13_sni
	check(hello.parse("\x17\x03\x03\x00\x10" .. string.rep("a", 16)) == "bad", "app data")
	check(hello.parse("\x16\x03\x01\x00\x10\x02" .. string.rep("a", 16)) == "bad", "server hello")
	-- record length 4: the ClientHello body is outside its record
	check(hello.parse("\x16\x03\x01\x00\x04" .. rec:sub(6)) == "bad", "short record")
	-- extensions length past the record
	local s, e = rec:find("\x00\x00\x00\x14\x00\x12\x00\x00\x0f", 1, true)
	check(s ~= nil, "server_name extension in the corpus")
	local extlen = s - 2	-- 1-based position of the extensions length
	local bad = rec:sub(1, extlen - 1) .. "\xff\xff" .. rec:sub(extlen + 2)
	check(hello.parse(bad) == "bad", "extensions past the end")
	-- server name of length 0
	local zero = rec:sub(1, e - 2) .. "\x00\x00" .. rec:sub(e + 1)
	local status = hello.parse(zero)
	check(status == "bad", "empty name: %s", status)
	-- extension length past the extensions block
	local over = rec:sub(1, s + 1) .. "\x7f\xff" .. rec:sub(s + 4)
	check(hello.parse(over) == "bad", "extension past its block")
end

-- blocklist --------------------------------------------------------------------
function tests.blocklist_match()
	local list = {}
	blocklist.add(list, "Blocked.Example.ORG.")
	blocklist.add(list, "*.example.net")
	check(blocklist.match(list, "blocked.example.org") == "blocked.example.org", "exact")
	check(blocklist.match(list, "api.example.net") == "*.example.net", "wildcard")
	check(blocklist.match(list, "a.b.c.example.net") == "*.example.net", "deep wildcard")
	check(blocklist.match(list, "example.net") == nil, "wildcard is not the parent")
	check(blocklist.match(list, "www.blocked.example.org") == nil, "exact is not a suffix")
	check(blocklist.match(list, "example.netx") == nil, "label boundary")
	check(blocklist.match(list, "") == nil, "empty")
	check(blocklist.match(list, string.rep("a.", 200) .. "example.net") == nil, "too long")
	blocklist.remove(list, "*.EXAMPLE.net")
	check(blocklist.match(list, "api.example.net") == nil, "removed")
end

-- filter, one segment --------------------------------------------------------------
function tests.single_segment_verdicts()
	local list, stats = fresh{"blocked.example.org", "*.example.net", "big.example.com"}
	local want = {tls13_sni = PASS, tls12_sni = DROP, tls13_nosni = PASS,
		      tls12_nosni = PASS, tls13_alpn = DROP, tls13_padding = PASS,
		      tls13_big = DROP, tls13_long_sni = PASS}
	for name, verdict in pairs(want) do
		local c = connection(name)
		check(send(c, 0, #c.record) == verdict, "%s", name)
	end
	check(stats.blocked == 3 and stats.allowed == 3 and stats.nosni == 2,
	      "stats %s %s %s", stats.blocked, stats.allowed, stats.nosni)
	check(#printed == 3 and printed[1]:find("^sni_filter: drop "), "log: %s", printed[1])
	-- changed at run time
	blocklist.add(list, "WWW.example.com")
	check(send(connection("tls13_sni"), 0, #records.tls13_sni) == DROP, "added")
	blocklist.remove(list, "www.example.com")
	check(send(connection("tls13_sni"), 0, #records.tls13_sni) == PASS, "removed")
end

-- Lunatik's https.c argument: two bytes, the payload offset
function tests.lunatik_argument()
	fresh{"blocked.example.org"}
	local c = connection("tls12_sni")
	local frame = segment(c, 1, c.record, 1)
	check(callback(frame, obj("\x00\x36")) == DROP, "2-byte argument, blocked")
	c = connection("tls13_sni")
	frame = segment(c, 1, c.record, 1)
	check(callback(frame, obj("\x00\x36")) == PASS, "2-byte argument, allowed")
end

-- filter, split --------------------------------------------------------------------
-- in order: everything passes until the segment that completes the name,
-- which is dropped when blocked, and so is everything after it
function tests.split_in_order()
	for _, size in ipairs{1, 7, 40, 100, 200, 536, 1000} do
		for name in each() do
			local blocked = expected[name] ~= false
			local _, stats = fresh(blocked and {expected[name]} or {})
			for _, family in ipairs{4, 6} do
				local c = connection(name, {family = family})
				local stop = blocked and sniend(name) or math.maxinteger
				local decided = false
				for i, cut in ipairs(cuts(c.record, size)) do
					local v = send(c, cut[1], cut[2])
					local want = (blocked and cut[2] >= stop) and DROP or PASS
					check(v == want, "%s size %d family %d segment %d: %d", name, size, family, i, v)
					if want == DROP and not decided then
						decided = true
						-- its retransmission, and an earlier segment's
						check(send(c, cut[1], cut[2]) == DROP, "%s retransmitted", name)
						check(send(c, 0, math.min(size, #c.record)) == DROP, "%s first again", name)
					end
				end
				check(decided == blocked, "%s size %d decided", name, size)
			end
			-- a connection is judged once; a one-segment ClientHello
			-- (nothing to follow) again on each retransmission (3 sent)
			if blocked then
				local judged = size < #records[name] and 2 or 6
				check(stats.blocked == judged, "%s size %d blocked count %s", name, size, stats.blocked)
			end
		end
	end
end

-- covered(segs): bytes [0, n) received without a gap
local function covered(got)
	table.sort(got, function(a, b) return a[1] < b[1] end)
	local have = 0
	for _, g in ipairs(got) do
		if g[1] <= have and g[2] > have then
			have = g[2]
		end
	end
	return have
end

-- Sends @order (indexes into the cuts, the first always first, as the
-- classifier only follows a connection once it saw the record start);
-- checks the drop comes exactly when the received bytes first cover the
-- name and that nothing passes after it.
local function replay(c, segs, order, blocked)
	local stop = blocked and sniend(c.name) or math.maxinteger
	local got, decided = {}, false
	for _, i in ipairs(order) do
		local cut = segs[i]
		local v = send(c, cut[1], cut[2])
		got[#got + 1] = {cut[1], cut[2]}
		if decided then
			check(v == DROP, "%s: segment %d after the verdict: %d", c.name, i, v)
		elseif covered(got) >= stop then
			check(v == DROP, "%s: segment %d completing the name: %d", c.name, i, v)
			decided = true
		else
			check(v == PASS, "%s: segment %d before the name: %d", c.name, i, v)
		end
	end
	return decided
end

function tests.split_out_of_order_and_retransmitted()
	for name in each() do
		local blocked = expected[name] ~= false
		fresh(blocked and {expected[name]} or {})
		local c = connection(name)
		c.name = name
		local segs = cuts(c.record, 64)
		local order = {1}
		for i = #segs, 2, -1 do
			order[#order + 1] = i	-- reversed
			order[#order + 1] = i	-- and each one twice
		end
		check(replay(c, segs, order, blocked) == blocked, "%s reversed", name)
	end
end

function tests.interleaved_connections()
	fresh{"blocked.example.org"}
	local a = connection("tls12_sni", {sport = 1111})
	local b = connection("tls13_big", {sport = 2222, family = 6})
	local sa, sb = cuts(a.record, 50), cuts(b.record, 300)
	local va, vb = {}, {}
	for i = 1, math.max(#sa, #sb) do
		if sa[i] then va[i] = send(a, sa[i][1], sa[i][2]) end
		if sb[i] then vb[i] = send(b, sb[i][1], sb[i][2]) end
	end
	for i, v in ipairs(vb) do
		check(v == PASS, "allowed connection segment %d", i)
	end
	check(va[#va] == DROP, "blocked connection dropped")
end

function tests.tuple_reuse()
	fresh{"blocked.example.org"}
	local c = connection("tls12_sni")
	for _, cut in ipairs(cuts(c.record, 50)) do
		send(c, cut[1], cut[2])
	end
	check(send(c, 0, 50) == DROP, "blocked connection")
	-- a new connection on the same 4-tuple (another ISN), allowed name
	local d = connection("tls13_sni", {isn = 5000})
	local v
	for _, cut in ipairs(cuts(d.record, 50)) do
		v = send(d, cut[1], cut[2])
		check(v == PASS, "reused tuple segment at %d", cut[1])
	end
end

function tests.expiry_and_bounds()
	local _, stats = fresh({"blocked.example.org"}, {max = 256})
	local c = connection("tls12_sni")
	check(send(c, 0, 50) == PASS, "first segment")
	clock = clock + 11000000000	-- past the 10 s a partial ClientHello waits
	check(send(c, 50, #c.record) == PASS, "after expiry: fails open")
	check(stats.untracked == 1 and stats.expired == 1, "untracked %s expired %s",
	      stats.untracked, stats.expired)
	-- 300 partial ClientHellos (max 256): the table is full, the rest are
	-- not followed (counted, the configured verdict: PASS by default)
	for i = 1, 300 do
		local d = connection("tls13_sni", {sport = 10000 + i})
		send(d, 0, 40)
	end
	check(stats.tracked == 257, "tracked %s", stats.tracked)
	check(stats.full == 44, "full %s", stats.full)
	local last = connection("tls12_sni", {sport = 20000})
	check(send(last, 0, 40) == PASS, "full: passed")
	check(send(last, 40, #last.record) == PASS, "full: not followed")
	check(stats.full == 45, "full counted %s", stats.full)
	published["sni_filter/config"].full = DROP
	check(send(connection("tls12_sni", {sport = 20001}), 0, 40) == DROP,
	      "full: the configured verdict")
	-- once they expire, a sweep makes room
	clock = clock + 11000000000
	local again = connection("tls12_sni", {sport = 20002})
	check(send(again, 0, 40) == PASS, "after the sweep: followed")
	check(send(again, 40, #again.record) == DROP, "after the sweep: judged")
	check(stats.expired == 257, "expired %s", stats.expired)
	local count = storeof(published["sni_filter/flows"])["#"]
	check(count == 1, "connections counted %s", count)
	clock = clock + 1000000000
end

function tests.log_is_rate_limited()
	local _, stats = fresh{"blocked.example.org"}
	for i = 1, 25 do
		send(connection("tls12_sni", {sport = i}), 0, #records.tls12_sni)
	end
	check(#printed == 10 and stats.logdropped == 15, "logged %d, dropped %s", #printed, stats.logdropped)
	clock = clock + 1000000000
	send(connection("tls12_sni", {sport = 99}), 0, #records.tls12_sni)
	check(#printed == 11, "next second logs again")
end

-- fuzz -----------------------------------------------------------------------------
local seed = 0x2545f491
local function rand(n)	-- xorshift32: 1..n
	seed = seed ~ (seed << 13) & 0xffffffff
	seed = seed ~ (seed >> 17)
	seed = seed ~ (seed << 5) & 0xffffffff
	return seed % n + 1
end

-- random segmentations, orders and duplicates: the verdict still holds
function tests.fuzz_segmentation()
	for round = 1, 60 do
		for name in each() do
			local blocked = expected[name] ~= false
			fresh(blocked and {expected[name]} or {})
			local c = connection(name, {isn = rand(0x7fffffff), family = rand(2) == 1 and 4 or 6})
			c.name = name
			local segs, from = {}, 0
			while from < #c.record do
				local to = math.min(#c.record, from + rand(300))
				segs[#segs + 1] = {from, to}
				from = to
			end
			local order = {1}
			for _ = 1, #segs * 2 do
				order[#order + 1] = rand(#segs)
			end
			for i = 2, #segs do	-- every segment at least once
				order[#order + 1] = i
			end
			check(replay(c, segs, order, blocked) == blocked, "%s round %d", name, round)
		end
	end
end

-- mutated ClientHellos: the parser answers, the callback never raises
function tests.fuzz_mutation()
	local statuses = {sni = true, none = true, need = true, bad = true}
	fresh{"blocked.example.org", "*.example.com"}
	for round = 1, 3000 do
		local rec = records[names[rand(#names)]]
		local bytes = {rec:byte(1, -1)}
		for _ = 1, rand(8) do
			local at = rand(#bytes)
			bytes[at] = rand(256) - 1
		end
		local s = string.char(table.unpack(bytes, 1, rand(#bytes)))
		local status = hello.parse(s)
		check(statuses[status], "round %d: status %s", round, tostring(status))
		local c = {record = s, sport = rand(60000), family = 4, src = 1, isn = rand(1000)}
		local cut = rand(#s)
		local ok, v = pcall(send, c, 0, cut, 1)
		check(ok and (v == PASS or v == DROP), "round %d: %s", round, tostring(v))
		ok, v = pcall(send, c, cut, #s, 2)
		check(ok and (v == PASS or v == DROP), "round %d: %s", round, tostring(v))
	end
end

-- CPUs ------------------------------------------------------------------------------
-- Segments of one ClientHello received on different CPUs (instances):
-- judged as on one. (Fails with state kept per instance.)
function tests.split_across_instances()
	for _, ncpu in ipairs{2, 3} do
		for _, size in ipairs{7, 40, 100} do
			for name in each() do
				local blocked = expected[name] ~= false
				fresh(blocked and {expected[name]} or {})
				local cpus = {callback}
				for i = 2, ncpu do cpus[i] = instance() end
				local c = connection(name, {family = size == 40 and 6 or 4})
				local stop = blocked and sniend(name) or math.maxinteger
				local decided = false
				for i, cut in ipairs(cuts(c.record, size)) do
					local v = send(c, cut[1], cut[2], nil, cpus[i % ncpu + 1])
					local want = (decided or cut[2] >= stop) and DROP or PASS
					check(v == want, "%s %d cpus size %d segment %d: %d",
					      name, ncpu, size, i, v)
					decided = want == DROP
					if decided then
						-- resent, to another CPU
						check(send(c, cut[1], cut[2], nil, cpus[(i + 1) % ncpu + 1]) == DROP,
						      "%s resent", name)
					end
				end
				check(decided == blocked, "%s %d cpus size %d decided", name, ncpu, size)
			end
		end
	end
end

-- Run @calls as if on different CPUs at once: each may be preempted at
-- every rcu access, in a random order. Their verdicts.
local function concurrently(calls)
	local cos, results, live = {}, {}, #calls
	for i, f in ipairs(calls) do
		cos[i] = coroutine.create(f)
	end
	interleave = true
	while live > 0 do
		local i = rand(#calls)
		if coroutine.status(cos[i]) == "suspended" then
			local ok, v = coroutine.resume(cos[i])
			if not ok then
				interleave = false
				error(v, 0)
			end
			if coroutine.status(cos[i]) == "dead" then
				results[i] = v
				live = live - 1
			end
		end
	end
	interleave = false
	return results
end

-- The first segment late: the classifier (following the connection from
-- its SYN) flags the segments that overtake it as early, with the record
-- start; they are held until the gap fills, and the segment completing the
-- name - whichever it is - is dropped.
-- A segment dropped before the verdict (more gaps than a state holds:
-- counted in pieces) never reached the server: it is resent at the end.
local function replay_any(c, segs, order, blocked, cpus, stats)
	local stop = blocked and sniend(c.name) or math.maxinteger
	local got, decided, first = {}, false, false
	local n, held = 0, 0
	while n < #order do
		n = n + 1
		local i = order[n]
		local cut = segs[i]
		local flags = i == 1 and 1 or (first and 2 or 2 | 8)
		local v = send(c, cut[1], cut[2], flags, cpus and cpus[n % #cpus + 1])
		if decided then
			check(v == DROP, "%s: segment %d after the verdict: %d", c.name, i, v)
		elseif v == DROP and covered({table.unpack(got)}) < stop and
		       covered({{cut[1], cut[2]}, table.unpack(got)}) < stop then
			held = held + 1		-- too many gaps: resent later
			check(stats ~= nil and stats.pieces == held, "%s: segment %d dropped, pieces %s",
			      c.name, i, stats and tostring(stats.pieces))
			order[#order + 1] = i
		else
			first = first or i == 1
			got[#got + 1] = {cut[1], cut[2]}
			if covered(got) >= stop then
				check(v == DROP, "%s: segment %d completing the name: %d", c.name, i, v)
				decided = true
			else
				check(v == PASS, "%s: segment %d before the name: %d", c.name, i, v)
			end
		end
	end
	return decided
end

function tests.first_segment_late()
	for round = 1, 30 do
		for name in each() do
			local blocked = expected[name] ~= false
			local _, stats = fresh(blocked and {expected[name]} or {})
			local cpus = {callback, instance()}
			local c = connection(name, {isn = rand(0x7fffffff), family = rand(2) == 1 and 4 or 6})
			c.name = name
			local segs = cuts(c.record, 20 + rand(100))
			local order = {}
			for i = 1, #segs do order[i] = i end
			for i = #order, 2, -1 do	-- shuffled, some twice
				local j = rand(i)
				order[i], order[j] = order[j], order[i]
			end
			order[#order + 1] = order[rand(#order)]
			check(replay_any(c, segs, order, blocked, cpus, stats) == blocked,
			      "%s round %d", name, round)
			if blocked then
				check(stats.blocked == 1, "%s round %d: judged %s", name, round, tostring(stats.blocked))
			end
		end
	end
	-- reversed: every segment early but the last to come
	for name in each() do
		local blocked = expected[name] ~= false
		local _, stats = fresh(blocked and {expected[name]} or {})
		local c = connection(name)
		c.name = name
		local segs = cuts(c.record, 64)
		local order = {}
		for i = #segs, 1, -1 do order[#order + 1] = i end
		check(replay_any(c, segs, order, blocked, nil, stats) == blocked, "%s reversed", name)
	end
	-- an early segment of a connection that is no ClientHello: held, then
	-- judged malformed when its start comes (passes)
	local _, stats = fresh{"blocked.example.org"}
	local c = connection("tls12_sni")
	c.record = "GET / HTTP/1.1\r\nHost: blocked.example.org\r\n\r\n"
	check(send(c, 10, #c.record, 2 | 8) == PASS and stats.early == 1, "early, not TLS")
	check(send(c, 0, 10, 2) == PASS and stats.malformed == 1, "not TLS: passes")
end

-- Two or three segments of one ClientHello handled at the same time on
-- different CPUs, in random interleavings: the group whose segments
-- complete the name drops at least one of them (the one that completes it
-- in the shared state), every group after it drops all of its segments,
-- nothing before it drops, and no CPU gives up (no "race" fallback).
function tests.concurrent_segments()
	local failed0 = casfailed
	for round = 1, 40 do
		for name in each() do
			local blocked = expected[name] ~= false
			local _, stats = fresh(blocked and {expected[name]} or {})
			local cpus = {callback, instance(), instance()}
			local c = connection(name, {isn = rand(0x7fffffff), family = rand(2) == 1 and 4 or 6})
			local segs = cuts(c.record, 16 + rand(60))
			local stop = blocked and sniend(name) or math.maxinteger
			check(send(c, segs[1][1], segs[1][2], nil, cpus[1]) ==
			      ((segs[1][2] >= stop) and DROP or PASS), "%s first", name)
			local decided, got, i = segs[1][2] >= stop, {segs[1]}, 2
			while i <= #segs do
				local n = math.min(rand(3), #segs - i + 1)
				local calls, group = {}, {}
				for k = 1, n do
					local cut = segs[i + k - 1]
					group[k] = cut
					got[#got + 1] = {cut[1], cut[2]}
					calls[k] = function()
						return send(c, cut[1], cut[2], nil, cpus[k])
					end
				end
				local v = concurrently(calls)
				local drops = 0
				for k = 1, n do
					if v[k] == DROP then drops = drops + 1 end
				end
				if decided then
					check(drops == n, "%s round %d: after the verdict %d of %d dropped",
					      name, round, drops, n)
				elseif covered(got) >= stop then
					check(drops >= 1, "%s round %d: the group completing the name: no drop",
					      name, round)
					decided = true
				else
					check(drops == 0, "%s round %d: before the name: %d dropped",
					      name, round, drops)
				end
				i = i + n
			end
			check(decided == blocked, "%s round %d decided", name, round)
			check(stats.race == nil, "%s round %d: race fallback %s", name, round,
			      tostring(stats.race))
			if blocked then
				check(stats.blocked == 1, "%s round %d: judged %s times", name, round,
				      tostring(stats.blocked))
			end
		end
	end
	-- the interleavings did make CPUs lose swaps (and retry)
	check(casfailed - failed0 > 100, "swaps lost: %d", casfailed - failed0)
end

-- A CPU that keeps losing the swap gives up after its tries: the configured
-- verdict (DROP by default), counted; a later resend is judged right.
function tests.race_fallback()
	local _, stats = fresh{"blocked.example.org"}
	local c = connection("tls12_sni")
	check(send(c, 0, 50) == PASS, "first")
	local rcu = require("rcu")
	local realcas = rcu.cas
	local flowsT = published["sni_filter/flows"]
	rcu.cas = function(t, k, old, new)
		if t == flowsT then
			return false	-- another CPU always got there first
		end
		return realcas(t, k, old, new)
	end
	local ok, v = pcall(send, c, 50, #c.record)
	rcu.cas = realcas
	check(ok and v == DROP and stats.race == 1, "gave up: %s %s", tostring(v), tostring(stats.race))
	published["sni_filter/config"].race = PASS
	rcu.cas = function(t, k, old, new)
		if t == flowsT then return false end
		return realcas(t, k, old, new)
	end
	ok, v = pcall(send, c, 50, #c.record)
	rcu.cas = realcas
	check(ok and v == PASS and stats.race == 2, "configured: %s", tostring(v))
	check(send(c, 50, #c.record) == DROP, "resent: judged")
	check(stats.blocked == 1, "blocked %s", tostring(stats.blocked))
end

-- More than 16 gaps: the segment is dropped (resent later), counted
function tests.too_many_pieces()
	local _, stats = fresh{"blocked.example.org"}
	local c = connection("tls12_sni")
	check(send(c, 0, 10) == PASS, "first")
	for k = 1, 15 do	-- 16 pieces with the first
		check(send(c, 10 + 2 * k, 11 + 2 * k) == PASS, "piece %d", k)
	end
	check(send(c, 60, 61) == DROP and stats.pieces == 1, "17th gap: %s", tostring(stats.pieces))
	check(send(c, 10, #c.record) == DROP, "the rest: judged")
end

-- run ------------------------------------------------------------------------------
local order = {}
for name in pairs(tests) do order[#order + 1] = name end
table.sort(order)
local failed = {}
for _, name in ipairs(order) do
	local ok, err = pcall(tests[name])
	if not ok then
		failed[#failed + 1] = name .. ": " .. tostring(err)
	end
end
print = realprint
for _, f in ipairs(failed) do
	print("FAIL " .. f)
end
print(string.format("sni_filter_test: %d tests, %d checks, %d failed", #order, checks, #failed))
if #failed > 0 then
	error(#failed .. " test(s) failed", 0)
end
