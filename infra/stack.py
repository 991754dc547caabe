"""The CSMS stack. So far: its storage; the gateway, API and schedules follow."""

from __future__ import annotations

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from infra.storage import Storage


class CsmsStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs: object) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.storage = Storage(self, "Storage")
        for name, table in self.storage.tables.items():
            CfnOutput(self, f"{name}Table", value=table.table_name)
