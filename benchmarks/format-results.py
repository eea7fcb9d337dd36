#!/usr/bin/env python3
"""Prints JMH's JSON results (-rf json) as Markdown tables of ratios, then issue #6's targets.

Usage: python3 format-results.py RESULTS.json [MORE.json ...]

One table per benchmark class and set of parameters. For each way (benchmark method):
  ms/run     the median over the measured iterations of the time of one run (all items); each
             iteration's figure is JMH's average time per run in that iteration. Medians, not JMH's
             mean, so that an iteration slowed by something else on the machine weighs less
  range      the fastest and the slowest iteration
  items/s    the 'items' parameter divided by the median time
  x loop     speed-up over plainLoop: plainLoop's time / this time (above 1 is faster)
  x rails    speed-up over reactorRailsPerItem (per-item parallel(n).runOn rails)
  x seq      speed-up over engineSequential (the same pipeline at parallelism 1)
  Little %   for benchmarks with 'concurrency' and 'sleepMillis' parameters: items/s as a share of
             Little's-law limit, concurrency / sleep time
Standard library only.
"""

import json
import statistics
import sys
from collections import OrderedDict

BASELINES = [("x loop", "plainLoop"), ("x rails", "reactorRailsPerItem"), ("x seq", "engineSequential")]


def to_ms(score, unit):
    per_op = unit.split("/")[0]
    factor = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[per_op]
    return score * factor


def jdk_major(run):
    version = run.get("jdkVersion", "0")
    return int(version.split(".")[0].split("-")[0].split("+")[0])


def load(paths):
    runs = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            runs.extend(json.load(f))
    groups = OrderedDict()
    # runs on more than one JDK (the virtual-thread ways need Java 21+): the later JDK's tables say so
    majors = sorted({jdk_major(run) for run in runs})
    for run in runs:
        cls, method = run["benchmark"].rsplit(".", 1)
        cls = cls.rsplit(".", 1)[-1]
        if len(majors) > 1 and jdk_major(run) != majors[0]:
            cls += f" on Java {jdk_major(run)}"
        params = run.get("params", {})
        metric = run["primaryMetric"]
        if run["mode"] != "avgt":
            raise SystemExit(f"{run['benchmark']}: expected mode avgt, got {run['mode']}")
        key = (cls, tuple(sorted(params.items())))
        iterations = [to_ms(x, metric["scoreUnit"]) for fork in metric["rawData"] for x in fork]
        groups.setdefault(key, OrderedDict())[method] = {
            "ms": statistics.median(iterations),
            "min": min(iterations),
            "max": max(iterations),
            "params": params,
        }
    return groups


def fmt_ms(ms):
    return f"{ms:,.1f}" if ms >= 10 else f"{ms:,.3f}"


def fmt_ratio(r):
    if r is None:
        return "-"
    return f"{r:,.2f}" if r >= 0.01 else f"{r:.1e}"


def little_limit(params):
    """Items per second Little's law allows: concurrency calls of sleepMillis each, at once."""
    if "concurrency" in params and "sleepMillis" in params:
        return int(params["concurrency"]) * 1000.0 / float(params["sleepMillis"])
    return None


def print_group(cls, params, ways):
    title = cls + (" (" + ", ".join(f"{k}={v}" for k, v in params) + ")" if params else "")
    print(f"### {title}\n")
    first = next(iter(ways.values()))["params"]
    items = int(first["items"]) if "items" in first else None
    limit = little_limit(first)
    header = ["way", "ms/run", "range", "items/s"] + [name for name, _ in BASELINES if _ in ways]
    if limit:
        header.append("Little %")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
    for method, r in sorted(ways.items(), key=lambda kv: kv[1]["ms"]):
        rate = items / (r["ms"] / 1000.0) if items else None
        row = [method, fmt_ms(r["ms"]), fmt_ms(r["min"]) + "–" + fmt_ms(r["max"]),
               f"{rate:,.0f}" if rate else "-"]
        for _, base in BASELINES:
            if base in ways:
                row.append(fmt_ratio(ways[base]["ms"] / r["ms"]))
        if limit:
            row.append(f"{100.0 * rate / limit:.0f}%")
        print("| " + " | ".join(row) + " |")
    print()


