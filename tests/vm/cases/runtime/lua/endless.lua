-- an endless loop in the script body must be cut by the load budget
local n = 0
while true do
	n = n + 1
end
