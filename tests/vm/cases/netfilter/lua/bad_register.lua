-- Registration arguments a kernel must refuse (selected by the global CASE
-- set in a wrapper line of the test's chunk).
local nf = require("netfilter")
local cases = {
	function() nf.register{pf = 0, hooknum = 0, priority = 0, hook = print} end,
	function() nf.register{pf = nf.family.IPV4, hooknum = 7, priority = 0, hook = print} end,
	function() nf.register{pf = nf.family.ARP, hooknum = 3, priority = 0, hook = print} end,
	function() nf.register{pf = nf.family.NETDEV, hooknum = 0, priority = 0, hook = print} end,
	function() nf.register{pf = nf.family.IPV4, hooknum = 0, priority = 0, hook = 1} end,
	function() nf.register{pf = nf.family.IPV4, hooknum = 0, priority = 1 << 40, hook = print} end,
	function() nf.register{pf = nf.family.IPV4, hooknum = 0, priority = 0, hook = print, dev = "x"} end,
	function() nf.register{pf = nf.family.IPV4, hooknum = 0, priority = 0} end,
}
local errs = {}
for i, f in ipairs(cases) do
	local ok, err = pcall(f)
	errs[#errs + 1] = ok and ("case " .. i .. " accepted") or "refused"
end
RESULT = table.concat(errs, ",")
