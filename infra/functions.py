"""One Lambda function per entry of the manifest: the same code and dependency layer for all,
arm64, logging to a group with a retention, traced where the manifest says, and granted only
what the manifest says each one touches."""

from __future__ import annotations

from aws_cdk import ArnFormat, Duration, RemovalPolicy, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra import packaging
from infra.config import StackConfig
from infra.nag import BASIC_EXECUTION, acknowledge, wildcards, written
from shared.aws.secrets import PREFIX as SECRETS_PREFIX
from shared.data.tables import all_records, suffix_of
from shared.grants import Grants, granted
from shared.manifest import ALL_FUNCTIONS, FTP_RECEIVED, REACTIONS, SCHEDULES, Function
from shared.observability import NAMESPACE, SERVICE
from shared.settings import table_variable

# What CDK's grant_read_data and grant_write_data grant, less the stream reads (a stream's event
# source grants its own): a table a use case reads, one it writes, one it does both to, and one
# it only appends to (the audit trail).
READ_ACTIONS = [
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
]
WRITE_ACTIONS = [
    "dynamodb:BatchWriteItem",
    "dynamodb:DeleteItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
]
APPEND_ACTIONS = ["dynamodb:PutItem"]
INDEX_ACTIONS = ["dynamodb:Query"]


def table_variables(tables: dict[str, dynamodb.TableV2]) -> dict[str, str]:
    """Each record's table, under the variable its name is read from."""
    records = all_records()
    variables = {table_variable(suffix_of(record)): tables[record.__name__].table_name for record in records}
    assert len(variables) == len(records), "every record declares a table of its own"
    return variables


# Invoked asynchronously (EventBridge schedules and rules, S3 notifications): what still fails
# after Lambda's two retries goes to the dead-letter queue. The others are called synchronously
# (API Gateway, Cognito, Transfer Family), and their caller sees the failure.
ASYNCHRONOUS = frozenset(
    {s.function.name for s in SCHEDULES} | {r.function.name for r in REACTIONS} | {FTP_RECEIVED.name}
)


# What signing through AWS Private CA (context privateCaArn) takes, on that CA only.
PRIVATE_CA_ACTIONS = [
    "acm-pca:DescribeCertificateAuthority",
    "acm-pca:GetCertificateAuthorityCertificate",
    "acm-pca:IssueCertificate",
    "acm-pca:GetCertificate",
]


