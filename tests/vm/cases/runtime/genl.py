#!/usr/bin/env python3
"""Minimal lunatik generic-netlink client for loops the CLI is too slow for.

Starting the CLI costs ~0.3 s per call in the TCG guest, so 1000
create/stop cycles would take ~13 minutes; one process issuing raw
requests takes seconds. Values come from include/uapi/linux/lunatik_pipeline.h.

  genl.py stats
  genl.py cycles N SCRIPT NAME        create/stop N times, alternating contexts
  genl.py reloads N NAME [SCRIPT]     reload N times ([SCRIPT]: a failing one
                                      every 100th reload, which must fail)
"""
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
NLMSG_DONE = 3

CMD_CREATE, CMD_STOP, CMD_RELOAD, CMD_LIST, CMD_EXEC, CMD_STATS = range(1, 7)
A_NAME, A_SCRIPT, A_CHUNKNAME, A_CONTEXT = 2, 3, 4, 5
A_ERROR, A_ERRNO, A_STATS = 10, 11, 13
STATS_KEYS = {2: "allocs", 3: "alloc_bytes", 4: "sets", 5: "runtimes"}


def attr(kind, payload):
    data = struct.pack("HH", 4 + len(payload), kind) + payload
    return data + b"\0" * (-len(data) % 4)


def strattr(kind, text):
    return attr(kind, text.encode() + b"\0")


def parse_attrs(data):
    out = {}
    while len(data) >= 4:
        length, kind = struct.unpack_from("HH", data)
        out[kind & 0x3FFF] = data[4:length]
        data = data[(length + 3) & ~3:]
    return out


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.bind((0, 0))
        self.seq = 0
        replies = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                               strattr(CTRL_ATTR_FAMILY_NAME, "lunatik"))
        self.family = struct.unpack("H", replies[0][CTRL_ATTR_FAMILY_ID][:2])[0]

    def request(self, family, cmd, payload=b""):
        """Returns the attributes of each reply; raises OSError on a NACK."""
        self.seq += 1
        body = struct.pack("BBH", cmd, 1, 0) + payload
        hdr = struct.pack("IHHII", 16 + len(body), family, NLM_F_REQUEST | NLM_F_ACK,
                          self.seq, 0)
        self.sock.send(hdr + body)
        replies = []
        while True:
            data = self.sock.recv(1 << 16)
            while data:
                length, kind, _, seq, _ = struct.unpack_from("IHHII", data)
                msg = data[16:length]
                data = data[(length + 3) & ~3:]
                if kind == NLMSG_ERROR:
                    err = struct.unpack_from("i", msg)[0]
                    if err:
                        raise OSError(-err, os.strerror(-err))
                    return replies
                if kind == NLMSG_DONE:
                    return replies
                replies.append(parse_attrs(msg[4:]))

    def call(self, cmd, payload=b""):
        return self.request(self.family, cmd, payload)


def lua_error(replies):
    for r in replies:
        if A_ERROR in r:
            return r[A_ERROR].rstrip(b"\0").decode()
    return None


def main(argv):
    g = Genl()
    if argv[0] == "stats":
        nest = parse_attrs(g.call(CMD_STATS)[0][A_STATS])
        print(" ".join(str(struct.unpack("Q", nest[k])[0] if k < 4 else
                           struct.unpack("I", nest[k])[0]) for k in sorted(STATS_KEYS)))
    elif argv[0] == "cycles":
        n, script, name = int(argv[1]), os.path.abspath(argv[2]), argv[3]
        for i in range(n):
            err = lua_error(g.call(CMD_CREATE, strattr(A_NAME, name) + strattr(A_SCRIPT, script) +
                                   attr(A_CONTEXT, struct.pack("B", i % 2))))
            if err:
                sys.exit(f"cycle {i}: create failed: {err}")
            g.call(CMD_STOP, strattr(A_NAME, name))
        print(n)
    elif argv[0] == "reloads":
        n, name = int(argv[1]), argv[2]
        bad = os.path.abspath(argv[3]) if len(argv) > 3 else None
        for i in range(n):
            err = lua_error(g.call(CMD_RELOAD, strattr(A_NAME, name)))
            if err:
                sys.exit(f"reload {i} failed: {err}")
            if bad and i % 100 == 0:
                if not lua_error(g.call(CMD_RELOAD, strattr(A_NAME, name) + strattr(A_SCRIPT, bad))):
                    sys.exit(f"reload {i} with {bad} did not fail")
        print(n)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
