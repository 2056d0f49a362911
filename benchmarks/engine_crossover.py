#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The crossover of the two distance engines, from the JSON output of
`bench_surface_distances --benchmark_filter='engine_only|per_label' --benchmark_out=FILE`.

The automatic engine (include/discgeom/metrics/surface_distance.hpp, detail::choose_engine)
takes the distance transform when 2 * cells < C * points * log2(points + 2), C being
detail::kd_tree_cost_per_point_log. For each case this prints the measured time of each engine's
own work (both directions), which one is faster, the model ratio m = 2 cells / (points log2
(points + 2)) (the transform is right for C > m), the constant c* = m * t_kd / t_transform that
would put the case at break-even if both costs were exactly proportional to the model, and what
the header's constant picks. Then the interval of C that picks the faster engine in every case,
and the worst slowdown against the faster engine for a few constants.

    /usr/bin/python3 benchmarks/engine_crossover.py FILE.json [HEADER]
"""
import json
import math
import re
import sys

ENGINES = ("kd_tree", "distance_transform")


def header_constant(path):
    try:
        text = open(path).read()
    except OSError:
        return None
    match = re.search(r"kd_tree_cost_per_point_log\s*=\s*([0-9.eE+-]+)", text)
    return float(match.group(1)) if match else None


def main():
    results = json.load(open(sys.argv[1]))["benchmarks"]
    header = sys.argv[2] if len(sys.argv) > 2 else "include/discgeom/metrics/surface_distance.hpp"
    constant = header_constant(header)
    cases = {}
    for entry in results:
        if entry.get("run_type") == "aggregate" and entry.get("aggregate_name") != "median":
            continue
        family, index, engine = entry["run_name"].split("/")
        case = cases.setdefault(int(index), {"name": entry["label"], "cells": entry["cells"],
                                             "points": entry["points"]})
        case[(family, ENGINES[int(engine)])] = entry["real_time"]  # ms (median)

    rows = []
    print(f"{'case':16s} {'cells':>10s} {'points':>8s} {'m':>7s} {'kd ms':>9s} {'EDT ms':>9s} "
          f"{'faster':>7s} {'x':>5s} {'c*':>6s} {'header':>7s}  per label, kd / EDT (ms)")
    for index in sorted(cases):
        c = cases[index]
        kd, dt = c[("engine_only", "kd_tree")], c[("engine_only", "distance_transform")]
        m = 2 * c["cells"] / (c["points"] * math.log2(c["points"] + 2))
        faster = "EDT" if dt < kd else "kd"
        picks = None if constant is None else ("EDT" if constant > m else "kd")
        rows.append((m, kd, dt))
        mark = "" if picks is None else (picks + ("" if picks == faster else " (!)"))
        print(f"{c['name']:16s} {c['cells']:10.0f} {c['points']:8.0f} {m:7.2f} {kd:9.3f} {dt:9.3f} "
              f"{faster:>7s} {max(kd, dt) / min(kd, dt):5.1f} {m * kd / dt:6.2f} {mark:>7s}  "
              f"{c[('per_label', 'kd_tree')]:.2f} / {c[('per_label', 'distance_transform')]:.2f}")

    lower = max((m for m, kd, dt in rows if dt < kd), default=0.0)
    upper = min((m for m, kd, dt in rows if kd <= dt), default=math.inf)
    if lower < upper:
        print(f"\nC picks the faster engine in every case for {lower:.2f} < C < {upper:.2f} "
              f"(geometric middle {math.sqrt(lower * upper):.2f}); header: C = {constant}")
    else:
        print(f"\nno single C picks the faster engine in every case ({lower:.2f} >= {upper:.2f})")
    for candidate in sorted({0.5, 1.0, 1.5, 2.0, 3.0, 4.0} | ({constant} if constant else set())):
        slowdowns = [(dt if candidate > m else kd) / min(kd, dt) for m, kd, dt in rows]
        wrong = sum(s > 1.0 for s in slowdowns)
        print(f"C = {candidate:4.2f}: {wrong} of {len(rows)} cases take the slower engine, worst "
              f"{max(slowdowns):.2f} x the faster one")


if __name__ == "__main__":
    main()
