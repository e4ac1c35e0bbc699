-- line 2 has the error
local x = = 1
