-- hostile tests: a runtime whose body never ends.
while true do end
