-- data library checks. The body runs them once (process context, at load);
-- the shell test then calls test() through exec in each instance, which in
-- a softirq set runs with BH disabled like a packet hook.
local data = require("data")
local check = require("tests.vm.cases.libs.lua.check")
local eq, raises = check.eq, check.raises

local function getters(d)
	-- x86_64 is little-endian: integers are read and written in host order
	d:setstring(0, "\x01\x02\x03\x04\x05\x06\x07\x08\xfe\xff")
	eq(d:getbyte(0), 0x01, "getbyte")
	eq(d:getuint8(9), 0xff, "getuint8")
	eq(d:getint8(9), -1, "getint8")
	eq(d:getuint16(0), 0x0201, "getuint16 host order")
	eq(d:getint16(8), -2, "getint16")
	eq(d:getuint16(8), 0xfffe, "getuint16")
	eq(d:getuint32(0), 0x04030201, "getuint32")
	eq(d:getint32(6), -129017, "getint32 (0xfffe0807)")
	eq(d:getuint32(6), 0xfffe0807, "getuint32 high bit")
	eq(d:getint64(0), 0x0807060504030201, "getint64")
	eq(d:getnumber(1), 0xfe08070605040302, "getnumber unaligned")
	eq(d:getstring(0, 4), "\x01\x02\x03\x04", "getstring with length")
	eq(d:getstring(8), "\xfe\xff" .. string.rep("\0", #d - 10), "getstring to the end")
	eq(d:getstring(#d), "", "getstring at the end")
end

local function setters(d)
	d:setbyte(0, 0x1ff)
	eq(d:getbyte(0), 0xff, "setbyte truncates")
	d:setint8(1, -2)
	eq(d:getuint8(1), 0xfe, "setint8")
	d:setuint8(1, 7)
	eq(d:getint8(1), 7, "setuint8")
	d:setuint16(2, 0x1234)
	eq(d:getbyte(2), 0x34, "setuint16 low byte first")
	eq(d:getbyte(3), 0x12, "setuint16 high byte")
	d:setint16(2, -1)
	eq(d:getuint16(2), 0xffff, "setint16")
	d:setuint32(3, 0xdeadbeef)
	eq(d:getuint32(3), 0xdeadbeef, "setuint32 unaligned")
	eq(d:getbyte(3), 0xef, "setuint32 byte order")
	d:setint32(4, -2)
	eq(d:getint32(4), -2, "setint32")
	d:setint64(8, math.mininteger)
	eq(d:getint64(8), math.mininteger, "setint64")
	eq(d:getbyte(15), 0x80, "setint64 byte order")
	d:setnumber(16, -1234567890123)
	eq(d:getnumber(16), -1234567890123, "setnumber")
	d:setstring(30, "abc")
	eq(d:getstring(30, 3), "abc", "setstring")
	d:setstring(#d - 2, "yz")
	eq(d:getstring(#d - 2), "yz", "setstring at the end")
end

local function bounds(d)
	-- methods called with ':' number the offset #1, like Lunatik
	raises(function() return (d:getuint16(#d - 1)) end,
		"bad argument #1 to 'getuint16' (offset " .. (#d - 1) ..
		" out of bounds (size " .. #d .. "))", "getuint16 past the end")
	raises(function() return (d:getbyte(#d)) end, "offset " .. #d .. " out of bounds",
		"getbyte at size")
	raises(function() return (d:getbyte(-1)) end, "offset -1 out of bounds", "negative offset")
	raises(function() return (d:getint64(math.maxinteger)) end, "out of bounds", "huge offset")
	raises(function() return (d:getint64(#d - 7)) end, "out of bounds", "int64 straddling the end")
	raises(function() d:setuint32(#d - 3, 0) end, "out of bounds", "setuint32 past the end")
	raises(function() return (d:getstring(#d + 1)) end, "out of bounds", "getstring past the end")
	raises(function() return (d:getstring(0, #d + 1)) end, "length", "getstring too long")
	raises(function() return (d:getstring(1, -1)) end, "length", "getstring negative length")
	raises(function() d:setstring(#d - 1, "ab") end, "length", "setstring past the end")
	raises(function() return (d.getbyte({}, 0)) end, "data expected", "wrong self type")
	raises(function() return (d:getbyte("x")) end, "number expected", "non-integer offset")
	eq(d:getint64(#d - 8), d:getint64(#d - 8), "last int64 is in bounds")
end

-- the fast type check must not trust the metatable alone
local function impostors(d)
	local mt = getmetatable(d)
	if type(mt) ~= "table" then	-- out of reach (__metatable): nothing to forge
		eq(mt, "data", "getmetatable gives the class name")
		return
	end
	local fake = setmetatable({}, mt)
	raises(function() return (d.getbyte(fake, 0)) end, "data expected", "table with the data metatable")
	raises(function() return (d.getstring(fake, 0)) end, "data expected", "getstring on a table")
	if debug and debug.setmetatable then
		debug.setmetatable(0, mt)
		local ok, err = pcall(d.getbyte, 7, 0)
		debug.setmetatable(0, nil)
		eq(ok, false, "number with the data metatable")
		check.truthy(string.find(err, "data expected", 1, true), "number impostor error")
	end
end

local function objects()
	local d = data.new(64)
	eq(#d, 64, "#d")
	eq(d:getnumber(56), 0, "new buffers are zeroed")
	local e = data.new(0)
	eq(#e, 0, "empty data")
	eq(tostring(e), "", "tostring of empty data")
	raises(function() return (e:getbyte(0)) end, "offset 0 out of bounds (size 0)", "empty getbyte")
	local s = data.new(3)
	s:setstring(0, "a\0b")
	eq(tostring(s), "a\0b", "tostring is the content")
	raises(function() return (data.new(-1)) end, "size out of range", "negative size")
	raises(function() return (data.new(1 << 40)) end, "size out of range", "huge size")
	return d
end

function test()
	local d = objects()
	getters(d)
	setters(d)
	bounds(d)
	bounds(data.new(1500))
	impostors(d)
	return "ok"
end

test()
