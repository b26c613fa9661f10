#!/usr/bin/env python3
"""Open N streaming chat requests at once and hold them open until each one ends.

usage: slowstreams.py --host 127.0.0.1 --port P --path /v1/chat/completions --body FILE
                      [--key KEY] [--streams 5000] [--timeout 180] [--expect TEXT] [--json OUT]

The client for bench/run.sh's `slowstreams` case: standard library only (asyncio; uvloop when
it can be imported), plain HTTP/1.1 on one connection per stream (`Connection: close`), every
connection started at the same moment. A stream counts as completed when its answer is a 200 that
ends with `data: [DONE]` (and, with --expect, whose joined delta contents equal TEXT). Prints
one JSON summary: completed/failed counts, failure reasons, wall time, per-stream connect / first
byte / total time percentiles, and the largest number of streams open (first byte seen, not yet
ended) at one moment.
"""
import argparse
import asyncio
import json
import sys
import time


def pct(values, p):
    if not values:
        return None
    s = sorted(values)
    k = min(len(s) - 1, max(0, int(round(p / 100 * (len(s) - 1)))))
    return s[k]


def dechunk(body: bytes) -> bytes:
    """Undo HTTP/1.1 chunked transfer coding (tolerant of a missing final chunk)."""
    out, i = bytearray(), 0
    while i < len(body):
        j = body.find(b"\r\n", i)
        if j < 0:
            break
        size = int(body[i:j].split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += body[j + 2:j + 2 + size]
        i = j + 2 + size + 2
    return bytes(out)


def stream_content(body: bytes):
    """(joined delta contents, ended with [DONE]) of an SSE body."""
    text = body.decode("utf-8", "replace").replace("\r\n", "\n")
    datas = [line[5:].strip() for line in text.split("\n") if line.startswith("data:")]
    done = bool(datas) and datas[-1] == "[DONE]"
    got = []
    for d in datas:
        if d == "[DONE]":
            continue
        try:
            for choice in json.loads(d).get("choices", []):
                got.append((choice.get("delta") or {}).get("content") or "")
        except ValueError:
            got.append("\ufffd")
    return "".join(got), done


class Stats:
    def __init__(self):
        self.open_now = 0
        self.open_peak = 0
        self.connect, self.first_byte, self.total = [], [], []
        self.completed = 0
        self.failures = {}

    def fail(self, reason):
        self.failures[reason] = self.failures.get(reason, 0) + 1


async def one(args, request: bytes, stats: Stats, start: asyncio.Event):
    await start.wait()
    t0 = time.monotonic()
    writer = None
    opened = False
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(args.host, args.port), args.timeout)
        stats.connect.append(time.monotonic() - t0)
        writer.write(request)
        await writer.drain()
        first = await asyncio.wait_for(reader.read(65536), args.timeout)
        if not first:
            stats.fail("closed before answering")
            return
        stats.first_byte.append(time.monotonic() - t0)
        opened = True
        stats.open_now += 1
        stats.open_peak = max(stats.open_peak, stats.open_now)
        parts = [first]
        deadline = t0 + args.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise asyncio.TimeoutError
            part = await asyncio.wait_for(reader.read(65536), left)
            if not part:
                break
            parts.append(part)
        raw = b"".join(parts)
        head, _, body = raw.partition(b"\r\n\r\n")
        status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        status = status_line.split(" ")[1] if " " in status_line else "?"
        if status != "200":
            stats.fail(f"HTTP {status}")
            return
        if b"transfer-encoding: chunked" in head.lower():
            body = dechunk(body)
        content, done = stream_content(body)
        if not done:
            stats.fail("no data: [DONE]")
            return
        if args.expect is not None and content != args.expect:
            stats.fail("wrong content")
            return
        stats.completed += 1
        stats.total.append(time.monotonic() - t0)
    except asyncio.TimeoutError:
        stats.fail("timeout")
    except OSError as e:
        stats.fail(f"{type(e).__name__}: {e.strerror or e}")
    except Exception as e:  # noqa: BLE001 - every failure is counted, never raised
        stats.fail(f"{type(e).__name__}")
    finally:
        if opened:
            stats.open_now -= 1
        if writer is not None:
            writer.close()


async def run(args):
    with open(args.body, "rb") as f:
        body = f.read()
    request = (
        f"POST {args.path} HTTP/1.1\r\nHost: {args.host}:{args.port}\r\n"
        f"Authorization: Bearer {args.key}\r\nContent-Type: application/json\r\n"
        f"Accept: text/event-stream\r\nConnection: close\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    stats = Stats()
    start = asyncio.Event()
    tasks = [asyncio.create_task(one(args, request, stats, start)) for _ in range(args.streams)]
    await asyncio.sleep(0)  # let every task reach start.wait()
    t0 = time.monotonic()
    start.set()
    await asyncio.gather(*tasks)
    wall = time.monotonic() - t0

    def ms(v):
        return None if v is None else round(v * 1000, 1)

    return {
        "streams": args.streams,
        "completed": stats.completed,
        "failed": args.streams - stats.completed,
        "failures": stats.failures,
        "wall_s": round(wall, 3),
        "open_peak": stats.open_peak,
        "connect_ms": {"p50": ms(pct(stats.connect, 50)), "p99": ms(pct(stats.connect, 99)), "max": ms(max(stats.connect, default=None))},
        "first_byte_ms": {"p50": ms(pct(stats.first_byte, 50)), "p99": ms(pct(stats.first_byte, 99)), "max": ms(max(stats.first_byte, default=None))},
        "stream_ms": {"p50": ms(pct(stats.total, 50)), "p99": ms(pct(stats.total, 99)), "max": ms(max(stats.total, default=None))},
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--path", default="/v1/chat/completions")
    ap.add_argument("--body", required=True)
    ap.add_argument("--key", default="sk-mock")
    ap.add_argument("--streams", type=int, default=5000)
    ap.add_argument("--timeout", type=float, default=180.0, help="seconds per stream, connect to last byte")
    ap.add_argument("--expect", default=None, help="the joined delta contents every stream must carry")
    ap.add_argument("--json", default=None, help="also write the summary here")
    args = ap.parse_args()
    if not args.host.startswith("127.") and args.host not in ("localhost", "::1"):
        sys.exit("slowstreams.py: loopback targets only")
    try:
        import uvloop  # type: ignore
    except ImportError:
        uvloop = None
    if uvloop is not None:
        summary = uvloop.run(run(args))
    else:
        summary = asyncio.run(run(args))
    summary["client_loop"] = "uvloop" if uvloop is not None else "asyncio"
    text = json.dumps(summary, sort_keys=False)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