def find(groups, cls, **params):
    for (c, p), ways in groups.items():
        if c == cls and all(dict(p).get(k) == v for k, v in params.items()):
            yield dict(p), ways


def check(label, ok, detail):
    print(f"- {'MET   ' if ok else 'MISSED'} {label}: {detail}")


def print_targets(groups):
    print("### Targets of issue #6 (engineDefaults unless said)\n")
    for _, w in find(groups, "CheapFunctionBenchmark"):
        e = w.get("engineDefaults")
        if e and "reactorRailsPerItem" in w:
            r = w["reactorRailsPerItem"]["ms"] / e["ms"]
            check("cheap: >= 10x faster than per-item rails", r >= 10, f"{r:.2f}x")
        if e and "engineSequential" in w:
            r = w["engineSequential"]["ms"] / e["ms"]
            check("cheap: never slower than the same pipeline sequential", r >= 1, f"{r:.2f}x")
        if e and "plainLoop" in w:
            print(f"- info   cheap: time / plain loop's = {e['ms'] / w['plainLoop']['ms']:,.0f}")
    for _, w in find(groups, "CpuHeavyBenchmark"):
        e = w.get("engineDefaults")
        if e and "engineSequential" in w:
            r = w["engineSequential"]["ms"] / e["ms"]
            check("CPU-heavy: >= 1.9x over the same pipeline at parallelism 1", r >= 1.9, f"{r:.2f}x")
        if e and "parallelStream" in w:
            r = e["ms"] / w["parallelStream"]["ms"]
            check("CPU-heavy: within 3% of parallel streams", r <= 1.03, f"time ratio {r:.3f}")
    for p, w in find(groups, "BlockingCallsBenchmark"):
        e = w.get("engineDefaults")
        limit = little_limit(p)
        if e and limit:
            share = int(p["items"]) / (e["ms"] / 1000.0) / limit
            check(f"blocking, concurrency {p['concurrency']}: >= 90% of Little's law", share >= 0.9,
                  f"{100 * share:.0f}%")
    for (c, p), w in groups.items():
        v = w.get("engineVirtualThreads")
        limit = little_limit(dict(p))
        if c.startswith("BlockingCallsBenchmark") and v and limit:
            share = int(dict(p)["items"]) / (v["ms"] / 1000.0) / limit
            check(f"blocking on virtual threads ({c.split(' on ')[-1]}), concurrency {dict(p)['concurrency']}: "
                  f">= 90% of Little's law", share >= 0.9, f"{100 * share:.0f}%")
    for cls in ("CheapFunctionBenchmark", "CpuHeavyBenchmark", "CsvAggregateBenchmark"):
        for _, w in find(groups, cls):
            if "reactorRailsChunked" in w:
                for way in ("engineDefaults", "engineExplicit"):
                    if way in w:
                        r = w[way]["ms"] / w["reactorRailsChunked"]["ms"] - 1
                        check(f"{cls} {way}: <= 5% over hand-written chunked rails", r <= 0.05,
                              f"{100 * r:+.0f}%")
    for cls in ("CheapFunctionBenchmark", "CpuHeavyBenchmark"):
        for _, w in find(groups, cls):
            if "engineDefaults" in w and "engineDefaultsUnprofiled" in w:
                r = w["engineDefaults"]["ms"] / w["engineDefaultsUnprofiled"]["ms"] - 1
                label = f"{cls}: profiling overhead (on by default)"
                if cls == "CpuHeavyBenchmark":
                    check(label + " <= 5%", r <= 0.05, f"{100 * r:+.1f}%")
                else:
                    print(f"- info   {label}: {100 * r:+.1f}%")
    print()


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    groups = load(sys.argv[1:])
    for (cls, params), ways in groups.items():
        print_group(cls, params, ways)
    print_targets(groups)


if __name__ == "__main__":
    main()
