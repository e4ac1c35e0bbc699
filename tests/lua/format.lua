-- string.format's integer conversions are C's (and stock Lua's), not the
-- kernel vsnprintf's: the kernel and this host build share kmod/lua/lkfmt.c
-- (issue 6 item 13). tests/libs/fmt_host.c compares it with the C library
-- over every flag combination; these are the cases scripts meet.
local cases = {
  {"%#x", 0, "0"}, {"%#X", 0, "0"}, {"%#o", 0, "0"}, {"%#x", 255, "0xff"},
  {"%#X", 255, "0XFF"}, {"%#o", 8, "010"}, {"%#.3o", 8, "010"},
  {"%.0d", 0, ""}, {"%.0x", 0, ""}, {"%#.0o", 0, "0"}, {"%5.0d", 0, "     "},
  {"%05.3d", 7, "  007"}, {"%-5d|", 7, "7    |"}, {"%+d", 7, "+7"},
  {"% d", 7, " 7"}, {"%+.3d", -7, "-007"}, {"%08x", 255, "000000ff"},
  {"%#08x", 255, "0x0000ff"}, {"%x", -1, "ffffffffffffffff"},
  {"%d", math.mininteger, "-9223372036854775808"}, {"%i", 42, "42"},
  {"%5c|", 65, "    A|"}, {"%-3c|", 65, "A  |"}, {"%.20d", 1, "00000000000000000001"},
  {"%99d", 1, string.rep(" ", 98) .. "1"},
}
for _, c in ipairs(cases) do
  local got = string.format(c[1], c[2])
  assert(got == c[3], string.format("%q of %d: %q, want %q", c[1], c[2], got, c[3]))
end
-- strings and the rest are unchanged
assert(("%5s|%-5s|%.2s"):format("ab", "cd", "xyz") == "   ab|cd   |xy")
assert(("%q"):format(10) == "10")
assert(tostring(math.mininteger) == "-9223372036854775808")
assert(tostring(-0) == "0")
