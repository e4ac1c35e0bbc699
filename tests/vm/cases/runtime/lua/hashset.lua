-- A set's script: loads the integer-key checks at creation (softirq
-- instances cannot open files later).
H = require("tests/vm/cases/runtime/lua/hashkeys")
