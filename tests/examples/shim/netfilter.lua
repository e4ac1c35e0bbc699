-- Host stand-in for the kernel's "netfilter" library: the 3.6 constants
-- with their kernel values, and register() recording what a script body
-- registers (in `registered`) so a test can call the hooks.
local nf = {registered = {}}

nf.family = {UNSPEC = 0, INET = 1, IPV4 = 2, ARP = 3, NETDEV = 5,
	     BRIDGE = 7, IPV6 = 10}
nf.action = {DROP = 0, ACCEPT = 1, STOLEN = 2, QUEUE = 3, REPEAT = 4,
	     STOP = 5, CONTINUE = 0xffffffff, RETURN = 0xfffffffb}
nf.inet_hooks = {PRE_ROUTING = 0, LOCAL_IN = 1, FORWARD = 2, LOCAL_OUT = 3,
		 POST_ROUTING = 4}
nf.ip_priority = {FIRST = math.mininteger, RAW_BEFORE_DEFRAG = -450,
		  CONNTRACK_DEFRAG = -400, RAW = -300, SELINUX_FIRST = -225,
		  CONNTRACK = -200, MANGLE = -150, NAT_DST = -100, FILTER = 0,
		  SECURITY = 50, NAT_SRC = 100, SELINUX_LAST = 225,
		  CONNTRACK_HELPER = 300, LAST = math.maxinteger}

local function field(ops, k, want)
	local v = ops[k]
	if want == "integer" and type(v) ~= "number" or
	   want ~= "integer" and type(v) ~= want then
		error(string.format("netfilter.register: %s must be %s, got %s",
				    k, want, type(v)), 3)
	end
	return v
end

function nf.register(ops)
	if type(ops) ~= "table" then
		error("netfilter.register: table expected", 2)
	end
	local r = {
		pf = field(ops, "pf", "integer"),
		hooknum = field(ops, "hooknum", "integer"),
		priority = field(ops, "priority", "integer"),
		hook = field(ops, "hook", "function"),
	}
	nf.registered[#nf.registered + 1] = r
	return r
end

return nf
