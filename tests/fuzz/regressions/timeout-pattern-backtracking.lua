-- Regression input, fixed by kmod/lua/patches/09-lstrlib-c.patch (matcher steps charged to the budget).
-- lua_dialect_fuzz: timeout. The pattern matcher (lstrlib.c 'match')
-- backtracks in C: ten '-' items over 3000 characters, ~3000^10 steps;
-- MAXCCALLS bounds its depth, not its time.
return string.find(string.rep("a", 3000), string.rep("a-", 10) .. "b")
