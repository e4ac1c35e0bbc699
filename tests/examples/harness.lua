-- Runs the example scripts on the host: shims stand in for the kernel-only
-- libraries, each "instance" is a script body loaded into its own global
-- environment (as each CPU's lua_State in the kernel), and packets are
-- `data` objects from the host build of the kernel's data library.
local data = require("data")

local harness = {}

harness.root = assert(package.path:match("^(.-)/%?%.lua"), "no ROOT in package.path")

for _, name in ipairs({"linux", "lunatik", "rcu", "netfilter", "xtable"}) do
	package.loaded[name] = require("tests.examples.shim." .. name)
end

local nf = package.loaded.netfilter
local xt = package.loaded.xtable

--- Load @script (a path under the root) as the instance of CPU @cpu:
-- {env = its globals, hooks = netfilter registrations, xt = extensions}.
function harness.load(script, cpu)
	nf.registered, xt.registered = {}, {}
	package.loaded.lunatik.current = cpu or 0
	local env = setmetatable({}, {__index = _G})
	local chunk = assert(loadfile(harness.root .. "/" .. script, "t", env))
	chunk()
	return {env = env, hooks = nf.registered, xt = xt.registered}
end

--- A data object holding @bytes.
function harness.data(bytes)
	local d = data.new(#bytes)
	d:setstring(0, bytes)
	return d
end

local failures, checks = 0, 0

function harness.check(ok, what)
	checks = checks + 1
	if not ok then
		failures = failures + 1
		print("FAIL: " .. what)
	end
end

function harness.eq(got, want, what)
	harness.check(got == want, string.format("%s: got %s, want %s", what,
		tostring(got), tostring(want)))
end

--- Print the tally; raise when anything failed (exit status 1).
function harness.done(name)
	print(string.format("%s: %d checks, %d failed", name, checks, failures))
	if failures > 0 then
		error(name .. ": " .. failures .. " checks failed")
	end
end

--- Deterministic generator (xorshift64*): the corpus is the same each run.
function harness.rng(seed)
	local s = seed
	return function(n)
		s = s ~ (s << 13)
		s = s ~ (s >> 7)
		s = s ~ (s << 17)
		local r = (s >> 11) & 0x7fffffff
		return n and r % n or r
	end
end

return harness
