local x = 1
return 2.5
