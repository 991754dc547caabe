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
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from local.cost.report import render

ENV = {  # what importing the functions needs (they read their settings at import)
    "AWS_ACCESS_KEY_ID": "cost",
    "AWS_SECRET_ACCESS_KEY": "cost",
    "AWS_REGION": "eu-west-1",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "CSMS_API_TOKEN": "cost-token-0123456789",
    "CSMS_CONNECTIONS_ENDPOINT": "https://cost.execute-api.eu-west-1.amazonaws.com/prod",
}
# Counting slows the runtime down: latency is not what this run is for.
FLEET = ["--stations", "60", "--duration", "90", "--meter-interval", "10", "--max-p99-ms", "0"]


def synthesized_template() -> dict[str, Any]:
    """The stack as `cdk synth` makes it, offline and without building the dependency layer."""
    import aws_cdk as cdk

    from infra.stack import CsmsStack

    with tempfile.TemporaryDirectory() as out:
        app = cdk.App(context={"aws:cdk:bundling-stacks": []}, outdir=out)
        CsmsStack(app, "Cost")
        assembly = app.synth()
        template: dict[str, Any] = json.loads(
            Path(out, assembly.get_stack_by_name("Cost").template_file).read_text()
        )
        return template


def price(usage: dict[str, Any], runs: int = 3) -> str:
    from local.tools.imports import footprints, import_ratios

    for key, value in ENV.items():
        os.environ.setdefault(key, value)
    _, imports = import_ratios(runs)
    return render(usage, synthesized_template(), imports, footprints())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.cost", description=__doc__.split("\n")[0])
    parser.add_argument("--usage", type=Path, help="price this saved count instead of running a fleet")
    parser.add_argument("--usage-out", type=Path, help="keep the run's count here")
    parser.add_argument("fleet", nargs="*", help="options for python -m local.fleet load (after --)")
    args = parser.parse_args(argv)
    if args.usage:
        print(price(json.loads(args.usage.read_text())))
        return 0
    from local.fleet.__main__ import main as fleet

    out = ["--usage-out", str(args.usage_out)] if args.usage_out else []
    return fleet(["load", *FLEET, *args.fleet, "--cost", *out])


if __name__ == "__main__":
    sys.exit(main())
