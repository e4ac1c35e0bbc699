-- No hook at load; a hook registered from a call is refused.
nf = require("netfilter")
