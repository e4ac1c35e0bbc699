-- Assertions shared by the library tests: each raises an error naming what
-- failed, so a failing check ends the script body or the exec'ed chunk with
-- a message the CLI prints.
local check = {}

local function show(v)
	if type(v) == "string" then
		return string.format("%q", v)
	elseif type(v) == "number" then
		return string.format("%d (0x%x)", v, v)
	end
	return tostring(v)
end

function check.eq(got, want, what)
	if got ~= want then
		error(string.format("%s: got %s, want %s", what, show(got), show(want)), 2)
	end
end

function check.truthy(v, what)
	if not v then
		error(what .. ": got " .. show(v), 2)
	end
end

-- fn() must raise an error whose message contains `plain` (no patterns)
function check.raises(fn, plain, what)
	local ok, err = pcall(fn)
	if ok then
		error(what .. ": no error raised", 2)
	end
	err = tostring(err)
	if not string.find(err, plain, 1, true) then
		error(string.format("%s: error %q does not contain %q", what, err, plain), 2)
	end
end

return check
