-- A runtime created with lunatik.runtime() that keeps what it is given:
-- handed its own runtime object, its state holds the object that holds the
-- state (a reference cycle only the set's teardown breaks).
return function(x)
	KEPT = x
	while true do
		x = coroutine.yield("kept")
	end
end
