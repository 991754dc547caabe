"""The functions: runtime, packaging, settings, and least privilege."""

import json
import re

import pytest

from infra.functions import APPEND_ACTIONS, INDEX_ACTIONS, READ_ACTIONS, WRITE_ACTIONS
from infra.packaging import requirements
from shared.data.certificates import TrustAnchorRecord
from shared.data.charge_points import ChargePointRecord
from shared.data.tables import all_records, suffix_of
from shared.data.tariffs import TariffRecord
from shared.data.throttles import ThrottleRecord
from shared.grants import CONNECTION_METHODS, granted
from shared.manifest import (
    ALL_FUNCTIONS,
    AUTHORIZER,
    CONNECT,
    DISCONNECT,
    OCPI,
    OCPP_ROUTER,
    OCPP_SOAP,
    OPERATOR_API,
    SITE_LIMITS,
    UPLOADS,
)
from shared.settings import table_variable
from tests.infra.conftest import function_named, of_type, statements_of, synth

# X-Ray takes no resource-level permissions: its two write actions are granted on "*".
XRAY = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
TABLE_WRITES = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}


def _actions(statement):
    actions = statement["Action"]
    return {actions} if isinstance(actions, str) else set(actions)


def _table_of(resources, model):
    """Tables are made per model, under the model's name."""
    [name] = [
        n
        for n in of_type(resources, "AWS::DynamoDB::GlobalTable")
        if re.fullmatch(f"Storage{model.__name__}[0-9A-F]{{8}}", n)
    ]
    return name


def test_one_function_per_manifest_entry_on_arm64_python(resources):
    functions = of_type(resources, "AWS::Lambda::Function")
    handlers = [f["Properties"]["Handler"] for f in functions.values()]
    assert sorted(h for h in handlers if h.startswith("functions.")) == sorted(
        {spec.handler for spec in ALL_FUNCTIONS}
    )
    # Besides them, only CDK's own: the one that copies the console's files into its bucket.
    others = [
        name for name, f in functions.items() if not f["Properties"]["Handler"].startswith("functions.")
    ]
    assert [name.startswith("CustomCDKBucketDeployment") for name in others] == [True]
    [layer] = functions[function_named(resources, AUTHORIZER.handler)]["Properties"]["Layers"]
    for spec in ALL_FUNCTIONS:
        props = functions[function_named(resources, spec.handler)]["Properties"]
        assert props["Architectures"] == ["arm64"] and props["Runtime"] == "python3.13"
        # X-Ray only where a tracer records something; Lambda's own records only at WARN.
        assert props["TracingConfig"] == {"Mode": "Active" if spec.traced else "PassThrough"}, spec.name
        assert props["LoggingConfig"]["SystemLogLevel"] == "WARN"
        assert props["MemorySize"] == spec.memory_mb and props["Timeout"] == spec.timeout_s
        assert props["Layers"] == [layer]


def test_every_function_names_every_table_it_may_use(resources):
    for spec in ALL_FUNCTIONS:
        variables = resources[function_named(resources, spec.handler)]["Properties"]["Environment"][
            "Variables"
        ]
        named = {variables[table_variable(suffix_of(record))]["Ref"] for record in all_records()}
        assert named == {_table_of(resources, record) for record in all_records()}, spec.name
        assert variables["CSMS_HEARTBEAT_INTERVAL"] == "540"
        assert variables["CSMS_ADMISSION"] == "registered"
        assert variables["CSMS_COMMAND_TIMEOUT"] == "30"


