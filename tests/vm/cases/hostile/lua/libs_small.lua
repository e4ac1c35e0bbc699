-- hostile tests: a runtime whose body is cheap.
return function(x)
	return "small", x
end
