-- require: a Lua module by dotted name under the script root, and the
-- built-in C libraries by name
local helper = require("tests.vm.cases.runtime.lua.helper")
local lunatik = require("lunatik")

assert(package.loaded["tests.vm.cases.runtime.lua.helper"] == helper)
answer = helper.answer()
set_name = lunatik.set()
