"""The whole CSMS in one stack: storage, functions, the charge points' gateway and its edge,
the operator API, schedules, the event bus and monitoring."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from infra.backups import Backups
from infra.config import StackConfig
from infra.console import Console
from infra.dead_letters import DeadLetters
from infra.edge import Edge
from infra.exports import Exports
from infra.files import Files
from infra.ftp import FtpUploads
from infra.functions import Functions
from infra.observability import Observability
from infra.operator_api import OperatorApi
from infra.schedules import EventBus, Reactions, Schedules
from infra.storage import Storage
from infra.websocket_api import WebSocketApi
from shared.manifest import AUTHORIZER, CONSOLE_PATH, DRIVER_PATH, FTP_FUNCTIONS

S3_LOGS_BY_POLICY = "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy"


class CsmsStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        # S3 delivers server access logs by the access-log bucket's policy, not a legacy ACL.
        self.node.set_context(S3_LOGS_BY_POLICY, True)
        config = StackConfig.from_context(self)
        self.storage = Storage(self, "Storage")
        self.backups = Backups(self, "Backups", config=config, tables=self.storage.durable)
        self.events = EventBus(self, "Events")
        self.dead_letters = DeadLetters(self, "DeadLetters")
        self.functions = Functions(
            self,
            "Functions",
            config=config,
            tables=self.storage.tables,
            environment={"CSMS_EVENT_BUS": self.events.bus.event_bus_name, "CSMS_API_AUTH": "gateway"},
            dead_letters=self.dead_letters.queue,
            optional=FTP_FUNCTIONS if config.ftp_uploads else (),
        )
        self.events.grant_publishers(self.functions)
        self.files = Files(self, "Files", config=config)
        self.files.grant(self.functions)
        self.functions.grant_secrets(self)  # an OpenADR VTN's client credentials
        if config.ftp_uploads:
            self.ftp = FtpUploads(
                self, "FtpUploads", config=config, functions=self.functions, files=self.files
            )
        self.gateway = WebSocketApi(self, "Gateway", config=config, functions=self.functions)
        self.edge = Edge(self, "Edge", config=config, gateway=self.gateway)
        self.gateway.grant_connections(self.functions)
        self.functions[AUTHORIZER].add_environment(
            "CSMS_ORIGIN_SECRET", self.edge.origin_secret.secret_value.unsafe_unwrap()
        )
        host = config.domain_name or self.edge.host
        console_origin = f"https://{host}"
        console_url = console_origin + CONSOLE_PATH
        driver_url = console_origin + DRIVER_PATH
        self.operator_api = OperatorApi(
            self,
            "OperatorApi",
            config=config,
            functions=self.functions,
            console_url=console_url,
            console_origin=console_origin,
            driver_url=driver_url,
        )
        self.console = Console(
            self,
            "Console",
            config=config,
            distribution=self.edge.distribution,
            url=console_url,
            api_url=self.operator_api.url,
            sign_in_domain=self.operator_api.domain.base_url(),
            client_id=self.operator_api.console.user_pool_client_id,
            driver_url=driver_url,
            driver_sign_in_domain=self.operator_api.drivers_domain.base_url(),
            driver_client_id=self.operator_api.drivers_client.user_pool_client_id,
        )
        self.exports = Exports(
            self,
            "Exports",
            config=config,
            bus=self.events.bus,
            tables=self.storage.tables,
            functions=self.functions,
            dead_letters=self.dead_letters,
        )
        self.schedules = Schedules(
            self, "Schedules", functions=self.functions, dead_letters=self.dead_letters.queue
        )
        self.reactions = Reactions(
            self,
            "Reactions",
            functions=self.functions,
            bus=self.events.bus,
            dead_letters=self.dead_letters.queue,
        )
        self.observability = Observability(
            self,
            "Observability",
            config=config,
            functions=self.functions,
            tables=self.storage.tables,
            gateway=self.gateway,
            operator_api=self.operator_api,
            dead_letters=self.dead_letters.queue,
            streams=self.exports.streams,
            vault=self.backups.vault,
        )
        outputs = {
            "ConsoleUrl": (self.console.url, "The operator console (sign in with the user pool)"),
            "DriverUrl": (self.console.driver_url, "The driver pages (sign in with the drivers' user pool)"),
            "OcppUrl": (
                f"wss://{host}/ocpp/",
                "Charge points connect to this URL followed by their identity",
            ),
            "ApiUrl": (self.operator_api.url, "The operator HTTP API (Swagger UI at /docs)"),
            "UserPoolId": (self.operator_api.user_pool.user_pool_id, "Operators' user pool"),
            "PeopleClientId": (self.operator_api.people.user_pool_client_id, "App client for people"),
            "MachineClientId": (
                self.operator_api.machines.user_pool_client_id,
                "App client for machines (client credentials, scope csms/operate)",
            ),
            "TokenUrl": (self.operator_api.token_url, "OAuth token endpoint for machine clients"),
            "EventBusName": (self.events.bus.event_bus_name, "Domain events"),
            "FilesBucket": (self.files.bucket.bucket_name, "Firmware images and uploaded logs"),
            "AlarmTopicArn": (self.observability.topic.topic_arn, "Subscribe to receive alarms"),
            "DeadLetterQueueUrl": (
                self.dead_letters.queue.queue_url,
                "What could not be delivered or kept failing after its retries (alarmed)",
            ),
            "DistributionDomain": (self.edge.host, "Point a custom domain's CNAME here"),
            "BackupVaultName": (
                self.backups.vault.backup_vault_name,
                "The durable tables' daily backups (docs/restore.md)",
            ),
            "ConsoleClientId": (self.operator_api.console.user_pool_client_id, "App client for the console"),
            "DriversPoolId": (
                self.operator_api.drivers_pool.user_pool_id,
                "Drivers' user pool (self sign-up)",
            ),
            "ExportsBucket": (self.exports.bucket.bucket_name, "Ended sessions as JSON lines (sessions/)"),
            "ExportsDatabase": (self.exports.database.ref, "Glue database of the exports (Athena)"),
        }
        for name, (value, description) in outputs.items():
            CfnOutput(self, name, value=value, description=description)
