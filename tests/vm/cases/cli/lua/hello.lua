-- A script whose body only sets globals, for the CLI tests.
greeting = "hello"
calls = 0

function bump(n)
	calls = calls + (n or 1)
	return calls
end
