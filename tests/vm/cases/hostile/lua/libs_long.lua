-- hostile tests: a runtime whose body runs 20 M iterations, then returns.
local n = 0
for i = 1, 20000000 do
	n = n + 1
end
return function()
	return n
end
