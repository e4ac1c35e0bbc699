-- A Lua-made runtime that tries to stop the runtime it is handed: refused,
-- runtimes created from Lua cannot stop runtimes (two of them stopping each
-- other would deadlock on their locks).
return function(other)
	return pcall(other.stop, other)
end
