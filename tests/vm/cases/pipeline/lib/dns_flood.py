#!/usr/bin/env python3
"""dns_flood.py SERVER NAME SECONDS: send A queries for NAME to SERVER:53
over UDP, one every 5 ms, for SECONDS; print "sent answered" (answers to
those queries, by id, including those arriving up to 1 s after the last)."""
import os
import select
import socket
import struct
import sys
import time


def query(qid, name):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", 1, 1)


def main():
    server, name, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((server, 53))
    s.setblocking(False)
    sent, ids, answered = 0, set(), 0
    end = time.monotonic() + seconds
    drain_until = end + 1.0
    next_send = time.monotonic()
    while time.monotonic() < drain_until:
        now = time.monotonic()
        if now < end and now >= next_send:
            qid = (sent + os.getpid()) & 0xFFFF
            try:
                s.send(query(qid, name))
                ids.add(qid)
                sent += 1
            except BlockingIOError:
                pass
            next_send = now + 0.005
        r, _, _ = select.select([s], [], [], 0.002)
        if r:
            try:
                data = s.recv(4096)
            except (BlockingIOError, ConnectionRefusedError):
                continue
            if len(data) >= 2 and struct.unpack(">H", data[:2])[0] in ids:
                answered += 1
    print(sent, answered)


main()
