#!/usr/bin/env python3
"""UDP traffic for the netfilter VM tests.

udp.py recv ADDR PORT[,PORT...] SECONDS   print "port count first-payload"
                                         per port after SECONDS or on SIGTERM
udp.py send ADDR PORT COUNT PAYLOAD [GAP_MS]
udp.py flood ADDR PORT SECONDS           send in bursts of 64, print count
"""
import select
import signal
import socket
import sys
import time


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def recv(addr, ports, seconds):
    socks = {}
    for p in ports:
        s = socket.socket(family(addr), socket.SOCK_DGRAM)
        s.bind((addr, p))
        socks[s.fileno()] = (s, p)
    count = {p: 0 for p in ports}
    first = {p: "-" for p in ports}
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    # ready marker for the caller
    print("ready", flush=True)
    end = time.time() + seconds
    while not stop:
        left = end - time.time()
        if left <= 0:
            break
        try:
            r, _, _ = select.select(list(socks), [], [], min(left, 0.2))
        except InterruptedError:
            continue
        for fd in r:
            s, p = socks[fd]
            data = s.recv(65535)
            count[p] += 1
            if first[p] == "-":
                first[p] = data.decode(errors="replace")
    for p in ports:
        print(p, count[p], first[p])


def send(addr, port, n, payload, gap_ms):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    for _ in range(n):
        try:
            s.sendto(payload.encode(), (addr, port))
        except OSError:
            pass  # EPERM: dropped by a LOCAL_OUT hook
        if gap_ms:
            time.sleep(gap_ms / 1000)


def flood(addr, port, seconds):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    n = 0
    end = time.time() + seconds
    while time.time() < end:
        for _ in range(64):
            try:
                s.sendto(b"flood", (addr, port))
                n += 1
            except OSError:
                pass
        # Yield between bursts: a sender that never sleeps keeps both
        # vCPUs of a TCG guest in softirq, and a task that must run to
        # finish (rmmod patching a static key) starves (soft lockup).
        time.sleep(0.001)
    print(n)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "recv":
        recv(sys.argv[2], [int(p) for p in sys.argv[3].split(",")],
             float(sys.argv[4]))
    elif mode == "send":
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5],
             int(sys.argv[6]) if len(sys.argv) > 6 else 0)
    elif mode == "flood":
        flood(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
