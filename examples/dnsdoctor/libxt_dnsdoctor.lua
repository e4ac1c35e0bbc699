-- examples/dnsdoctor/libxt_dnsdoctor.lua
--
-- The iptables side of the dnsdoctor target, for luaxt-build:
--
--   luaxt-build -n dnsdoctor --install examples/dnsdoctor/libxt_dnsdoctor.lua
--   iptables -t mangle -A PREROUTING -p udp --sport 53 \
--       -j dnsdoctor --name lunatik.com --a 10.1.2.3 [--aaaa ADDR] [--client PREFIX]...
--
-- Userargs: "name=N a=A aaaa=AAAA client=P ..." (at most 255 bytes). This
-- side checks the shape of each value; the kernel side (xt_dnsdoctor.lua)
-- parses them fully and refuses the rule (EINVAL) when an address is wrong.
-- Self-contained: the description is embedded in the library.
local luaxt = require("luaxt")

local NAME, A, AAAA = 1, 2, 4

local function help()
	return [[
dnsdoctor target options:
  --name NAME        rewrite answers whose owner is NAME (required)
  --a ADDR           IPv4 address written into A answers
  --aaaa ADDR        IPv6 address written into AAAA answers
  --client PREFIX    only for responses to PREFIX (repeatable; default: all)
]]
end

local shapes = {
	name = "^[%w_%-%.]+$",
	a = "^%d+%.%d+%.%d+%.%d+$",
	aaaa = "^[%x:.]+$",
	client = "^[%x:.]+/?%d*$",
}
local bits = {name = NAME, a = A, aaaa = AAAA}

local function parse(par)
	local key, value = par.option, par.arg or ""
	if shapes[key] == nil then
		return false
	end
	if par.invert then
		error("--" .. key .. " cannot be inverted")
	end
	if not value:match(shapes[key]) then
		error("--" .. key .. ": bad value '" .. value .. "'")
	end
	local bit = bits[key]
	if bit ~= nil then
		if par.flags & bit ~= 0 then
			error("--" .. key .. " given twice")
		end
		par.flags = par.flags | bit
	end
	local args = (par.userargs ~= "" and par.userargs .. " " or "") ..
		key .. "=" .. value
	if #args > 255 then
		error("arguments longer than 255 bytes")
	end
	par.userargs = args
	return true
end

local function final_check(flags)
	if flags & NAME == 0 then
		error("--name is required")
	end
	if flags & (A | AAAA) == 0 then
		error("--a or --aaaa is required")
	end
end

-- "name=N a=A" -> "--name N --a A" (iptables-save) or "name N a A"
-- (iptables -L), in the order given
local function options(userargs, dashes)
	local out = {}
	for k, v in userargs:gmatch("(%a+)=(%S+)") do
		out[#out + 1] = dashes .. k .. " " .. v
	end
	return table.concat(out, " ")
end

luaxt.target{
	revision = 0,
	family = luaxt.family.UNSPEC,
	options = {
		{name = "name", arg = true, help = "owner name of the answers to rewrite"},
		{name = "a", arg = true, help = "IPv4 address for A answers"},
		{name = "aaaa", arg = true, help = "IPv6 address for AAAA answers"},
		{name = "client", arg = true, help = "client prefix (repeatable)"},
	},
	help = help,
	init = function(par) par.userargs = "" end,
	parse = parse,
	final_check = final_check,
	print = function(userargs) return options(userargs, "") end,
	save = function(userargs) return options(userargs, "--") end,
}
