local helper = {}

function helper.answer()
	return 42
end

return helper
