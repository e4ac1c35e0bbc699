-- require: Lua files found through package.path (dotted names map to
-- directories, ?/init.lua), package.loaded caching, package.preload, and
-- errors for missing or broken modules; no C searchers. In the kernel this
-- reads files through the klibc FILE shim (filp_open/kernel_read).

local source = debug.getinfo(1, "S").source
local dir = string.match(source, "^@(.*)/[^/]*$") or "."
package.path = dir .. "/?.lua;" .. dir .. "/?/init.lua"

local mod = require("fixtures.mod")
assert(mod.add(2, 3) == 5 and mod.name == "fixtures.mod")
assert(require("fixtures.mod") == mod and mod.loads == 1)  -- cached
assert(package.loaded["fixtures.mod"] == mod)

local pkg = require("fixtures.pkg")
assert(pkg.init and pkg.name == "fixtures.pkg")

package.preload["virtual"] = function(name) return { preloaded = name } end
assert(require("virtual").preloaded == "virtual")

local ok, err = pcall(require, "fixtures.missing")
assert(not ok and string.find(err, "module 'fixtures.missing' not found", 1, true), err)
assert(string.find(err, "no file '" .. dir .. "/fixtures/missing.lua'", 1, true), err)
assert(not string.find(err, "%.so"), err)  -- no C searchers

ok, err = pcall(require, "fixtures.broken")
assert(not ok and string.find(err, "float literals are not supported"), err)

-- loadfile / dofile read files too; a directory or a missing file is an error
assert(dofile(dir .. "/fixtures/mod.lua").add(1, 1) == 2)
local f, e = loadfile(dir .. "/fixtures")
assert(f == nil and e ~= nil)
f, e = loadfile(dir .. "/fixtures/nonexistent.lua")
assert(f == nil and string.find(e, "cannot open"), e)

print("require: ok")
