#!/usr/bin/env python3
"""Turn transmit checksum offload off on an interface (ethtool -K IF tx off,
without ethtool): packets then leave with their full checksum computed, so a
receiver behind a veth verifies it instead of trusting CHECKSUM_PARTIAL."""
import ctypes
import fcntl
import socket
import struct
import sys

SIOCETHTOOL = 0x8946
ETHTOOL_STXCSUM = 0x17

value = ctypes.create_string_buffer(struct.pack("II", ETHTOOL_STXCSUM, 0), 8)
ifreq = struct.pack("16sP", sys.argv[1].encode(), ctypes.addressof(value))
ifreq += b"\0" * (40 - len(ifreq))
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    fcntl.ioctl(s.fileno(), SIOCETHTOOL, ifreq)
