local luaxt = require("luaxt")
luaxt.match{ revision = 0, family = 99 }
