"""Backups of the durable tables (decision 0042): point-in-time recovery on each (infra/storage.py)
restores any second of the last 35 days, and an AWS Backup plan keeps a daily copy for
`backupDays` (35 unless told) in a vault of the stack's, outside the tables, so that a table
deleted, or a restore gone wrong, still has a copy to come back from. docs/restore.md says how."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_backup as backup
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from constructs import Construct

from infra.config import StackConfig
from infra.nag import acknowledge

BACKUP_ROLE_POLICY = (
    "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
    "AWSBackupServiceRolePolicyForBackup]"
)


class Backups(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, config: StackConfig, tables: list[dynamodb.TableV2]
    ) -> None:
        super().__init__(scope, construct_id)
        self.vault = backup.BackupVault(self, "Vault", removal_policy=RemovalPolicy.RETAIN)
        self.plan = backup.BackupPlan(self, "Plan", backup_vault=self.vault)
        self.plan.add_rule(
            backup.BackupPlanRule(
                rule_name="Daily",
                # 03:00 UTC, within the night's quiet hours of Europe's fleets.
                schedule_expression=events.Schedule.cron(hour="3", minute="0"),
                delete_after=Duration.days(config.backup_days),
            )
        )
        self.selection = self.plan.add_selection(
            "DurableTables",
            resources=[backup.BackupResource.from_arn(table.table_arn) for table in tables],
            allow_restores=True,
        )
        acknowledge(
            self.selection,
            "AWS Backup's own managed policies are the role's: they follow the service's actions "
            "for every resource type, which a policy of ours would trail",
            BACKUP_ROLE_POLICY,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AWSBackupServiceRolePolicyForRestores]",
        )
