-- iptables side of tests/vm/cases/xtables/lua/luadrop.lua:
--   -m luadrop --port N [--mode ok|error|loop|garbage|hotdrop|past|reject]
-- userargs "<port> <mode>".
local luaxt = require("luaxt")

local modes = { ok = true, error = true, loop = true, garbage = true,
	hotdrop = true, past = true, reject = true, whole = true }

local function decode(userargs)
	return userargs:match("^(%d+) (%l+)")
end

luaxt.match{
	revision = 1,
	family = luaxt.family.UNSPEC,
	options = {
		{ name = "port", arg = true, help = "UDP destination port" },
		{ name = "mode", arg = true, help = "ok (default) or a misbehaviour" },
	},
	init = function(par) par.userargs = "0 ok" end,
	parse = function(par)
		local port, mode = decode(par.userargs)
		if par.option == "port" then
			local n = math.tointeger(tonumber(par.arg))
			if not n or n < 1 or n > 65535 then return false end
			port = tostring(n)
			par.flags = par.flags | 1
		elseif par.option == "mode" then
			if not modes[par.arg] then return false end
			mode = par.arg
		end
		par.userargs = port .. " " .. mode
		return true
	end,
	final_check = function(flags)
		if flags & 1 == 0 then error("--port is required") end
	end,
	print = function(userargs)
		local port, mode = decode(userargs)
		return "luadrop port " .. port .. (mode ~= "ok" and " mode " .. mode or "")
	end,
	save = function(userargs)
		local port, mode = decode(userargs)
		return "--port " .. port .. (mode ~= "ok" and " --mode " .. mode or "")
	end,
}
