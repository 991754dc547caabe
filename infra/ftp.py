"""The optional FTP upload server (context `ftpUploads`), for charge points that upload their
diagnostics only over FTP: AWS Transfer Family, its users the CSMS's own single-use upload
tokens (an identity function checks them), storing into the files bucket, from where each
file is handed to its log request. Transfer Family serves plain FTP only inside a VPC, so the
server sits in a VPC of its own: charge points reach it over a VPN or a private APN, at
`ftpHost`. It bills by the hour whether used or not (see the README's Cost)."""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as notifications
from aws_cdk import aws_transfer as transfer
from constructs import Construct

from infra.access_logs import log_bucket, log_prefix
from infra.config import StackConfig
from infra.files import Files
from infra.functions import Functions
from infra.nag import BASIC_EXECUTION, S3_GRANT_ACTIONS, acknowledge, arn_of, wildcards
from shared.manifest import FTP_IDENTITY, FTP_INCOMING, FTP_RECEIVED, OPERATOR_API

# Transfer Family's passive ports for FTP.
PASSIVE_PORTS = (8192, 8200)


class FtpUploads(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, config: StackConfig, functions: Functions, files: Files
    ) -> None:
        super().__init__(scope, construct_id)
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            max_azs=2,
            nat_gateways=0,
            subnet_configuration=[
                ec2.SubnetConfiguration(name="ftp", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
            ],
        )
        self.vpc.add_flow_log(
            "FlowLog",
            destination=ec2.FlowLogDestination.to_s3(log_bucket(self, config), log_prefix(self, "vpc")),
        )
        self.security_group = ec2.SecurityGroup(
            self, "Ftp", vpc=self.vpc, description="FTP from charge points", allow_all_outbound=False
        )
        peer = ec2.Peer.ipv4(config.ftp_allowed_cidr)
        self.security_group.add_ingress_rule(peer, ec2.Port.tcp(21), "FTP control")
        self.security_group.add_ingress_rule(peer, ec2.Port.tcp_range(*PASSIVE_PORTS), "FTP passive data")

        access = iam.Role(
            self,
            "Access",
            assumed_by=iam.ServicePrincipal("transfer.amazonaws.com"),
            description="What an FTP user may do: put files under its own incoming folder",
        )
        files.bucket.grant_put(access, f"{FTP_INCOMING}*")
        files.bucket.grant_read(access, f"{FTP_INCOMING}*")
        acknowledge(
            access,
            f"An FTP session puts and reads under {FTP_INCOMING} of the files bucket only, with the "
            "object actions CDK's put and read grants name",
            *wildcards(
                *(f"Action::{action}" for action in S3_GRANT_ACTIONS if action != "s3:DeleteObject*"),
                f"Resource::{arn_of(files.bucket)}/{FTP_INCOMING}*",
            ),
        )
        identity = functions[FTP_IDENTITY]
        identity.add_environment("CSMS_FTP_ROLE_ARN", access.role_arn)
        identity.add_environment("CSMS_FILES_BUCKET", files.bucket.bucket_name)

        self.server = transfer.CfnServer(
            self,
            "Server",
            protocols=["FTP"],
            domain="S3",
            endpoint_type="VPC",
            endpoint_details=transfer.CfnServer.EndpointDetailsProperty(
                vpc_id=self.vpc.vpc_id,
                subnet_ids=[subnet.subnet_id for subnet in self.vpc.isolated_subnets],
                security_group_ids=[self.security_group.security_group_id],
            ),
            identity_provider_type="AWS_LAMBDA",
            identity_provider_details=transfer.CfnServer.IdentityProviderDetailsProperty(
                function=identity.function_arn
            ),
        )
        identity.add_permission(
            "CalledByTransfer",
            principal=iam.ServicePrincipal("transfer.amazonaws.com"),
            source_arn=self.server.attr_arn,
        )
        files.bucket.add_event_notification(
            s3.EventType.OBJECT_CREATED,
            notifications.LambdaDestination(functions[FTP_RECEIVED]),
            s3.NotificationKeyFilter(prefix=FTP_INCOMING),
        )
        for child in Stack.of(self).node.children:  # CDK's handler that sets bucket notifications
            if child.node.id.startswith("BucketNotificationsHandler"):
                acknowledge(
                    child,
                    "CDK's own handler that sets the bucket's notifications during a deploy; the "
                    "AWS-managed policy lets it write its logs",
                    BASIC_EXECUTION,
                )
        functions[OPERATOR_API].add_environment("CSMS_FTP_URL", f"ftp://{config.ftp_host}")
