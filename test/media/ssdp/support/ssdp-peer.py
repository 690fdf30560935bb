#!/usr/bin/python3
"""Plain-socket SSDP peer for tests; runs inside the test's network namespace.

  ssdp-peer.py listen <address>[,<address>...]
      joins 239.255.255.250 on each address, prints "ready", then one JSON line per NOTIFY:
      {"nts", "headers", "raw", "from", "interface"} (interface: where it arrived, IP_PKTINFO),
      until stdin closes.
  ssdp-peer.py search <local address> <MX> <seconds> <ST> [<ST> ...]
      one socket per ST bound to <local address> (multicast leaves through its interface), all
      sent at once; prints one JSON list of {"searched", "status", "headers", "raw", "from",
      "port"} for every answer heard within <seconds>.
  ssdp-peer.py garbage <local address> <seed>
      sends random bytes and malformed M-SEARCHes to the group and to <local address>:1900, and
      a valid M-SEARCH from UDP source port 0 (raw socket); prints {"sent", "answers"}: how many
      datagrams it sent, and how many answers came back to its socket within 1.5 s.
"""
import json
import random
import select
import socket
import struct
import sys
import threading
import time

GROUP, PORT = "239.255.255.250", 1900
IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)  # Linux's value; Python 3.11 has no constant


def parse(data):
    text = data.decode("latin-1")
    lines = text.split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().upper()] = value.strip()
    return lines[0], headers, text


def listen(addresses):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    sock.bind(("", PORT))
    for address in addresses:
        membership = struct.pack("4s4s", socket.inet_aton(GROUP), socket.inet_aton(address))
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, membership)
    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    print("ready", flush=True)
    while not done.is_set():
        if not select.select([sock], [], [], 0.1)[0]:
            continue
        data, ancillary, _flags, peer = sock.recvmsg(65535, socket.CMSG_SPACE(12))
        first, headers, raw = parse(data)
        if not first.startswith("NOTIFY"):
            continue
        interface = None
        for level, kind, value in ancillary:
            if level == socket.IPPROTO_IP and kind == IP_PKTINFO:
                interface = socket.if_indextoname(struct.unpack("I", value[:4])[0])
        print(json.dumps({"nts": headers.get("NTS", ""), "headers": headers, "raw": raw,
                          "from": peer[0], "interface": interface}), flush=True)


def search(local, mx, seconds, targets):
    sockets = {}
    for target in targets:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(local))
        sock.bind((local, 0))
        message = ("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
                   f"MAN: \"ssdp:discover\"\r\nMX: {mx}\r\nST: {target}\r\n\r\n")
        sock.sendto(message.encode(), (GROUP, PORT))
        sockets[sock] = target
    answers = []
    deadline = time.time() + seconds
    while time.time() < deadline:
        ready = select.select(list(sockets), [], [], max(0, deadline - time.time()))[0]
        for sock in ready:
            data, peer = sock.recvfrom(65535)
            first, headers, raw = parse(data)
            answers.append({"searched": sockets[sock], "status": first, "headers": headers,
                            "raw": raw, "from": peer[0], "port": peer[1]})
    print(json.dumps(answers))


def malformed():
    head = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
    return [
        "M-SEARCH",
        "M-SEARCH \r\n\r\n",
        head + 'MAN: "ssdp:discover"\r\nST: ssdp:all\r\n\r\n',            # no MX
        head + 'MAN: "ssdp:discover"\r\nMX: soon\r\nST: ssdp:all\r\n\r\n',  # MX not a number
        head + 'MAN: "ssdp:discover"\r\nMX: -1\r\nST: ssdp:all\r\n\r\n',
        head + 'MX: 1\r\nST: ssdp:all\r\n\r\n',                            # no MAN
        head + 'MAN: "ssdp:update"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n',      # wrong MAN
        head + 'MAN: "ssdp:discover"\r\nMX: 1\r\n\r\n',                     # no ST
        head + 'MAN: "ssdp:discover"\r\nMX: 1\r\nST: ""\r\n\r\n',
        head + 'MAN: "ssdp:discover"\r\nMX: 1\r\nST: ' + "x" * 8000 + "\r\n\r\n",
        head + 'MAN: "ssdp:discover"\r\nMX: 99999999999999999999\r\nST: ssdp:all\r\n\r\n',
        head + 'MAN: "ssdp:discover"\r\nMX: 1\r\nST: .*\r\n\r\n',         # a regex, not a type
        head + "no colon here\r\n:\r\n::::\r\n\x00\x01\x02\r\n\r\n",
        "M-SEARCH * HTTP/1.1\n" + "A: b\n" * 2000,
        "NOTIFY * HTTP/1.1\r\nNT: x\r\n\r\n",                               # no NTS
        "HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\n\r\n",
        "HTTP/1.1 999999999999999999999 ?\r\n\r\n",
    ]


def raw_from_port_zero(local):
    """A valid M-SEARCH whose UDP source port is 0: answering it must not crash the server."""
    body = ("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
            "MX: 1\r\nST: ssdp:all\r\n\r\n").encode()
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
    raw.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(local))
    raw.bind((local, 0))
    udp = struct.pack("!HHHH", 0, PORT, 8 + len(body), 0) + body  # checksum 0: none (IPv4)
    raw.sendto(udp, (GROUP, 0))
    raw.sendto(udp, (local, 0))
    return 2


def garbage(local, seed):
    rng = random.Random(seed)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(local))
    sock.bind((local, 0))
    datagrams = [bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 1400)))
                 for _ in range(200)]
    datagrams += [b"M-SEARCH " + bytes(rng.getrandbits(8) for _ in range(300)) for _ in range(50)]
    datagrams += [text.encode("latin-1") for text in malformed()]
    datagrams.append(b"")
    for data in datagrams:
        for target in ((GROUP, PORT), (local, PORT)):
            sock.sendto(data[:65000], target)
        time.sleep(0.001)  # a burst this size would overflow the receive buffer, not the parser
    sent = len(datagrams) * 2 + raw_from_port_zero(local)
    answers = 0
    deadline = time.time() + 1.5  # MX of the malformed searches is at most 1 s
    while select.select([sock], [], [], max(0, deadline - time.time()))[0]:
        sock.recvfrom(65535)
        answers += 1
    print(json.dumps({"sent": sent, "answers": answers}))


command = sys.argv[1]
if command == "listen":
    listen(sys.argv[2].split(","))
elif command == "search":
    search(sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5:])
elif command == "garbage":
    garbage(sys.argv[2], int(sys.argv[3]))
else:
    raise SystemExit(__doc__)
