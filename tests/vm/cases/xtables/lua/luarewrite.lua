-- A Lua x_tables target (Lunatik 3.6 API): UDP/IPv4 to the rule's port
-- gets its payload upper-cased (checksum cleared) and the rule's verdict.
-- Arguments "<port> <verdict>" (libxt_LUAREWRITE.so: --port, --verdict).
local xt = require("xtable")
local linux = require("linux")
local action = xt.action

local verdicts = {
	accept = action.ACCEPT, drop = action.DROP, continue = action.CONTINUE,
	stolen = action.STOLEN, ["repeat"] = action.REPEAT, stop = action.STOP,
}

xt.target{
	name = "LUAREWRITE",
	revision = 0,
	family = xt.family.IPV4,
	proto = 0,
	hooks = 0,
	target = function(skb, par, userargs)
		local port, what = userargs:match("^(%d+) (%l+)")
		local thoff = par.thoff
		if skb:getuint8(9) ~= 17 or
		   linux.ntoh16(skb:getuint16(thoff + 2)) ~= tonumber(port) then
			return action.CONTINUE
		end
		if what == "error" then
			error("LUAREWRITE: target fails on purpose")
		elseif what == "garbage" then
			return "not a verdict"
		end
		for i = thoff + 8, #skb - 1 do
			local c = skb:getuint8(i)
			if c >= 97 and c <= 122 then
				skb:setuint8(i, c - 32)
			end
		end
		skb:setuint16(thoff + 6, 0)	-- IPv4: no UDP checksum
		return verdicts[what]
	end,
	checkentry = function(userargs) end,
	destroy = function(userargs) end,
}
