"""The access-log bucket: every other bucket's server access logs, the distribution's CloudFront
logs and the FTP VPC's flow logs go into it, each under a prefix of its own."""

import json

from tests.infra.conftest import of_type


def _log_bucket(resources):
    [name] = [n for n in of_type(resources, "AWS::S3::Bucket") if n.startswith("AccessLogs")]
    return name


def test_every_other_bucket_logs_its_access_into_the_log_bucket_under_its_own_prefix(resources):
    log_bucket = _log_bucket(resources)
    buckets = {
        n: b["Properties"] for n, b in of_type(resources, "AWS::S3::Bucket").items() if n != log_bucket
    }
    assert len(buckets) >= 3  # files, console, exports
    prefixes = [b["LoggingConfiguration"]["LogFilePrefix"] for b in buckets.values()]
    assert all(
        b["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": log_bucket} for b in buckets.values()
    )
    assert len(set(prefixes)) == len(prefixes) and all(p.startswith("s3/") for p in prefixes)
    assert "LoggingConfiguration" not in resources[log_bucket]["Properties"]


def test_s3_delivers_by_the_bucket_policy_over_tls_and_the_logs_expire(resources):
    log_bucket = _log_bucket(resources)
    bucket = resources[log_bucket]["Properties"]
    assert "AccessControl" not in bucket  # no legacy ACL grant
    assert bucket["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] == 30  # logRetentionDays
    assert resources[log_bucket]["DeletionPolicy"] == "Retain"
    [policy] = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in of_type(resources, "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": log_bucket}
    ]
    assert any(s["Principal"] == {"Service": "logging.s3.amazonaws.com"} for s in policy)
    assert any(s["Effect"] == "Deny" and "aws:SecureTransport" in json.dumps(s) for s in policy)


def test_the_distribution_logs_into_the_log_bucket(resources):
    [distribution] = of_type(resources, "AWS::CloudFront::Distribution").values()
    logging = distribution["Properties"]["DistributionConfig"]["Logging"]
    assert logging["Bucket"] == {"Fn::GetAtt": [_log_bucket(resources), "RegionalDomainName"]}
    assert logging["Prefix"].startswith("cloudfront/")


def test_the_ftp_vpc_logs_its_flows_into_the_log_bucket(every_feature):
    resources = every_feature[2]["Resources"]
    [flow_log] = of_type(resources, "AWS::EC2::FlowLog").values()
    assert flow_log["Properties"]["LogDestinationType"] == "s3"
    assert _log_bucket(resources) in json.dumps(flow_log["Properties"]["LogDestination"])
    assert flow_log["Properties"]["TrafficType"] == "ALL"
