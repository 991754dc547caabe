"""Pricing a count: shared by `python -m local.cost` and `python -m local.fleet load --cost`, so
that neither command's entry point imports the other's."""

from __future__ import annotations

import json
import os
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
