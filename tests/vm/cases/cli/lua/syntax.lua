-- A syntax error on line 3: loading must fail with "syntax.lua:3:".
local x = 1
local y = = x
return y
