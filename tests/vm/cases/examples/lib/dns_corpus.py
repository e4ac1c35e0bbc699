#!/usr/bin/env python3
"""Send a deterministic corpus of malformed, truncated and mutated DNS
queries to SERVER:53 over UDP (IPv4 and IPv6), and raw IP packets with
broken headers and fragments; print how many UDP datagrams went to port 53.

  dns_corpus.py udp SERVER4 SERVER6 COUNT   prints the datagrams sent
  dns_corpus.py raw SERVER4 COUNT

The UDP datagrams have valid IP and UDP headers (the kernel builds them), so
each one reaches the hooked host's PRE_ROUTING hook exactly once and must be
counted there; the raw packets exercise the header parsing."""
import random
import socket
import struct
import sys

mode, srv4, srv6, count = sys.argv[1], sys.argv[2], sys.argv[-2], int(sys.argv[-1])
rng = random.Random(0x5EED)


def name(s):
    out = b""
    for label in s.split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


seeds = [
    struct.pack(">6H", 1, 0x0100, 1, 0, 0, 0) + name("www.example.com") + b"\0\1\0\1",
    struct.pack(">6H", 2, 0x0100, 2, 0, 0, 0) + name("ok.org") + b"\0\1\0\1"
    + b"\3www\xc0\x0f" + b"\0\1\0\1",
    struct.pack(">6H", 3, 0x0100, 1, 0, 0, 0) + b"\xc0\x0c" + b"\0\1\0\1",
    struct.pack(">6H", 4, 0x0100, 1, 0, 0, 0) + b"\x3fa" * 4 + b"\0\0\1\0\1",
]
interesting = [0, 1, 0x3F, 0x40, 0x80, 0xC0, 0xC1, 0xFF, 12]


def mutate(p):
    p = bytearray(p)
    for _ in range(rng.randint(1, 4)):
        k = rng.randrange(6)
        i = rng.randrange(len(p)) if p else 0
        if k == 0 and p:
            del p[rng.randrange(len(p)):]
        elif k == 1:
            p += bytes(rng.randrange(256) for _ in range(rng.randint(1, 24)))
        elif k == 2 and p:
            p[i] ^= 1 << rng.randrange(8)
        elif k == 3 and p:
            p[i] = rng.choice(interesting)
        elif k == 4 and len(p) > 1:
            p[i:i + 2] = bytes([0xC0 | rng.randrange(4), rng.randrange(256)])
        elif p:
            p[i] = rng.randrange(256)
    return bytes(p)


def udp():
    s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    sent = 0
    for n in range(count):
        payload = mutate(rng.choice(seeds))
        try:
            if n % 2:
                s6.sendto(payload, (srv6, 53))
            else:
                s4.sendto(payload, (srv4, 53))
            sent += 1
        except OSError:
            pass
    print(sent)


def raw():
    """IPv4 packets built here: truncated headers, lying lengths, fragments"""
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    dst = socket.inet_aton(srv4)
    for n in range(count):
        body = mutate(seeds[n % len(seeds)])
        dgram = struct.pack(">4H", 40000, 53, 8 + len(body), 0) + body
        frag = rng.choice([0, 0x2000, 0x0010, 0x2010])
        hdr = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 0, n & 0xFFFF, frag, 64, 17,
                          0, b"\0\0\0\0", dst)
        pkt = mutate(hdr + dgram) if n % 3 == 0 else hdr + dgram
        try:
            sock.sendto(pkt, (srv4, 0))
        except OSError:
            pass


udp() if mode == "udp" else raw()
