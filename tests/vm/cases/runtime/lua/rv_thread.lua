-- A set whose Lua-made runtime is run by a kernel thread: the thread holds
-- the runtime's lock until it is stopped.
local lunatik = require("lunatik")
local thread = require("thread")

idle = lunatik.runtime("tests/vm/cases/libs/lua/idle")
worker = thread.run(idle, "lp_rv_idle")