def test_no_wildcards_beyond_xray(resources):
    for policy in of_type(resources, "AWS::IAM::Policy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            actions = _actions(statement)
            assert not any(a == "*" or a.endswith(":*") for a in actions), statement
            if statement["Resource"] == "*":
                assert actions <= XRAY, statement


def test_the_authorizer_reads_charge_points_and_counts_failures_only(resources):
    statements = statements_of(resources, resources[function_named(resources, AUTHORIZER.handler)])
    charge_points = _table_of(resources, ChargePointRecord)
    throttles = _table_of(resources, ThrottleRecord)
    for statement in statements:
        actions = _actions(statement)
        if actions <= XRAY:
            continue
        resource = json.dumps(statement["Resource"])
        assert charge_points in resource or throttles in resource, statement
        assert not (actions & TABLE_WRITES and charge_points in resource), statement
        assert not any(a.startswith(("execute-api:", "events:")) for a in actions)


@pytest.mark.parametrize("spec", ALL_FUNCTIONS, ids=lambda s: s.name)
def test_a_function_manages_connections_only_by_the_methods_its_use_cases_need(resources, spec):
    function = resources[function_named(resources, spec.handler)]
    grants = [s for s in statements_of(resources, function) if "execute-api:ManageConnections" in _actions(s)]
    variables = function["Properties"]["Environment"]["Variables"]
    operations = granted(spec.uses).connections
    if not operations:
        assert not grants and "CSMS_CONNECTIONS_ENDPOINT" not in variables
        return
    [grant] = grants
    api = next(
        n
        for n, r in of_type(resources, "AWS::ApiGatewayV2::Api").items()
        if r["Properties"]["ProtocolType"] == "WEBSOCKET"
    )
    resources_granted = grant["Resource"] if isinstance(grant["Resource"], list) else [grant["Resource"]]
    methods = set()
    for resource in resources_granted:
        parts = resource["Fn::Join"][1]
        assert {"Ref": api} in parts  # this API's connections, no other
        methods.add(re.search(r"/(\w+)/@connections/\*$", parts[-1]).group(1))
    assert methods == {CONNECTION_METHODS[o] for o in operations}
    assert {"Ref": api} in variables["CSMS_CONNECTIONS_ENDPOINT"]["Fn::Join"][1]


def test_only_what_sends_commands_posts_and_only_what_ends_connections_closes_them():
    assert granted(OCPP_ROUTER.uses).connections == {"post", "close"}
    assert granted(OPERATOR_API.uses).connections == {"post", "read", "close"}
    assert granted(CONNECT.uses).connections == {"close"}
    assert not granted(DISCONNECT.uses).connections and not granted(AUTHORIZER.uses).connections


def test_the_layer_installs_the_pinned_run_time_dependencies():
    pins = requirements().split()
    assert any(p.startswith("ocpp==") for p in pins) and all("==" in p for p in pins)
    assert not any(p.startswith(("aws-cdk-lib", "moto", "pytest")) for p in pins)


def _secret_names(statement):
    """`csms/...` of each secret ARN a statement names."""
    arns = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
    return {arn["Fn::Join"][1][-1].partition(":secret:")[2] for arn in arns}


@pytest.mark.parametrize("spec", ALL_FUNCTIONS, ids=lambda s: s.name)
def test_a_function_reads_only_the_secrets_its_use_cases_name(resources, spec):
    function = resources[function_named(resources, spec.handler)]
    grants = [s for s in statements_of(resources, function) if "secretsmanager:GetSecretValue" in _actions(s)]
    names = granted(spec.uses).secrets
    if not names:
        assert not grants
        return
    [grant] = grants
    assert _actions(grant) == {"secretsmanager:GetSecretValue"}
    assert _secret_names(grant) == {f"csms/{n}*" if n.endswith("/") else f"csms/{n}-*" for n in names}


def test_each_secret_is_read_by_the_functions_that_use_it_alone():
    assert granted(OCPP_ROUTER.uses).secrets == {"contract-certificate-provider"}
    assert granted(SITE_LIMITS.uses).secrets == {"openadr/"}
    assert granted(OPERATOR_API.uses).secrets == {"certificate-authority", "payment-provider"}


@pytest.mark.parametrize("spec", ALL_FUNCTIONS, ids=lambda s: s.name)
def test_only_functions_that_sign_or_take_roaming_credentials_make_secrets_and_only_theirs(resources, spec):
    function = resources[function_named(resources, spec.handler)]
    grants = [s for s in statements_of(resources, function) if "secretsmanager:CreateSecret" in _actions(s)]
    if not granted(spec.uses).secrets_made:
        assert not grants
        return
    [grant] = grants
    assert _actions(grant) == {"secretsmanager:CreateSecret"}
    # The CA's, made by whichever signs first; a roaming partner's token B, one per registration.
    expected = {"csms/roaming/*"} if spec is OCPI else {"csms/certificate-authority-*"}
    assert _secret_names(grant) == expected


PRIVATE_CA = (
    "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0a1b2c3d-0000-1111-2222-333344445555"
)


def test_with_a_private_ca_only_the_functions_that_sign_may_use_it_and_only_it(tmp_path_factory, resources):
    from infra.functions import PRIVATE_CA_ACTIONS

    _, template = synth(tmp_path_factory, privateCaArn=PRIVATE_CA)
    with_ca = template["Resources"]
    for spec in ALL_FUNCTIONS:
        function = with_ca[function_named(with_ca, spec.handler)]
        grants = [s for s in statements_of(with_ca, function) if "acm-pca:IssueCertificate" in _actions(s)]
        if granted(spec.uses).private_ca:
            [grant] = grants
            assert _actions(grant) == set(PRIVATE_CA_ACTIONS) and grant["Resource"] == PRIVATE_CA
            assert function["Properties"]["Environment"]["Variables"]["CSMS_PRIVATE_CA_ARN"] == PRIVATE_CA
        else:
            assert not grants
    # Without one, no function may use any.
    for spec in ALL_FUNCTIONS:
        function = resources[function_named(resources, spec.handler)]
        assert not [
            s for s in statements_of(resources, function) if "acm-pca:IssueCertificate" in _actions(s)
        ]


# The event source of a table's stream (the audit export's) reads the stream, not the table.
STREAM_ACTIONS = {
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ListStreams",
}


def _table_grants(resources, spec):
    """The tables a function may read, write, put only, and the indexes it may query
    (`table/index`): tables named as their records declare them, from its role's statements."""
    by_logical_id = {_table_of(resources, record): suffix_of(record) for record in all_records()}
    # A statement is one kind of access: what its actions are says which.
    kinds_of = {
        frozenset(READ_ACTIONS): ("read",),
        frozenset(WRITE_ACTIONS): ("write",),
        frozenset(READ_ACTIONS + WRITE_ACTIONS): ("read", "write"),
        frozenset(APPEND_ACTIONS): ("append",),
        frozenset(READ_ACTIONS + APPEND_ACTIONS): ("read", "append"),
        frozenset(INDEX_ACTIONS): ("index",),
    }
    grants = {"read": set(), "write": set(), "append": set(), "index": set()}
    for statement in statements_of(resources, resources[function_named(resources, spec.handler)]):
        actions = _actions(statement)
        if not any(a.startswith("dynamodb:") for a in actions) or actions <= STREAM_ACTIONS:
            continue
        kinds = kinds_of[frozenset(actions)]
        listed = statement["Resource"]
        for resource in listed if isinstance(listed, list) else [listed]:
            text = json.dumps(resource)
            [logical_id] = re.findall(r'"(Storage\w+)"', text)
            if kinds == ("index",):
                [index] = re.findall(r"/index/([\w-]+)", text)
                grants["index"].add(f"{by_logical_id[logical_id]}/{index}")
            else:
                assert "/index/" not in text, statement
                for kind in kinds:
                    grants[kind].add(by_logical_id[logical_id])
    return grants


@pytest.mark.parametrize("spec", ALL_FUNCTIONS, ids=lambda s: s.name)
def test_each_function_is_granted_what_its_use_cases_declare_and_nothing_more(resources, spec):
    grants, declared = _table_grants(resources, spec), granted(spec.uses)
    assert grants["read"] == declared.reads
    assert grants["write"] == declared.writes
    assert grants["append"] == declared.appends - declared.writes
    assert grants["index"] == declared.indexes


@pytest.mark.parametrize("spec", ALL_FUNCTIONS, ids=lambda s: s.name)
def test_only_the_routers_and_the_operator_api_write_more_than_8_tables(resources, spec):
    """The SOAP door answers 1.5 stations with the router's own handlers: it writes what it does."""
    written = _table_grants(resources, spec)["write"]
    assert spec in (OCPP_ROUTER, OCPP_SOAP, OPERATOR_API) or len(written) <= 8, sorted(written)


@pytest.mark.parametrize("spec", (AUTHORIZER, CONNECT, DISCONNECT, UPLOADS), ids=lambda s: s.name)
def test_no_station_facing_function_but_the_router_writes_tariffs_or_trust_anchors(resources, spec):
    grants = _table_grants(resources, spec)
    assert not {suffix_of(TariffRecord), suffix_of(TrustAnchorRecord)} & (grants["write"] | grants["append"])


def test_every_role_s_inline_policy_fits_iam_s_limit_with_real_arns(resources):
    """IAM counts a role's inline policies together, up to 10,240 characters, with every ARN
    resolved: here each table's as CloudFormation names it (stack, logical id, 13 random
    characters) in the region with the longest name."""

    def arn(match):
        return json.dumps(f"arn:aws:dynamodb:ap-southeast-2:123456789012:table/Csms-{match[1]}-ABCDEFGHIJKLM")

    for spec in ALL_FUNCTIONS:
        statements = statements_of(resources, resources[function_named(resources, spec.handler)])
        policy = json.dumps({"Version": "2012-10-17", "Statement": statements}, separators=(",", ":"))
        resolved = re.sub(r'\{"Fn::GetAtt":\["(Storage\w+)","Arn"\]\}', arn, policy)
        assert len(resolved) < 10_240, (spec.name, len(resolved))


def test_tracing_on_every_function_is_a_switch(every_feature):
    resources = every_feature[2]["Resources"]
    for spec in ALL_FUNCTIONS:
        props = resources[function_named(resources, spec.handler)]["Properties"]
        assert props["TracingConfig"] == {"Mode": "Active"}, spec.name
