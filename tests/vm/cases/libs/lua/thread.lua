-- thread and completion checks. The body starts two kernel threads; the
-- shell test drives the checks through exec (process context).
local lunatik = require("lunatik")
local thread = require("thread")
local completion = require("completion")
local rcu = require("rcu")
local linux = require("linux")
local check = require("tests.vm.cases.libs.lua.check")
local eq, truthy, raises = check.eq, check.truthy, check.raises

local shared = rcu.table(16)
rcu.publish("libs.thread", shared)
local started = completion.new()
shared.started = started
shared.waitc = completion.new()

local worker = thread.run(lunatik.runtime("tests/vm/cases/libs/lua/worker"), "lp_worker")
local waiter = thread.run(lunatik.runtime("tests/vm/cases/libs/lua/waiter"), "lp_waiter")

local function until_true(fn, what)
	for _ = 1, 500 do
		if fn() then return end
		linux.schedule(10)
	end
	error(what .. ": timed out")
end

function test_completion()
	local c = completion.new()
	local ok, why = c:wait(10)
	eq(ok, nil, "wait times out")
	eq(why, "timeout", "timeout reason")
	c:complete()
	eq(c:wait(10), true, "wait after complete")
	c:complete()
	c:complete()
	eq(c:wait(), true, "first of two completions")
	eq(c:wait(0), true, "second of two completions")
	eq(select(2, c:wait(0)), "timeout", "completions are counted")
	raises(function() c:wait(-1) end, "timeout must be non-negative", "negative timeout")
	return "ok"
end

function test_worker()
	eq(started:wait(10000), true, "worker started")
	local task = worker:task()
	eq(task.command, "lp_worker", "task command")
	truthy(task.pid > 0 and task.tgid > 0, "task pid/tgid")
	truthy(task.cpu >= 0, "task cpu")
	eq(thread.shouldstop(), false, "shouldstop outside a thread")
	local me = thread.current()
	truthy(me:task().pid > 0, "current task")
	raises(function() me:stop() end, "not a thread made by thread.run", "stop current")
	local n = shared.count
	until_true(function() return shared.count > n end, "worker counts")
	worker:stop()
	eq(shared.stopped, true, "worker returned after shouldstop")
	worker:stop()	-- a second stop is a no-op
	return "ok"
end

function test_waiter()
	until_true(function() return shared.waiting end, "waiter waiting")
	shared.waitc:complete()
	until_true(function() return shared.waits == 1 end, "waiter woken")
	eq(shared.interrupted, false, "wait completed")
	waiter:stop()
	eq(shared.interrupted, true, "stop interrupts the wait")
	return "ok"
end

function test_stopped_runtime()
	local rt = lunatik.runtime("tests/vm/cases/libs/lua/worker")
	rt:stop()
	raises(function() thread.run(rt, "lp_never") end, "runtime is stopped", "run a stopped runtime")
	raises(function() thread.run({}, "x") end, "bad argument #1", "run a non-runtime")
	return "ok"
end
