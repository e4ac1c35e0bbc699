-- thread test: a function that never looks at thread.shouldstop()
return function()
	local n = 0
	while true do
		n = n + 1
	end
end
