local t = nil
-- line 3 indexes nil
return t.field
