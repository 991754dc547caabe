"""The durable tables' recovery: point-in-time recovery on each, and each in the daily backup
plan's selection, kept for `backupDays`; the transient tables (TTL) in neither."""

from tests.infra.conftest import of_type


def _tables(resources):
    return of_type(resources, "AWS::DynamoDB::GlobalTable")


def _selected(resources):
    [selection] = of_type(resources, "AWS::Backup::BackupSelection").values()
    return {arn["Fn::GetAtt"][0] for arn in selection["Properties"]["BackupSelection"]["Resources"]}


def test_every_durable_table_has_point_in_time_recovery_and_is_backed_up(resources):
    tables = _tables(resources)
    durable = {name for name, table in tables.items() if table.get("DeletionPolicy") == "Retain"}
    assert any(name.startswith("StorageTransactionRecord") for name in durable)
    for name, table in tables.items():
        [replica] = table["Properties"]["Replicas"]
        recovery = replica.get("PointInTimeRecoverySpecification", {}).get("PointInTimeRecoveryEnabled")
        assert recovery is (name in durable), name
        # A table without a TTL holds nothing that expires: it is durable.
        if "TimeToLiveSpecification" not in table["Properties"]:
            assert name in durable, name
    assert _selected(resources) == durable


def test_the_transient_tables_are_left_out(resources):
    transient = {
        name for name, table in _tables(resources).items() if table.get("DeletionPolicy") != "Retain"
    }
    assert any("IdempotencyRecord" in name for name in transient)
    assert not transient & _selected(resources)


def _plan(resources):
    [plan] = of_type(resources, "AWS::Backup::BackupPlan").values()
    [rule] = plan["Properties"]["BackupPlan"]["BackupPlanRule"]
    return rule


def test_a_daily_backup_kept_35_days_unless_told_in_a_vault_kept_with_the_stack(resources, every_feature):
    rule = _plan(resources)
    assert rule["ScheduleExpression"] == "cron(0 3 * * ? *)"
    assert rule["Lifecycle"] == {"DeleteAfterDays": 35}
    [(vault_name, vault)] = of_type(resources, "AWS::Backup::BackupVault").items()
    assert vault["DeletionPolicy"] == "Retain"
    assert rule["TargetBackupVault"] == {"Fn::GetAtt": [vault_name, "BackupVaultName"]}
    assert _plan(every_feature[2]["Resources"])["Lifecycle"] == {"DeleteAfterDays": 7}  # backupDays=7


def test_a_failed_backup_raises_an_alarm(resources):
    [vault_name] = of_type(resources, "AWS::Backup::BackupVault")
    [alarm] = [
        a["Properties"]
        for a in of_type(resources, "AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("Namespace") == "AWS/Backup"
    ]
    assert alarm["MetricName"] == "NumberOfBackupJobsFailed" and alarm["Threshold"] == 1
    assert alarm["Dimensions"] == [
        {"Name": "BackupVaultName", "Value": {"Fn::GetAtt": [vault_name, "BackupVaultName"]}}
    ]
    assert alarm["AlarmActions"]
