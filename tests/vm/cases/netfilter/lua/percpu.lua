-- A body that registers a different hook on CPU 0: the instances disagree.
local nf = require("netfilter")
local prio = lunatik.cpu() == 0 and 10 or 20
nf.register{pf = nf.family.IPV4, hooknum = nf.inet_hooks.LOCAL_IN,
	    priority = prio, hook = function() return nf.action.ACCEPT end}
