-- A set's script: globals here are visible to later `exec` chunks.
counter = 0

function bump(n)
	counter = counter + (n or 1)
	return counter
end

version = "v1"
