-- iptables side of tests/vm/cases/xtables/lua/luarewrite.lua:
--   -j LUAREWRITE --port N [--verdict continue|accept|drop|stolen|repeat|stop|error|garbage]
local luaxt = require("luaxt")

luaxt.target{
	revision = 0,
	family = luaxt.family.IPV4,
	options = {
		{ name = "port", arg = true },
		{ name = "verdict", arg = true },
	},
	init = function(par) par.userargs = "0 continue" end,
	parse = function(par)
		local port, verdict = par.userargs:match("^(%d+) (%l+)")
		if par.option == "port" then
			port = par.arg:match("^%d+$")
			if not port then return false end
			par.flags = 1
		else
			verdict = par.arg:match("^%l+$")
			if not verdict then return false end
		end
		par.userargs = port .. " " .. verdict
		return true
	end,
	final_check = function(flags)
		if flags == 0 then error("--port is required") end
	end,
	save = function(userargs)
		local port, verdict = userargs:match("^(%d+) (%l+)")
		return "--port " .. port .. " --verdict " .. verdict
	end,
	print = function(userargs)
		return "LUAREWRITE " .. userargs:gsub("%z+$", "")
	end,
}
