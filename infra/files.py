"""The files bucket: firmware images and the logs charge points upload. Private and encrypted,
reached only through presigned URLs and the functions the manifest lets in; uploaded logs
expire after a while, firmware stays until it is removed from the catalogue."""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.access_logs import log_bucket, log_prefix
from infra.config import StackConfig
from infra.functions import Functions
from infra.nag import acknowledge, arn_of, wildcards
from shared.aws.files import LOGS

# A prefix read: its objects, and URLs to get them; written: put (also a copy's target and a URL
# to put), removed, and a multipart upload abandoned.
READ_ACTIONS = ["s3:GetObject"]
WRITE_ACTIONS = ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]


def private_bucket(scope: Construct, removal: RemovalPolicy, config: StackConfig, **extra: Any) -> s3.Bucket:
    """What every bucket of the stack is: private, encrypted, reached over TLS only, owned by the
    account whoever wrote the object, its access logged into the access-log bucket."""
    return s3.Bucket(
        scope,
        "Bucket",
        encryption=s3.BucketEncryption.S3_MANAGED,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        removal_policy=removal,
        server_access_logs_bucket=log_bucket(scope, config),
        server_access_logs_prefix=log_prefix(scope, "s3"),
        **extra,
    )


class Files(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: StackConfig) -> None:
        super().__init__(scope, construct_id)
        self.bucket = private_bucket(
            self,
            RemovalPolicy.RETAIN,
            config,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="uploaded-logs", prefix=LOGS, expiration=Duration.days(config.uploaded_log_days)
                ),
                s3.LifecycleRule(
                    id="unfinished-uploads", abort_incomplete_multipart_upload_after=Duration.days(2)
                ),
            ],
            # Operators' browsers PUT firmware images to presigned URLs.
            cors=[
                s3.CorsRule(
                    allowed_methods=[s3.HttpMethods.PUT, s3.HttpMethods.GET],
                    allowed_origins=list(config.cors_origins),
                    allowed_headers=["*"],
                    max_age=3600,
                )
            ],
        )

    def grant(self, functions: Functions) -> None:
        """Each function the objects under the prefixes its use cases read or write; and one that
        reads, the bucket's listing: without it S3 answers a missing object 403 rather than 404
        (HeadObject asks it with no prefix, so a condition on `s3:prefix` would not serve). The
        listing names keys, it reads no object."""
        for spec in functions.specs:
            grants = functions.granted(spec)
            prefixes = sorted(grants.file_reads | grants.file_writes)
            if not prefixes:
                continue
            function = functions[spec]
            for actions, chosen in ((READ_ACTIONS, grants.file_reads), (WRITE_ACTIONS, grants.file_writes)):
                if chosen:
                    resources = [self.bucket.arn_for_objects(f"{prefix}*") for prefix in sorted(chosen)]
                    function.add_to_role_policy(iam.PolicyStatement(actions=actions, resources=resources))
            if grants.file_reads:
                function.add_to_role_policy(
                    iam.PolicyStatement(actions=["s3:ListBucket"], resources=[self.bucket.bucket_arn])
                )
            function.add_environment("CSMS_FILES_BUCKET", self.bucket.bucket_name)
            acknowledge(
                function,
                "The files bucket's objects under the prefixes its use cases declare (shared/grants.py): "
                "the images and logs are named by id below them",
                *wildcards(*(f"Resource::{arn_of(self.bucket)}/{prefix}*" for prefix in prefixes)),
            )
