-- A description that fails while loading: nothing may be registered.
local luaxt = require("luaxt")
luaxt.match{ revision = 0, family = luaxt.family.UNSPEC }
error("description refuses to load")
