-- Regression input, fixed by kmod/lua/patches/03-lvm-c.patch (LUAI_MAXSTR2NUM).
-- lua_dialect_fuzz: timeout. A 1 MiB numeral of zeros is valid and was
-- scanned at every arithmetic coercion; now it is not a number.
local z = string.rep("0", 1 << 20)
while true do pcall(function() return z + 1 end) end
