#!/usr/bin/env python3
"""Follow the resident memory of one process group until stopped (SIGTERM/SIGINT).

usage: rss_peak.py PGID OUTFILE [INTERVAL_S]

Every INTERVAL_S (default 0.2) it sums the RSS of every process whose process group is PGID and
writes the largest sum seen so far, in KiB, to OUTFILE. One long-lived process instead of a shell
loop of `ps`, so the sampling itself is cheap and is counted as the bench's own CPU.
"""
import os
import signal
import sys
import time

from procstat import processes


def group_rss_kb(pgid: int) -> int:
    return sum(rss for _, g, _, rss in processes() if g == pgid)


def main():
    pgid, out = int(sys.argv[1]), sys.argv[2]
    interval = float(sys.argv[3]) if len(sys.argv) > 3 else 0.2
    running = True

    def stop(*_):
        nonlocal running
        running = False
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    peak = -1
    while running:
        kb = group_rss_kb(pgid)
        if kb > peak:
            peak = kb
            with open(out + ".tmp", "w") as f:
                f.write(f"{peak}\n")
            os.replace(out + ".tmp", out)
        time.sleep(interval)


if __name__ == "__main__":
    main()
