#!/usr/bin/env python3
"""UDP receiver for the xtables VM tests (python starts slowly under TCG,
so one receiver serves a whole test; senders are bash /dev/udp).

  udp.py serve READYFILE PORT...

binds every PORT on IPv4 and IPv6, creates READYFILE, then prints
"PORT PAYLOAD" per datagram, flushed, until killed.
"""
import select
import socket
import sys


def serve(ready, ports):
    socks = {}
    for port in ports:
        s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s4.bind(("0.0.0.0", int(port)))
        s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s6.bind(("::", int(port)))
        socks[s4] = socks[s6] = port
    open(ready, "w").close()
    while True:
        r, _, _ = select.select(list(socks), [], [])
        for s in r:
            data = s.recv(65535)
            print(socks[s], data.decode(errors="replace"), flush=True)


if __name__ == "__main__":
    serve(sys.argv[2], sys.argv[3:])
