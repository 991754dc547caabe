#!/usr/bin/env python3
"""The CDK app: `cdk synth` / `cdk deploy`, or plain `python app.py` to synthesize offline."""

import aws_cdk as cdk

from infra.stack import CsmsStack

app = cdk.App()
CsmsStack(app, app.node.try_get_context("stackName") or "Csms")
app.synth()
