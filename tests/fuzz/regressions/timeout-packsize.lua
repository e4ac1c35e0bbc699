-- Regression input, fixed by kmod/lua/patches/09-lstrlib-c.patch (pack formats charged).
-- lua_dialect_fuzz: timeout. string.packsize walks a 1 Mi-option format in C.
local f = string.rep("i", 1 << 20)
while true do string.packsize(f) end
