-- Host stand-in for the kernel's "lunatik" library: cpu() is the CPU of the
-- instance being loaded or called, which the test sets.
local lunatik = {current = 0}

function lunatik.cpu()
	return lunatik.current
end

return lunatik
