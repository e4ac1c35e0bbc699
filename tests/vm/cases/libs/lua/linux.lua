-- linux library checks (see data.lua for how they are run)
local linux = require("linux")
local check = require("tests.vm.cases.libs.lua.check")
local eq, truthy, raises = check.eq, check.truthy, check.raises

local function byteorder()
	-- x86_64: network order is the reverse of host order
	eq(linux.ntoh16(0x3412), 0x1234, "ntoh16")
	eq(linux.hton16(0x1234), 0x3412, "hton16")
	eq(linux.hton16(0xabcd1234), 0x3412, "hton16 truncates to 16 bits")
	eq(linux.hton32(0x01020304), 0x04030201, "hton32")
	eq(linux.ntoh32(0x04030201), 0x01020304, "ntoh32")
	eq(linux.hton32(0xff), 0xff000000, "hton32 result is unsigned")
	eq(linux.hton64(1), 0x0100000000000000, "hton64")
	eq(linux.ntoh64(0x0100000000000000), 1, "ntoh64")
	eq(linux.hton64(0x0102030405060708), 0x0807060504030201, "hton64 bytes")
	eq(linux.htobe16(0x1234), 0x3412, "htobe16")
	eq(linux.htobe32(0x01020304), 0x04030201, "htobe32")
	eq(linux.htobe64(2), 0x0200000000000000, "htobe64")
	eq(linux.be16toh(0x3412), 0x1234, "be16toh")
	eq(linux.be32toh(0x04030201), 0x01020304, "be32toh")
	eq(linux.be64toh(0x0200000000000000), 2, "be64toh")
	eq(linux.htole16(0x1234), 0x1234, "htole16")
	eq(linux.htole32(0x01020304), 0x01020304, "htole32")
	eq(linux.htole64(-5), -5, "htole64")
	eq(linux.le16toh(0x1234), 0x1234, "le16toh")
	eq(linux.le32toh(0x01020304), 0x01020304, "le32toh")
	eq(linux.le64toh(7), 7, "le64toh")
end

local function random()
	for _ = 1, 200 do
		local r = linux.random(3, 5)
		truthy(r >= 3 and r <= 5, "random(3, 5) in range")
		r = linux.random(4)
		truthy(r >= 1 and r <= 4, "random(4) in range")
		r = linux.random(math.mininteger, math.maxinteger)
		eq(type(r), "number", "random over the whole range")
	end
	eq(linux.random(9, 9), 9, "random(m, m)")
	eq(type(linux.random()), "number", "random()")
	local seen = {}
	for _ = 1, 100 do seen[linux.random(0, 1)] = true end
	truthy(seen[0] and seen[1], "random(0, 1) yields both values")
	raises(function() return (linux.random(5, 3)) end, "interval is empty", "empty interval")
	raises(function() return (linux.random(0)) end, "interval is empty", "random(0)")
end

local function constants()
	eq(linux.stat.IRWXUGO, 511, "stat.IRWXUGO")
	eq(linux.stat.IRUGO, 292, "stat.IRUGO")
	eq(linux.stat.IWUGO, 146, "stat.IWUGO")
	eq(linux.stat.IXUGO, 73, "stat.IXUGO")
	eq(linux.task.RUNNING, 0, "task.RUNNING")
	eq(linux.task.INTERRUPTIBLE, 1, "task.INTERRUPTIBLE")
	eq(linux.task.UNINTERRUPTIBLE, 2, "task.UNINTERRUPTIBLE")
	truthy(linux.task.KILLABLE, "task.KILLABLE")
	truthy(linux.task.IDLE, "task.IDLE")
	local errno = {
		PERM = 1, NOENT = 2, SRCH = 3, INTR = 4, IO = 5, NXIO = 6, ["2BIG"] = 7,
		NOEXEC = 8, BADF = 9, CHILD = 10, AGAIN = 11, NOMEM = 12, ACCES = 13,
		FAULT = 14, NOTBLK = 15, BUSY = 16, EXIST = 17, XDEV = 18, NODEV = 19,
		NOTDIR = 20, ISDIR = 21, INVAL = 22, NFILE = 23, MFILE = 24, NOTTY = 25,
		TXTBSY = 26, FBIG = 27, NOSPC = 28, SPIPE = 29, ROFS = 30, MLINK = 31,
		PIPE = 32, DOM = 33, RANGE = 34,
	}
	for name, value in pairs(errno) do
		eq(linux.errno[name], value, "errno." .. name)
	end
end

local function time()
	local t1 = linux.time()
	local t2 = linux.time()
	truthy(t1 > 1600000000 * 1000000000, "time() is nanoseconds since the epoch")
	truthy(t2 >= t1, "time() does not go backwards")
	local cpu = linux.cpu()
	truthy(cpu >= 0, "cpu() is a CPU number")
end

function test()
	byteorder()
	random()
	constants()
	time()
	return "ok"
end

-- sleeping is allowed only where the runtime may sleep
function sleep(ms)
	local t1 = linux.time()
	linux.schedule(ms)
	return (linux.time() - t1) // 1000000
end

test()
