-- The replacement generation for the reload tests.
greeting = "v2"
