local luaxt = require("luaxt")
luaxt.match{ revision = 256, family = luaxt.family.UNSPEC }
