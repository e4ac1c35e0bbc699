#!/usr/bin/env python3
"""raw_create.py NAME SCRIPT: a CREATE request straight to the kernel, past
the CLI's own checks (it refuses non-regular files before sending). Prints
the Lua error the kernel replied with, or "created"; exit 1 on a NACK."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "runtime"))
import genl  # noqa: E402

g = genl.Genl()
try:
    replies = g.call(genl.CMD_CREATE, genl.strattr(genl.A_NAME, sys.argv[1]) +
                     genl.strattr(genl.A_SCRIPT, sys.argv[2]))
except OSError as e:
    print(e)
    sys.exit(1)
print(genl.lua_error(replies) or "created")
