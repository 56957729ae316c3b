#!/usr/bin/env python3
"""Opens N TCP connections to HOST:PORT, proves each end to end with one echoed byte, then holds them all idle.

usage: idle_tcp.py HOST PORT N   prints "HELD n failed f" once every connection is up (or failed), then waits for
stdin to close (the bench script closes it when it has sampled memory), then closes everything.
"""
import asyncio
import sys


async def one(host, port, sem):
    async with sem:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 30)
        writer.write(b"x")
        await writer.drain()
        got = await asyncio.wait_for(reader.readexactly(1), 30)
        if got != b"x":
            raise RuntimeError("bad echo")
        return writer


async def main(host, port, n):
    sem = asyncio.Semaphore(200)  # opening rate, not the number held
    results = await asyncio.gather(*(one(host, port, sem) for _ in range(n)), return_exceptions=True)
    held = [r for r in results if not isinstance(r, BaseException)]
    failed = [r for r in results if isinstance(r, BaseException)]
    print(f"HELD {len(held)} failed {len(failed)}" + (f" first error {failed[0]!r}" if failed else ""), flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    for w in held:
        w.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
