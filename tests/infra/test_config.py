"""Context options change the stack as documented; bad ones stop the synth."""

import pytest

from shared.manifest import OCPP_ROUTER
from shared.settings import SettingsError
from tests.infra.conftest import function_named, of_pool, of_type, pool_named, synth


@pytest.fixture(scope="module")
def customised(tmp_path_factory):
    return synth(
        tmp_path_factory,
        heartbeatInterval="120",
        commandTimeout="45",
        admission="auto-register",
        domainName="ocpp.example.com",
        certificateArn="arn:aws:acm:us-east-1:123456789012:certificate/abc",
        trustStoreId="ts-123",
        viewerMtls="required",
        allowUnencrypted="true",
        alarmEmail="ops@example.com",
        logRetentionDays="90",
        stageName="live",
    )[1]["Resources"]


def test_context_reaches_functions_edge_and_alarms(customised):
    variables = customised[function_named(customised, OCPP_ROUTER.handler)]["Properties"]["Environment"][
        "Variables"
    ]
    assert (variables["CSMS_HEARTBEAT_INTERVAL"], variables["CSMS_COMMAND_TIMEOUT"]) == ("120", "45")
    assert variables["CSMS_ADMISSION"] == "auto-register"
    [distribution] = of_type(customised, "AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    assert config["Aliases"] == ["ocpp.example.com"]
    assert config["ViewerCertificate"]["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert config["ViewerMtlsConfig"] == {"Mode": "required", "TrustStoreConfig": {"TrustStoreId": "ts-123"}}
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "allow-all"
    [subscription] = of_type(customised, "AWS::SNS::Subscription").values()
    assert subscription["Properties"]["Endpoint"] == "ops@example.com"
    assert {
        g["Properties"].get("RetentionInDays") for g in of_type(customised, "AWS::Logs::LogGroup").values()
    } == {90}
    codes = [
        f["Properties"]["FunctionCode"] for f in of_type(customised, "AWS::CloudFront::Function").values()
    ]
    assert any("request.uri = '/live'" in code for code in codes)
    # The console signs in back to the custom domain
    [console] = [
        c["Properties"]
        for c in of_pool(
            customised, "AWS::Cognito::UserPoolClient", pool_named(customised, "Operators")
        ).values()
        if "code" in c["Properties"].get("AllowedOAuthFlows", [])
    ]
    assert console["CallbackURLs"] == ["https://ocpp.example.com/console/"]


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"heartbeatInterval": "900"}, "CSMS_HEARTBEAT_INTERVAL"),
        ({"admission": "anyone"}, "CSMS_ADMISSION"),
        ({"domainName": "ocpp.example.com"}, "domainName and certificateArn"),
        ({"viewerMtls": "sometimes"}, "viewerMtls"),
        ({"logRetentionDays": "12"}, "logRetentionDays"),
        ({"allowUnencrypted": "perhaps"}, "allowUnencrypted"),
        ({"privateCaArn": "my-ca"}, "privateCaArn"),
        ({"backupDays": "0"}, "backupDays must be 1 or more"),
    ],
)
def test_bad_context_is_refused_with_the_reason(tmp_path_factory, context, message):
    with pytest.raises(SettingsError, match=message):
        synth(tmp_path_factory, **context)
