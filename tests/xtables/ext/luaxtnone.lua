-- declares nothing
local luaxt = require("luaxt")
