#!/usr/bin/env python3
"""Process accounting from /proc for bench/run.sh, tolerant of processes that exit mid-read.

usage: procstat.py snapshot          "pid pgid ticks" for every process (ticks = utime + stime)
       procstat.py group-cpu PGID    utime + stime ticks of every live process in group PGID
       procstat.py group-rss PGID    resident KiB of every live process in group PGID
"""
import os
import sys

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def processes():
    """(pid, pgid, ticks, rss_kb) of every process that could still be read."""
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        # fields[0] is stat(5)'s field 3 (state): pgrp = 5, utime = 14, stime = 15, rss = 24
        yield int(name), int(fields[2]), int(fields[11]) + int(fields[12]), int(fields[21]) * PAGE_KB


def main(argv):
    if argv[:1] == ["snapshot"]:
        sys.stdout.write("".join(f"{p} {g} {t}\n" for p, g, t, _ in processes()))
    elif argv[:1] == ["group-cpu"] and len(argv) == 2:
        print(sum(t for _, g, t, _ in processes() if g == int(argv[1])))
    elif argv[:1] == ["group-rss"] and len(argv) == 2:
        print(sum(r for _, g, _, r in processes() if g == int(argv[1])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
