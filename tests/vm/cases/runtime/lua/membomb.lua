-- grows until the memory cap refuses
local t = {}
for i = 1, 1 << 40 do
	t[i] = string.rep("x", 1024) .. i
end
