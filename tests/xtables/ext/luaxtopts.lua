-- A match with options: --list NAME (a value), --log (a flag).
-- userargs is "list=NAME;log" text; save prints options iptables-restore
-- parses back into the same bytes.
local luaxt = require("luaxt")

local LIST, LOG = 1, 2

local function decode(userargs)
	return userargs:match("list=([^;]*)"), userargs:find(";log", 1, true) ~= nil
end

local function encode(list, log)
	return "list=" .. (list or "") .. (log and ";log" or "")
end

luaxt.match{
	revision = 1,
	family = luaxt.family.UNSPEC,
	options = {
		{ name = "list", arg = true, help = "NAME of the list to use" },
		{ name = "log", help = "count matches in the log" },
	},
	parse = function(par)
		local list, log = decode(par.userargs)
		if par.option == "list" then
			if par.invert or par.arg == "" then return false end
			list = par.arg
			par.flags = par.flags | LIST
		elseif par.option == "log" then
			log = true
			par.flags = par.flags | LOG
		end
		par.userargs = encode(list, log)
		return true
	end,
	final_check = function(flags)
		if flags & LIST == 0 then error("--list NAME is required") end
	end,
	print = function(userargs)
		local list, log = decode(userargs)
		return "luaxtopts list " .. list .. (log and " log" or "")
	end,
	save = function(userargs)
		local list, log = decode(userargs)
		return "--list " .. list .. (log and " --log" or "")
	end,
}
