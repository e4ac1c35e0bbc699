-- leak test: every library object kind created and dropped many times.
local data = require("data")
local rcu = require("rcu")
local completion = require("completion")
local lunatik = require("lunatik")
local thread = require("thread")

local keep = rcu.table(64)

function churn(n)
	for i = 1, n do
		local t = rcu.table(8)
		t.a = i
		t.b = data.new(16)
		t.b = completion.new()	-- replaced entry: freed after a grace period
		t.c = true
		t.a = nil
		keep["k" .. (i % 50)] = t	-- drops the table stored 50 rounds ago
		rcu.publish("libs.churn", t)
		local d = data.new(i % 64)
		if #d > 0 then d:setbyte(0, 1) end
		local c <close> = completion.new()
		c:complete()
		c:wait(0)
	end
	rcu.publish("libs.churn", nil)
	for i = 0, 49 do keep["k" .. i] = nil end
	collectgarbage()
	collectgarbage()
	return "ok"
end

function threads(n)
	for _ = 1, n do
		local thrd = thread.run(lunatik.runtime("tests/vm/cases/libs/lua/idle"), "lp_idle")
		thrd:stop()
	end
	collectgarbage()
	collectgarbage()
	return "ok"
end
