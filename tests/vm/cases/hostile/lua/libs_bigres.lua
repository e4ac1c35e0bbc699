-- hostile tests: resume returns 16 copies of a 1 MiB string: each crosses
-- to the caller as a kernel copy, which must count against this tree's cap.
local s = string.rep("x", 1 << 20)
return function()
	return s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s
end
