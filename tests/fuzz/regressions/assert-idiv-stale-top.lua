-- Regression input, fixed by kmod/lua/patches/03-lvm-c.patch.
-- lua_dialect_fuzz: "lfunc.c:199: luaF_closeupval: Assertion
-- `uplevel(uv) < L->top' failed". '//' and '%' by zero (OP_IDIV, OP_IDIVK,
-- OP_MOD, OP_MODK) raise without savestate(): stale L->top and pc (the
-- error names line 5, not 6). Lua 5.4.4 itself; 5.4.6 adds the savestate.
local function g() end local t g(function() return t end) local z = 0
local x = 1 // z
