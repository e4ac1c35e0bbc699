-- Regression input, fixed by kmod/lua/patches/07-lapi-c.patch (rawequal charged).
-- lua_dialect_fuzz: timeout. rawequal of two equal long strings is a memcmp
-- of both, uncharged (luaV_rawequalobj has no state).
local a, b = string.rep("a", 1 << 20), string.rep("a", (1 << 20) - 1) .. "a"
while true do rawequal(a, b) end
