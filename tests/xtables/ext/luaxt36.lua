-- Written as for Lunatik 3.6 (dnsdoctor's shape): init packs binary
-- arguments, every other callback does nothing, output through io.write.
local luaxt = require("luaxt")
local family = luaxt.family

local function nop() end

luaxt.target{
	revision = 0,
	family = family.UNSPEC,
	help = function() io.write("luaxt36 takes no options\n") end,
	init = function(par)
		par.userargs = string.pack(">s4I4I4", "\7lunatik\3com", 0x0a010102, 0x0a010203)
	end,
	print = function(userargs) io.write(" luaxt36 ", #userargs) end,
	save = nop,
	parse = nop,
	final_check = nop,
}
