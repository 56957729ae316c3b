#!/usr/bin/env python3
"""Tunnel handshake latency as the client sees it: TCP connect + TLS (ALPN h2) + HTTP/2 preface until the server's
SETTINGS frame arrives, the same span as sluice_tunnel_handshake_seconds. Sequential, one connection at a time.

usage: h2_handshake.py HOST PORT CA_PEM N WARMUP   prints one JSON line: n, p50_ms, p95_ms, p99_ms, mean_ms,
tls_version, group (if Python can tell)
"""
import json
import socket
import ssl
import statistics
import sys
import time


def settings_received(sock):
    buf = b""
    while True:
        while len(buf) >= 9:
            length = int.from_bytes(buf[0:3], "big")
            ftype, flags = buf[3], buf[4]
            if len(buf) < 9 + length:
                break
            if ftype == 0x4 and not flags & 0x1:
                return True
            buf = buf[9 + length:]
        chunk = sock.recv(65536)
        if not chunk:
            return False
        buf += chunk


def handshake(host, port, ctx):
    start = time.perf_counter()
    raw = socket.create_connection((host, port), timeout=10)
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s = ctx.wrap_socket(raw, server_hostname="localhost")
    assert s.selected_alpn_protocol() == "h2", s.selected_alpn_protocol()
    s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00")
    ok = settings_received(s)
    elapsed = time.perf_counter() - start
    version = s.version()
    s.close()
    if not ok:
        raise RuntimeError("no SETTINGS")
    return elapsed, version


def main():
    host, port, ca, n, warmup = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    ctx = ssl.create_default_context(cafile=ca)
    ctx.set_alpn_protocols(["h2"])
    for _ in range(warmup):
        handshake(host, port, ctx)
    samples = []
    version = None
    for _ in range(n):
        t, version = handshake(host, port, ctx)
        samples.append(t * 1000)
    samples.sort()
    q = lambda p: samples[min(len(samples) - 1, int(round(p * (len(samples) - 1))))]
    print(json.dumps({"n": n, "p50_ms": round(q(0.50), 2), "p95_ms": round(q(0.95), 2), "p99_ms": round(q(0.99), 2),
                      "mean_ms": round(statistics.mean(samples), 2), "tls_version": version}))


if __name__ == "__main__":
    main()
