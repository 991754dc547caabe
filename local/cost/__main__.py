"""`make cost`: dollars per charge point-month, at list prices, from a fleet run's counts.

    python -m local.cost                      # a short fleet run, counted, then the tables
    python -m local.cost --usage usage.json   # the tables again from a saved count

A run is `python -m local.fleet load --cost` with its defaults (the fleet's options may follow
`--`); `--usage-out` keeps what it counted, so that new prices or a changed stack can be
priced without running the fleet again.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from local.cost.pricing import price

# Counting slows the runtime down: latency is not what this run is for.
FLEET = ["--stations", "60", "--duration", "90", "--meter-interval", "10", "--max-p99-ms", "0"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.cost", description=__doc__.split("\n")[0])
    parser.add_argument("--usage", type=Path, help="price this saved count instead of running a fleet")
    parser.add_argument("--usage-out", type=Path, help="keep the run's count here")
    parser.add_argument("fleet", nargs="*", help="options for python -m local.fleet load (after --)")
    args = parser.parse_args(argv)
    if args.usage:
        print(price(json.loads(args.usage.read_text())))
        return 0
    from local.fleet.cli import main as fleet

    out = ["--usage-out", str(args.usage_out)] if args.usage_out else []
    return fleet(["load", *FLEET, *args.fleet, "--cost", *out])


if __name__ == "__main__":
    sys.exit(main())
