-- Inputs for tests/vm/cases/hostile/cloops.sh: strings big enough that
-- one library call walks them for milliseconds in C. Made once here (the
-- body has ten times the call budget); the exec chunks only loop over them.
M1 = string.rep("a", 1 << 20)			-- 1 MiB of 'a'
M1B = string.rep("a", (1 << 20) - 1) .. "a"	-- equal to M1, another object
Z1 = string.rep("0", 1 << 20)			-- a 1 MiB numeral (of zeros)
NUL1 = string.rep("\0", 1 << 20)		-- a pattern of NULs
CONT1 = "a" .. string.rep("\x80", 1 << 20)	-- one run of continuation bytes
I1 = string.rep("i", 1 << 20)			-- a 1 Mi-option pack format
X1 = string.rep("x", 1 << 20)			-- 1 Mi padding options
F1 = string.rep("%%", 1 << 19)			-- a 1 MiB string.format format
