-- thread test: a kernel thread whose own runtime keeps its thread object (a
-- reference cycle no Lua reference of the set breaks). Stopping the set stops it.
local lunatik = require("lunatik")
local thread = require("thread")
local rcu = require("rcu")

function start()
	local rt = lunatik.runtime("tests/vm/cases/libs/lua/cycle_worker")
	local tbl = rcu.table(16)
	rcu.publish("libs.cycle", tbl)
	tbl.thrd = thread.run(rt, "lp_cycle")
	return "ok"
end
