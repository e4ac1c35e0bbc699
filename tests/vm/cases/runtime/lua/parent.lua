-- Creates a Lua-made runtime and keeps it in a global for exec chunks.
local lunatik = require("lunatik")

child = lunatik.runtime("tests/vm/cases/runtime/lua/child")
