--
-- sni_hello.lua - find the server name in a TLS ClientHello held in a Lua
-- string that starts at the record header and may be cut short (the bytes
-- received so far).
--
--   status, name = hello.parse(s)
--     "sni", name   the host_name of the server_name extension
--     "none"        a whole ClientHello without one
--     "need"        cut short before the answer: wait for more bytes
--     "bad"         not a ClientHello, or a length field points past its end
--   hello.length(s) bytes the first record says it holds (header included),
--                   or nil when s holds less than a record header
--
-- Only the first record is parsed: a ClientHello spread over several
-- records is answered from what the first one holds.
--
local hello = {}

local byte, sub = string.byte, string.sub

local HANDSHAKE    = 22
local CLIENT_HELLO = 1
local SERVER_NAME  = 0
local HOST_NAME    = 0
local RECORD_HDR   = 5
local HS_HDR       = 4
local RANDOM       = 32

local function u16(s, o)
	local a, b = byte(s, o + 1, o + 2)
	return a << 8 | b
end

function hello.length(s)
	if #s < RECORD_HDR then
		return nil
	end
	return RECORD_HDR + u16(s, 3)
end

-- The server_name extension body at [o, stop): its host_name entry.
local function server_name(s, o, stop)
	if o + 2 > stop then
		return "bad"
	end
	local list = o + 2 + u16(s, o)
	if list > stop then
		return "bad"
	end
	o = o + 2
	while o + 3 <= list do
		local kind, len = byte(s, o + 1), u16(s, o + 1)
		if o + 3 + len > list then
			return "bad"
		end
		if kind == HOST_NAME then
			if len == 0 then
				return "bad"
			end
			return "sni", sub(s, o + 4, o + 3 + len)
		end
		o = o + 3 + len
	end
	return "none"
end

function hello.parse(s)
	local n = #s
	if n < RECORD_HDR + HS_HDR then
		return "need"
	end
	local content, major, _, r1, r2, kind, h1, h2, h3 = byte(s, 1, 9)
	if content ~= HANDSHAKE or major ~= 3 or kind ~= CLIENT_HELLO then
		return "bad"
	end
	local limit = RECORD_HDR + (r1 << 8 | r2)
	local hsend = RECORD_HDR + HS_HDR + (h1 << 16 | h2 << 8 | h3)
	if hsend < limit then
		limit = hsend
	end

	-- a field [o, o + len) must fit the ClientHello, then the bytes we have
	local function need(o, len)
		if o + len > limit then
			return "bad"
		elseif o + len > n then
			return "need"
		end
	end

	local o = RECORD_HDR + HS_HDR + 2 + RANDOM	-- legacy_version, random
	local why = need(o, 1)
	if why then return why end
	o = o + 1 + byte(s, o + 1)			-- legacy_session_id
	why = need(o, 2)
	if why then return why end
	o = o + 2 + u16(s, o)				-- cipher_suites
	why = need(o, 1)
	if why then return why end
	o = o + 1 + byte(s, o + 1)			-- legacy_compression_methods
	if o == limit then
		return "none"				-- no extensions at all
	end
	why = need(o, 2)
	if why then return why end
	local stop = o + 2 + u16(s, o)
	if stop > limit then
		return "bad"
	end
	o = o + 2
	while o + 4 <= stop do
		why = need(o, 4)
		if why then return why end
		local kind, len = u16(s, o), u16(s, o + 2)
		if o + 4 + len > stop then
			return "bad"
		end
		if kind == SERVER_NAME then
			why = need(o + 4, len)
			if why then return why end
			return server_name(s, o + 4, o + 4 + len)
		end
		o = o + 4 + len
	end
	if o ~= stop then
		return "bad"
	end
	return "none"
end

return hello
