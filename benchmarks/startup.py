#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Whole-process timings: median wall time and peak resident memory of each command line.

    startup.py REPETITIONS LABEL=COMMAND [LABEL=COMMAND ...]

Each command runs REPETITIONS times (after one unmeasured run that warms the page cache), with
its output discarded; os.wait4 gives each run's own peak resident set. Prints one Markdown row
per command: label, median ms, min and max ms, median peak MB, the number of shared libraries
the dynamic loader initialised (LD_DEBUG=libs), and the exit status."""
import os
import re
import shlex
import statistics
import subprocess
import sys
import time


def run_once(argv, env=None):
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed_ms = (time.perf_counter() - start) * 1000.0
    return elapsed_ms, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status), stderr


def libraries_loaded(argv):
    env = dict(os.environ, LD_DEBUG="libs")
    *_, stderr = run_once(argv, env)
    return len(set(re.findall(rb"calling init: (\S+)", stderr)))


def main():
    repetitions = int(sys.argv[1])
    print("| command | median ms | min-max ms | peak MB | libraries | exit |")
    print("|---|---|---|---|---|---|")
    for spec in sys.argv[2:]:
        label, command = spec.split("=", 1)
        argv = shlex.split(command)
        run_once(argv)
        runs = [run_once(argv) for _ in range(repetitions)]
        times = [r[0] for r in runs]
        memory = statistics.median(r[1] for r in runs)
        statuses = sorted({r[2] for r in runs})
        print(f"| {label} | {statistics.median(times):.1f} | {min(times):.1f}-{max(times):.1f} "
              f"| {memory:.1f} | {libraries_loaded(argv)} | {','.join(map(str, statuses))} |")


if __name__ == "__main__":
    main()
