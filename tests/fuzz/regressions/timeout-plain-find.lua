-- Regression input, fixed by kmod/lua/patches/09-lstrlib-c.patch (memchr scans charged).
-- lua_dialect_fuzz: timeout. A plain find that misses scans the whole
-- string with memchr, one instruction per call.
local s = string.rep("a", 1 << 20)
while true do s:find("b", 1, true) end
