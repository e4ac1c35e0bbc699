-- hostile tests (libs): a set's script; exec chunks do the work.
lunatik = require("lunatik")
thread = require("thread")
linux = require("linux")
rcu = require("rcu")
completion = require("completion")
