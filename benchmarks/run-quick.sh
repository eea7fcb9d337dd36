#!/usr/bin/env bash
# Runs a quick version of the benchmarks (5 to 8 minutes on 2 cores) and prints a table of ratios.
#
#   benchmarks/run-quick.sh             # builds target/benchmarks.jar if missing, runs, prints
#   benchmarks/run-quick.sh -prof gc    # extra arguments go to every JMH run
#
# Quick means: 1 fork, 2 warm-up and 3 measured iterations of 1 s each, fewer items for the cheap and
# CSV workloads (per-item costs and ratios stay comparable), and without the blocking workload's two
# slowest ways (plainLoop, 20 s a run, and parallelStream). The JSON results stay in target/quick/.
# For the full run with the defaults of the annotations, see docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")"

jar=target/benchmarks.jar
if [[ ! -f $jar ]]; then
  (cd .. && mvn -B -q -DskipTests package -pl benchmarks -am)
fi
out=target/quick
mkdir -p "$out"
quick=(-f 1 -wi 2 -i 3 -w 1s -r 1s -rf json)

run() { # name, then JMH arguments
  local name=$1
  shift
  java -jar "$jar" "${quick[@]}" -rff "$out/$name.json" "$@" "${extra[@]}" > "$out/$name.log"
  echo "  $name done"
}

load() { # the machine's load average, when it can be read: other work skews the figures
  [[ -r /proc/loadavg ]] && echo "  load average (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
  return 0
}

extra=("$@")
echo "JMH runs (logs in benchmarks/$out):"
load
run cheap 'CheapFunctionBenchmark' -p items=2000000
run cpu-heavy 'CpuHeavyBenchmark'
run blocking 'BlockingCallsBenchmark' -e 'BlockingCallsBenchmark\.(plainLoop|parallelStream)$'
run csv 'CsvAggregateBenchmark' -p items=50000
load
echo
python3 format-results.py "$out"/cheap.json "$out"/cpu-heavy.json "$out"/blocking.json "$out"/csv.json
