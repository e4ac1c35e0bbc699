-- A Lua x_tables match (Lunatik 3.6 API): UDP to the port the rule names.
-- The rule's arguments are "<port> <mode>" (libxt_luadrop.so: --port,
-- --mode); modes other than "ok" misbehave on purpose.
local xt = require("xtable")
local linux = require("linux")

local function args(userargs)
	local port, mode = userargs:match("^(%d+) (%l+)")
	return tonumber(port), mode
end

local function udp_dport(skb, thoff)
	local version = skb:getuint8(0) >> 4
	local proto = version == 4 and skb:getuint8(9) or skb:getuint8(6)
	if proto ~= 17 then
		return nil
	end
	return linux.ntoh16(skb:getuint16(thoff + 2))
end

xt.match{
	name = "luadrop",
	revision = 1,
	family = xt.family.UNSPEC,
	proto = 0,
	hooks = 0,
	match = function(skb, par, userargs)
		local port, mode = args(userargs)
		if mode == "error" then
			error("luadrop: match fails on purpose")
		elseif mode == "loop" then
			while true do end
		elseif mode == "garbage" then
			return {}	-- truthy: a match, as in 3.6
		elseif mode == "hotdrop" then
			par.hotdrop = true
			return false
		elseif mode == "whole" then
			-- IPv4: does the view hold the whole packet? (a non-linear
			-- skb is copied whole for a match)
			return #skb == linux.ntoh16(skb:getuint16(2))
		elseif mode == "past" then
			-- beyond the packet: a Lua error, never a read past it
			return skb:getuint8(#skb) ~= nil
		end
		return udp_dport(skb, par.thoff) == port
	end,
	checkentry = function(userargs)
		local port, mode = args(userargs)
		if not port then
			error("luadrop: bad arguments")
		elseif mode == "reject" then
			error("luadrop: rule rejected by checkentry")
		end
	end,
	destroy = function(userargs) end,
}
