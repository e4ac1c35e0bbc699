-- Probes where require() looks: a module planted in the working directory
-- must not be found, and no search path entry may be relative.
local luaxt = require("luaxt")
local found = pcall(require, "luaxt_cwd_probe")
local relative = false
for e in (package.path .. ";" .. package.cpath):gmatch("[^;]+") do
	if e:sub(1, 1) ~= "/" then relative = true end
end

luaxt.match{
	revision = 0,
	family = luaxt.family.UNSPEC,
	help = function()
		return string.format("probe=%s relative=%s\n", found, relative)
	end,
}
