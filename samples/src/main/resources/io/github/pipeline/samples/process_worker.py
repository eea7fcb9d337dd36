"""A worker process for the pipeline's `process` sample.

The pipeline starts it as `python3 process_worker.py` and talks to it over its standard input and
output, one line per item each way, in order. The first line it reads is the initializer: the name of
the function to apply ("cube", or "heavy:K" for the CPU-heavy one with K steps). Every line after that
is a number x; the worker answers f(x) on one line and flushes, so the answer leaves at once. When its
input ends, it exits.
"""
import sys


def cube(x):
    """The seed's f(x) = x**3."""
    return x ** 3


def heavy(x, steps):
    """A CPU-heavy function: the same sum as HeavyFunction.apply in the sample's Java code."""
    total = 0
    for i in range(steps):
        total += (x * i + i) % 1000003
    return total


def main():
    initializer = sys.stdin.readline().strip()
    if initializer == "cube":
        f = cube
    elif initializer.startswith("heavy:"):
        steps = int(initializer.split(":", 1)[1])
        f = lambda x: heavy(x, steps)
    else:
        print("unknown function: " + initializer, file=sys.stderr)
        sys.exit(2)
    out = sys.stdout
    for line in sys.stdin:
        out.write(str(f(int(line))) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
