-- One library, a match and a target of the same name; help() errors.
local luaxt = require("luaxt")
luaxt.match{ revision = 0, family = luaxt.family.UNSPEC,
	help = function() return "luaxtboth match\n" end }
luaxt.target{ revision = 0, family = luaxt.family.UNSPEC,
	help = function() error("help failed on purpose") end }
