#!/usr/bin/env bash
# Runs a quick version of the benchmarks (8 to 11 minutes on 2 cores) and prints a table of ratios.
#
#   benchmarks/run-quick.sh             # builds target/benchmarks.jar if missing, runs, prints
#   benchmarks/run-quick.sh -prof gc    # extra arguments go to every JMH run
#
# Quick means: 1 fork, 2 warm-up and 3 measured iterations of 1 s each, fewer items for the cheap and
# CSV workloads (per-item costs and ratios stay comparable), and without the blocking workload's two
# slowest ways (plainLoop, 20 s a run, and parallelStream). The CPU-heavy workload gets 5 warm-up and
# 5 measured iterations of 2 s: at about 0.55 s a run, 1 s iterations left the engine's runs not yet warm
# (1.12x parallel streams' time against 1.01x with these). The blocking ways on virtual threads run once
# more on a Java 21 or later JDK ($JAVA21_HOME, or the first under /usr/lib/jvm), when there is one.
# The JSON results stay in target/quick/.
# For the full run with the defaults of the annotations, see docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")"

jar=target/benchmarks.jar
if [[ ! -f $jar ]]; then
  (cd .. && mvn -B -q -DskipTests package -pl benchmarks -am)
fi
out=target/quick
mkdir -p "$out"
quick=(-f 1 -wi 2 -i 3 -w 1s -r 1s)
longer=(-f 1 -wi 5 -i 5 -w 2s -r 2s)

run_with() { # name, then JMH arguments including the iterations
  local name=$1
  shift
  java -jar "$jar" -rf json -rff "$out/$name.json" "$@" "${extra[@]}" > "$out/$name.log"
  echo "  $name done"
}

run() { # name, then JMH arguments: quick iterations
  local name=$1
  shift
  run_with "$name" "${quick[@]}" "$@"
}

load() { # the machine's load average, when it can be read: other work skews the figures
  [[ -r /proc/loadavg ]] && echo "  load average (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
  return 0
}

extra=("$@")
echo "JMH runs (logs in benchmarks/$out):"
load
run cheap 'CheapFunctionBenchmark' -p items=2000000
run_with cpu-heavy "${longer[@]}" 'CpuHeavyBenchmark'
run blocking 'BlockingCallsBenchmark' -e 'BlockingCallsBenchmark\.(plainLoop|parallelStream|\w*VirtualThread\w*)$'
run csv 'CsvAggregateBenchmark' -p items=50000
results=("$out"/cheap.json "$out"/cpu-heavy.json "$out"/blocking.json "$out"/csv.json)
# the blocking ways on virtual threads need Java 21 or later: run them on one if there is one
newer=${JAVA21_HOME:-$(ls -d /usr/lib/jvm/*-2[1-9]-* /usr/lib/jvm/*-2[1-9] 2>/dev/null | head -n 1 || true)}
if [[ -n $newer && -x $newer/bin/java ]]; then
  java() { "$newer/bin/java" "$@"; }
  run blocking-virtual 'BlockingCallsBenchmark.(engineDefaults|engineVirtualThreads|executorPerItem|executorVirtualThreadPerItem)$'
  unset -f java
  results+=("$out"/blocking-virtual.json)
else
  echo "  no Java 21 or later found (set JAVA21_HOME): the virtual-thread ways are left out"
fi
load
echo
python3 format-results.py "${results[@]}"
