-- A runtime created with lunatik.runtime(): the returned function runs as a
-- coroutine on runtime:resume(...); yields hand values back.
return function(a, b)
	local x = coroutine.yield(a + b)
	return "got " .. tostring(x), x * 2
end
