-- Regression input, fixed by kmod/lua/patches/09-lstrlib-c.patch.
-- lua_dialect_fuzz: timeout. str_rep (lstrlib.c) copies an empty string
-- 2^40 times in C: one instruction, no budget check, no end.
return string.rep("", 1 << 40)
