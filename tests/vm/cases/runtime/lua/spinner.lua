-- A runtime created with lunatik.runtime(): each resume(n) spins n loop
-- iterations and yields n back.
return function(n)
	while true do
		for _ = 1, n do end
		n = coroutine.yield(n)
	end
end
