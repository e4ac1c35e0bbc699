-- examples/demo/counter.lua
--
-- A per-CPU runtime set (one lua_State per CPU) keeping state that only its
-- own CPU touches, so the packet path never shares a lock between CPUs. The
-- demo drives it through `lunatik-pipeline exec`, pinned with taskset.
local linux = require("linux")
local lunatik = require("lunatik")

local hits = 0
local born = linux.time()

-- Called from exec: count a hit on this CPU's instance and report it.
function hit(n)
	hits = hits + (n or 1)
	return lunatik.cpu(), hits
end

function uptime_ms()
	return (linux.time() - born) // 1000000
end
