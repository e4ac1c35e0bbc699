-- Integer table keys under the kernel's keyed hash (ltable.c patch): the
-- keys that all collided under Lua's own hash (multiples of the node
-- count - 1), sparse keys like IPv4 addresses, and the extremes.
local M = {}

-- n keys i * (2^k - 1): one chain each under "key % (nodes - 1)"
function M.aimed(k)
	local n, m = 1 << k, (1 << k) - 1
	local t, count = {}, 0
	for i = 1, n do t[i * m] = i end
	for _, v in pairs(t) do count = count + v end
	for i = 1, n do assert(t[i * m] == i) end
	assert(t[(n + 1) * m] == nil)
	return count == n * (n + 1) // 2
end

function M.sparse()
	local t = {}
	t[math.mininteger], t[math.maxinteger], t[-1], t[0] = 1, 2, 3, 4
	t[0x0a000001], t[0xc0a80101], t[1 << 40] = 5, 6, 7
	local sum = 0
	for _, v in pairs(t) do sum = sum + v end
	t[0xc0a80101] = nil
	return sum == 28 and t[math.mininteger] == 1 and t[math.maxinteger] == 2
		and t[-1] == 3 and t[0] == 4 and t[0xc0a80101] == nil
		and t[1 << 40] == 7 and #t == 0
end

-- ns to insert and look up n keys: aimed at one chain vs spread
function M.time(k, aimed)
	local linux = require("linux")
	local n, m = 1 << k, aimed and ((1 << k) - 1) or 7919
	local t0 = linux.time()
	local t = {}
	for i = 1, n do t[i * m] = i end
	for i = 1, n do assert(t[i * m] == i) end
	return linux.time() - t0
end

return M
