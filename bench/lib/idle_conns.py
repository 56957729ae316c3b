#!/usr/bin/env python3
"""Open N keep-alive HTTP/1.1 client connections, send one GET on each, hold them idle, sample the server's RSS.

Used by `bench/proxy-baseline --idle-connections N`. Each connection gets a full request/response exchange
first, so the server holds N real keep-alive HTTP connections (not just accepted sockets). The caller must
have raised the fd limit (one fd per connection here, and one per connection in the server).

Prints one JSON object on stdout.
"""
import argparse
import asyncio
import json
import sys
import time


def rss_kb(pid, field="VmRSS"):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)  # chunk + CRLF (for size 0: the final CRLF, no trailers expected)
            if size == 0:
                break
    return status, headers


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--hold", type=float, default=10.0, help="seconds to hold the connections idle")
    ap.add_argument("--pid", type=int, required=True, help="server pid whose VmRSS is sampled")
    ap.add_argument("--concurrency", type=int, default=200, help="connects+requests in flight while opening")
    ap.add_argument("--timeout", type=float, default=10.0, help="per-connection connect+exchange timeout")
    ap.add_argument("--open-deadline", type=float, default=180.0, help="give up opening after this many seconds")
    a = ap.parse_args()

    req = (f"GET / HTTP/1.1\r\nHost: {a.host}:{a.port}\r\nUser-Agent: sluice-idle-bench\r\n"
           f"Connection: keep-alive\r\n\r\n").encode()
    sem = asyncio.Semaphore(a.concurrency)
    conns, failures, statuses = [], {}, {}

    async def one():
        async with sem:
            try:
                async def exchange():
                    r, w = await asyncio.open_connection(a.host, a.port)
                    w.write(req)
                    await w.drain()
                    status, headers = await read_response(r)
                    return r, w, status, headers
                r, w, status, headers = await asyncio.wait_for(exchange(), a.timeout)
                statuses[status] = statuses.get(status, 0) + 1
                if headers.get("connection", "").lower() == "close":
                    failures["server said Connection: close"] = failures.get("server said Connection: close", 0) + 1
                    w.close()
                    return
                conns.append((r, w))
            except Exception as e:  # count, do not abort: the point is how many the server keeps
                k = type(e).__name__ + (f": {e}" if str(e) else "")
                k = k[:120]
                failures[k] = failures.get(k, 0) + 1

    rss_before = rss_kb(a.pid)
    t0 = time.monotonic()
    tasks = [asyncio.ensure_future(one()) for _ in range(a.count)]
    done, pending = await asyncio.wait(tasks, timeout=a.open_deadline)
    for t in pending:
        t.cancel()
    if pending:
        failures["not opened before --open-deadline"] = len(pending)
    open_secs = time.monotonic() - t0
    print(f"idle: {len(conns)}/{a.count} keep-alive connections open after {open_secs:.1f}s; holding {a.hold:.0f}s",
          file=sys.stderr, flush=True)

    samples = []
    end = time.monotonic() + a.hold
    while time.monotonic() < end:
        v = rss_kb(a.pid)
        if v is not None:
            samples.append(v)
        await asyncio.sleep(0.5)
    still_open = sum(1 for r, _ in conns if not r.at_eof())
    rss_end = rss_kb(a.pid)
    hwm = rss_kb(a.pid, "VmHWM")

    for _, w in conns:
        w.close()
    await asyncio.sleep(0.2)

    print(json.dumps({
        "requested": a.count,
        "opened": len(conns),
        "still_open_after_hold": still_open,
        "open_seconds": round(open_secs, 2),
        "hold_seconds": a.hold,
        "statuses": {str(k): v for k, v in statuses.items()},
        "failures": failures,
        "rss_kb_before": rss_before,
        "rss_kb_max_during_hold": max(samples) if samples else None,
        "rss_kb_end_of_hold": rss_end,
        "vmhwm_kb": hwm,
    }))


if __name__ == "__main__":
    asyncio.run(main())
