-- examples/dnsblock/libxt_dnsblock.lua
--
-- The iptables side of the dnsblock match, for luaxt-build:
--
--   luaxt-build -n dnsblock --install examples/dnsblock/libxt_dnsblock.lua
--   iptables -A OUTPUT -m dnsblock [--blocklist NAME] -j DROP
--
-- Userargs: empty (the default blocklist) or "list=NAME"; the kernel side
-- (xt_dnsblock.lua) reads the same text and refuses anything else.
-- Userspace Lua here (Debian's Lua 5.4), self-contained: the description is
-- embedded in the library.
local luaxt = require("luaxt")

local LIST = 1		-- par.flags bit: --blocklist given

local function help()
	return [[
dnsblock match options:
  --blocklist NAME	use the blocklist NAME (default: the list "dnsblock")
The match is true for DNS queries (UDP/TCP port 53) naming a blocked name or
a name under one. Lists are edited with lunatik-pipeline exec.
]]
end

local function parse(par)
	if par.option ~= "blocklist" then
		return false
	end
	if par.invert then
		error("--blocklist cannot be inverted")
	end
	if par.flags & LIST ~= 0 then
		error("--blocklist given twice")
	end
	local name = par.arg or ""
	if not name:match("^[%w_%-%.]+$") or #name > 64 then
		error("--blocklist NAME: 1 to 64 letters, digits, '_', '-' or '.'")
	end
	par.userargs = "list=" .. name
	par.flags = par.flags | LIST
	return true
end

-- iptables-save: "list=NAME" -> "--blocklist NAME"; the default list, nothing
local function save(userargs)
	local name = userargs:match("^list=(.*)$")
	return name and "--blocklist " .. name or ""
end

-- iptables -L: "dnsblock [blocklist NAME]"
local function print_(userargs)
	local name = userargs:match("^list=(.*)$")
	return "dnsblock" .. (name and " blocklist " .. name or "")
end

luaxt.match{
	revision = 1,
	family = luaxt.family.UNSPEC,
	options = {
		-- not "list": iptables' own --list (-L) would take it
		{name = "blocklist", arg = true, help = "use the blocklist NAME"},
	},
	help = help,
	init = function(par) par.userargs = "" end,
	parse = parse,
	final_check = function() end,
	print = print_,
	save = save,
}
