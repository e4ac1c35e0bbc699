-- Regression input, fixed by kmod/lua/patches/23-lutf8lib-c.patch (utf8 walks charged).
-- lua_dialect_fuzz: timeout. utf8.len decodes the whole string in C, one
-- instruction per call: 357 calls on 8 MiB ran 54 s in a softirq.
local s = string.rep("a", 1 << 20)
while true do utf8.len(s) end
