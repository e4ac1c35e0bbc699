-- Regression input, fixed by kmod/lua/patches/18-ltablib-c.patch (moves charged to the budget).
-- lua_dialect_fuzz: timeout. tmove (ltablib.c) moves 2^40 nils between
-- plain tables with lua_geti/lua_seti in C: nothing the budget sees.
table.move({}, 1, 1 << 40, 2)
