#!/usr/bin/python3
"""Plain-socket SSDP probes for tests (run inside the test's network namespace).

  ssdp-probe.py search <local address> <ST> [<ST> ...]   M-SEARCH each ST, print the answers
  ssdp-probe.py listen <local address> <seconds>          print every NOTIFY heard on the group

Prints one JSON list of {"kind", "headers", "from", "at"} (at: seconds since the probe started).
"""
import json
import socket
import struct
import sys
import time

GROUP, PORT = "239.255.255.250", 1900


def headers_of(data):
    lines = data.decode("utf-8", "replace").split("\r\n")
    heads = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            heads[name.strip().upper()] = value.strip()
    return lines[0], heads


def search(local, targets):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(local))
    sock.bind((local, 0))
    sock.settimeout(0.5)
    started = time.time()
    answers = []
    for st in targets:
        message = ("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
                   f"MX: 1\r\nST: {st}\r\n\r\n").encode()
        sock.sendto(message, (GROUP, PORT))
        deadline = time.time() + 1.5
        while time.time() < deadline:
            try:
                data, peer = sock.recvfrom(65535)
            except socket.timeout:
                continue
            first, heads = headers_of(data)
            answers.append({"kind": first, "searched": st, "headers": heads, "from": peer[0],
                            "at": round(time.time() - started, 3)})
    return answers


def listen(local, seconds):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("", PORT))
    membership = struct.pack("4s4s", socket.inet_aton(GROUP), socket.inet_aton(local))
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, membership)
    sock.settimeout(0.2)
    print("listening", flush=True, file=sys.stderr)
    started = time.time()
    heard = []
    while time.time() - started < seconds:
        try:
            data, peer = sock.recvfrom(65535)
        except socket.timeout:
            continue
        first, heads = headers_of(data)
        if first.startswith("NOTIFY"):
            heard.append({"kind": heads.get("NTS", ""), "headers": heads, "from": peer[0],
                          "at": round(time.time() - started, 3)})
    return heard


if sys.argv[1] == "search":
    print(json.dumps(search(sys.argv[2], sys.argv[3:])))
else:
    print(json.dumps(listen(sys.argv[2], float(sys.argv[3]))))