class Functions(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StackConfig,
        tables: dict[str, dynamodb.TableV2],
        environment: dict[str, str],
        dead_letters: sqs.IQueue,
        optional: tuple[Function, ...] = (),
    ) -> None:
        """Every function of the manifest, and the `optional` ones the configuration turns on."""
        super().__init__(scope, construct_id)
        self.tables = tables
        self.private_ca_arn = config.private_ca_arn
        code = packaging.code()
        layer = packaging.dependencies_layer(self, "Dependencies")
        shared_environment = {
            **config.function_environment(),
            **table_variables(tables),
            **environment,
            "POWERTOOLS_SERVICE_NAME": SERVICE,
            "POWERTOOLS_METRICS_NAMESPACE": NAMESPACE,
        }
        self.by_name: dict[str, lambda_.Function] = {}
        self.specs: list[Function] = []
        for spec in (*ALL_FUNCTIONS, *optional):
            if spec.name in self.by_name:
                continue
            self.specs.append(spec)
            traced = spec.traced or config.tracing
            log_group = logs.LogGroup(
                self,
                f"{spec.name}-logs",
                retention=config.log_retention(),
                removal_policy=RemovalPolicy.DESTROY,
            )
            function = lambda_.Function(
                self,
                spec.name,
                description=spec.description,
                runtime=packaging.RUNTIME,
                architecture=packaging.ARCHITECTURE,
                code=code,
                handler=spec.handler,
                layers=[layer],
                memory_size=spec.memory_mb,
                timeout=Duration.seconds(spec.timeout_s),
                environment=shared_environment,
                tracing=lambda_.Tracing.ACTIVE if traced else lambda_.Tracing.PASS_THROUGH,
                # Lambda's own retries of an asynchronous invocation, said rather than defaulted:
                # two more tries within six hours, then the dead-letter queue, as an on-failure
                # destination: its record names the function and the error beside the event,
                # which a function's DLQ message does not, so it can be sent again (README, Redrive).
                retry_attempts=2 if spec.name in ASYNCHRONOUS else None,
                max_event_age=Duration.hours(6) if spec.name in ASYNCHRONOUS else None,
                on_failure=destinations.SqsDestination(dead_letters) if spec.name in ASYNCHRONOUS else None,
                log_group=log_group,
                logging_format=lambda_.LoggingFormat.JSON,
                # Lambda's START and REPORT records are INFO: a line and a half a message for
                # what the Duration and Invocations metrics already say (decision 0027).
                system_log_level_v2=lambda_.SystemLogLevel.WARN,
            )
            self._grant_data(spec, function)
            self.by_name[spec.name] = function
            _acknowledge(function, asynchronous=spec.name in ASYNCHRONOUS, traced=traced)

    def __getitem__(self, spec: Function) -> lambda_.Function:
        return self.by_name[spec.name]

    def granted(self, spec: Function) -> Grants:
        return granted(spec.uses)

    def grant_secrets(self, scope: Construct) -> None:
        """The secrets under csms/ its use cases name, no others: Secrets Manager adds six random
        characters to a secret's name in its ARN, hence `-*` (a folder's secrets: its `/*`)."""
        stack = Stack.of(scope)

        def arn(name: str) -> str:
            return stack.format_arn(
                service="secretsmanager",
                resource="secret",
                resource_name=f"{SECRETS_PREFIX}{name}{'*' if name.endswith('/') else '-*'}",
                arn_format=ArnFormat.COLON_RESOURCE_NAME,
            )

        for spec in self.specs:
            grants, function = self.granted(spec), self[spec]
            for actions, names in (
                (["secretsmanager:GetSecretValue"], grants.secrets),
                (["secretsmanager:CreateSecret"], grants.secrets_made),  # made by whichever signs first
            ):
                if names:
                    resources = [arn(name) for name in sorted(names)]
                    function.add_to_role_policy(iam.PolicyStatement(actions=actions, resources=resources))
                    acknowledge(
                        function,
                        "Secrets Manager ends a secret's ARN with six random characters: each of these "
                        "names one secret its use cases read (shared/grants.py), or a folder of them",
                        *wildcards(*(f"Resource::{written(self, resource)}" for resource in resources)),
                    )
            if grants.private_ca and self.private_ca_arn:  # ...or AWS Private CA signs
                function.add_to_role_policy(
                    iam.PolicyStatement(actions=PRIVATE_CA_ACTIONS, resources=[self.private_ca_arn])
                )

    def _grant_data(self, spec: Function, function: lambda_.Function) -> None:
        """The union of what its use cases declare (shared.grants): one statement per kind of
        access, each table in one of them, so that a role stays within IAM's 10,240 characters
        of inline policy however many tables it is granted (tests/infra/test_functions.py)."""
        grants = self.granted(spec)
        by_suffix = {suffix_of(record): self.tables[record.__name__] for record in all_records()}
        both = grants.reads & grants.writes
        kinds = (
            (READ_ACTIONS, grants.reads - both),
            (WRITE_ACTIONS, grants.writes - both),
            (READ_ACTIONS + WRITE_ACTIONS, both),
            (APPEND_ACTIONS, grants.appends - grants.writes - grants.reads),
            (READ_ACTIONS + APPEND_ACTIONS, grants.appends & grants.reads - grants.writes),
        )
        for actions, tables in kinds:
            if tables:
                resources = [by_suffix[table].table_arn for table in sorted(tables)]
                function.add_to_role_policy(iam.PolicyStatement(actions=actions, resources=resources))
        if grants.indexes:
            indexes = [_index_arn(by_suffix, index) for index in sorted(grants.indexes)]
            function.add_to_role_policy(iam.PolicyStatement(actions=INDEX_ACTIONS, resources=indexes))


def _index_arn(tables: dict[str, dynamodb.TableV2], index: str) -> str:
    table, _, name = index.partition("/")
    return f"{tables[table].table_arn}/index/{name}"


def _acknowledge(function: lambda_.Function, *, asynchronous: bool, traced: bool) -> None:
    acknowledge(
        function,
        "Python 3.13: the dependency layer and the code carry bytecode compiled by the build's "
        "Python (infra/packaging.py), which is 3.13; on 3.14 every cold start would compile its "
        "imports again, about 0.6 s more (decision 0038)",
        "AwsSolutions-L1",
        "Serverless-LambdaLatestVersion",
    )
    acknowledge(
        function,
        "AWSLambdaBasicExecutionRole grants writing CloudWatch Logs only, which every function "
        "does; AWS maintains it",
        BASIC_EXECUTION,
    )
    acknowledge(
        function,
        "xray:PutTraceSegments and PutTelemetryRecords take no resource: X-Ray has no resource-level "
        "permissions",
        *wildcards("Resource::*"),
    )
    acknowledge(
        function,
        "Not invoked asynchronously: API Gateway, Cognito and Transfer Family call it and get its "
        "failure, and a table stream's event source mapping sends what fails to the dead-letter "
        "queue as its on-failure destination; a function's own DLQ takes only asynchronous failures"
        if not asynchronous
        else "Its asynchronous failures go to the dead-letter queue as its on-failure destination, "
        "whose record names the function and the error (a DLQ as well would put each there twice)",
        "Serverless-LambdaDLQ",
    )
    if not traced:
        acknowledge(
            function,
            "Active tracing bills every sampled invocation as a trace (about +$0.009 a quiet charge "
            "point-month, README Cost) and this function records no subsegments; -c tracing=true "
            "turns it on",
            "Serverless-LambdaTracing",
        )
