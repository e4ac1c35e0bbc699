-- userargs longer than 256 bytes are cut to 256 (3.6); a number is taken as
-- its text; --bad hands back a table, which is an error.
local luaxt = require("luaxt")

luaxt.target{
	revision = 2,
	family = luaxt.family.IPV4,
	options = { { name = "fill", arg = true }, { name = "bad" }, { name = "num" },
		{ name = "boom" }, { name = "refuse" }, { name = "flags" } },
	parse = function(par)
		if par.option == "fill" then
			par.userargs = string.rep(par.arg, 300)
		elseif par.option == "bad" then
			par.userargs = {}
		elseif par.option == "num" then
			par.userargs = 42
		elseif par.option == "boom" then
			error(setmetatable({}, { __tostring = function() return "boom" end }))
		elseif par.option == "refuse" then
			return false
		elseif par.option == "flags" then
			par.flags = -1
		end
		return true
	end,
	save = function(userargs)
		if userargs == "42" then return "--num" end
		return "--fill " .. userargs:sub(1, 2)
	end,
}
