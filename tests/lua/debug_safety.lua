-- The debug functions that would let a script defeat the instruction budget
-- or the C side's type checks are absent (kmod/lua/lkinit.c, unsafe_debug).
for _, name in ipairs{"sethook", "setmetatable", "setupvalue", "upvaluejoin",
		"setuservalue", "getregistry", "setlocal", "getmetatable", "debug"} do
	assert(debug[name] == nil, "debug." .. name .. " must not exist")
end
-- the introspection that scripts use stays
assert(type(debug.traceback) == "function")
assert(type(debug.getinfo) == "function")
assert(debug.getinfo(1, "l").currentline > 0)
-- a C function's stack slots are not shown (they held gsub's buffer box)
local seen = {}
string.gsub(string.rep("x", 300), ".", function()
  for i = 1, 10 do
    local name, v = debug.getlocal(2, i)
    if name then seen[#seen + 1] = name end
  end
end)
assert(#seen == 0, "C temporaries visible: " .. table.concat(seen, ","))
-- a buffer box's metatable is not handed out
assert(getmetatable("x").__index == string)
print("debug_safety: ok")
