-- A set whose script makes a runtime that does not sleep (so softirq
-- instances may resume it): resuming it must not multiply a call's budget.
local lunatik = require("lunatik")

spinner = lunatik.runtime("tests/vm/cases/runtime/lua/spinner", false)
