-- Reload target: same functions, new version marker.
counter = 100

function bump(n)
	counter = counter + (n or 1)
	return counter
end

version = "v2"
