#!/usr/bin/env python3
"""Run a command and sample the resident memory of it and its child processes every half second.

    python bench/rss_sample.py [--every S] -- postgraph build SITE --store DIR

Prints the wall time, the peak RSS of the command's own process, the peak of the sum over it and
its children at one instant (what the machine must hold), and a time series of about 40 samples
(seconds, main MB, [children MB]) to see which phase peaks. Linux only (reads /proc). The
command's output goes to rss_sample.out / rss_sample.err in the current directory.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time


def children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def rss_mb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--every", type=float, default=0.5, help="seconds between samples (default 0.5)")
    ap.add_argument("command", nargs=argparse.REMAINDER, help="the command to run (after --)")
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        ap.error("give the command to run after --")
    started = time.monotonic()
    with open("rss_sample.out", "wb") as out, open("rss_sample.err", "wb") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err)
        peak_main = peak_total = 0
        series: list[tuple[float, int, list[int]]] = []
        while process.poll() is None:
            main_mb = rss_mb(process.pid)
            kids = [rss_mb(c) for c in children(process.pid)]
            peak_main = max(peak_main, main_mb)
            peak_total = max(peak_total, main_mb + sum(kids))
            series.append((round(time.monotonic() - started, 1), main_mb, kids))
            time.sleep(args.every)
    print(f"exit {process.returncode}, wall {time.monotonic() - started:.1f} s, peak RSS main {peak_main} MB, "
          f"peak RSS main + children {peak_total} MB")
    for sample in series[:: max(1, len(series) // 40)]:
        print(sample)
    return process.returncode


if __name__ == "__main__":
    sys.exit(main())
