-- The debug functions that would let a script defeat the instruction budget
-- or the C side's type checks are absent (kmod/lua/lkinit.c, unsafe_debug).
for _, name in ipairs{"sethook", "setmetatable", "setupvalue", "upvaluejoin",
		"setuservalue", "getregistry", "setlocal", "debug"} do
	assert(debug[name] == nil, "debug." .. name .. " must not exist")
end
-- the introspection that scripts use stays
assert(type(debug.traceback) == "function")
assert(type(debug.getinfo) == "function")
assert(debug.getinfo(1, "l").currentline > 0)
print("debug_safety: ok")
