-- Host stand-in for the kernel's "linux" library: the byte-order helpers
-- the examples use, on the host's own byte order (data getters return host
-- order, as in the kernel).
local linux = {}

local little = string.unpack("=I2", "\1\0") == 1

local function swap16(x)
	x = x & 0xffff
	return ((x & 0xff) << 8) | (x >> 8)
end

local function swap32(x)
	x = x & 0xffffffff
	return ((x & 0xff) << 24) | ((x & 0xff00) << 8) |
	       ((x >> 8) & 0xff00) | (x >> 24)
end

function linux.hton16(x) return little and swap16(x) or x & 0xffff end
function linux.hton32(x) return little and swap32(x) or x & 0xffffffff end
linux.ntoh16, linux.ntoh32 = linux.hton16, linux.hton32

local now = 0
function linux.time()
	now = now + 1000
	return now
end

return linux
