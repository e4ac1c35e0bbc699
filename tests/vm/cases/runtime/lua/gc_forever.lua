-- A finalizer that never returns, run when the state is closed (stop,
-- reload, module unload): the close must still finish.
keep = setmetatable({}, {__gc = function() while true do end end})
