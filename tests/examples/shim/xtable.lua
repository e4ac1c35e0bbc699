-- Host stand-in for the kernel's "xtable" library: match{} and target{}
-- check the 3.6 fields and record the extension (in `registered`).
local xt = {registered = {}}

local function check(opts, kind)
	if type(opts) ~= "table" then
		error("xtable." .. kind .. ": table expected", 3)
	end
	if type(opts.name) ~= "string" or #opts.name == 0 or #opts.name > 28 then
		error("xtable." .. kind .. ": bad name", 3)
	end
	for _, k in ipairs({"revision", "family", "proto", "hooks"}) do
		if type(opts[k]) ~= "number" then
			error("xtable." .. kind .. ": " .. k .. " must be an integer", 3)
		end
	end
	for _, k in ipairs({kind, "checkentry", "destroy"}) do
		if type(opts[k]) ~= "function" then
			error("xtable." .. kind .. ": " .. k .. " must be a function", 3)
		end
	end
	local r = {kind = kind}
	for k, v in pairs(opts) do
		r[k] = v
	end
	xt.registered[#xt.registered + 1] = r
	return r
end

function xt.match(opts)
	return check(opts, "match")
end

function xt.target(opts)
	return check(opts, "target")
end

return xt
