"""The optional FTP upload server: off by default; on, a Transfer Family FTP server in a VPC
of its own whose users are upload tokens, storing into the files bucket for its handler."""

import json

import pytest

from infra.config import StackConfig
from shared.manifest import FTP_IDENTITY, FTP_RECEIVED, OPERATOR_API
from shared.settings import SettingsError
from tests.infra.conftest import function_named, of_type, statements_of, synth


@pytest.fixture(scope="module")
def with_ftp(tmp_path_factory):
    return synth(
        tmp_path_factory, ftpUploads="true", ftpHost="ftp.csms.internal", ftpAllowedCidr="10.20.0.0/16"
    )[1]["Resources"]


def test_there_is_no_ftp_server_unless_asked_for(resources):
    assert not of_type(resources, "AWS::Transfer::Server")
    assert not of_type(resources, "AWS::EC2::VPC")
    handlers = {f["Properties"]["Handler"] for f in of_type(resources, "AWS::Lambda::Function").values()}
    assert FTP_IDENTITY.handler not in handlers and FTP_RECEIVED.handler not in handlers


def test_ftp_uploads_need_a_host():
    with pytest.raises(SettingsError, match="ftpHost"):
        StackConfig(ftp_uploads=True).check()


def test_the_ftp_server_takes_upload_tokens_and_hands_files_to_their_requests(with_ftp):
    [server] = of_type(with_ftp, "AWS::Transfer::Server").values()
    props = server["Properties"]
    assert props["Protocols"] == ["FTP"] and props["EndpointType"] == "VPC"
    assert props["IdentityProviderType"] == "AWS_LAMBDA"
    identity = function_named(with_ftp, FTP_IDENTITY.handler)
    assert props["IdentityProviderDetails"]["Function"] == {"Fn::GetAtt": [identity, "Arn"]}
    [group] = of_type(with_ftp, "AWS::EC2::SecurityGroup").values()
    ingress = {
        (rule["FromPort"], rule["ToPort"], rule["CidrIp"])
        for rule in group["Properties"]["SecurityGroupIngress"]
    }
    assert ingress == {(21, 21, "10.20.0.0/16"), (8192, 8200, "10.20.0.0/16")}
    [notification] = of_type(with_ftp, "Custom::S3BucketNotifications").values()
    [config] = notification["Properties"]["NotificationConfiguration"]["LambdaFunctionConfigurations"]
    assert config["Filter"]["Key"]["FilterRules"] == [{"Name": "prefix", "Value": "ftp-incoming/"}]
    received = function_named(with_ftp, FTP_RECEIVED.handler)
    assert config["LambdaFunctionArn"] == {"Fn::GetAtt": [received, "Arn"]}
    api = with_ftp[function_named(with_ftp, OPERATOR_API.handler)]
    assert api["Properties"]["Environment"]["Variables"]["CSMS_FTP_URL"] == "ftp://ftp.csms.internal"


def test_an_ftp_user_may_only_put_under_the_incoming_folder(with_ftp):
    [(role_id, _)] = [
        (name, role)
        for name, role in of_type(with_ftp, "AWS::IAM::Role").items()
        if "transfer.amazonaws.com" in json.dumps(role["Properties"]["AssumeRolePolicyDocument"])
    ]
    statements = [
        s
        for policy in of_type(with_ftp, "AWS::IAM::Policy").values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
        for s in policy["Properties"]["PolicyDocument"]["Statement"]
    ]
    writes = [s for s in statements if "s3:PutObject" in json.dumps(s["Action"])]
    assert writes and all("ftp-incoming/*" in json.dumps(s["Resource"]) for s in writes)
    identity = with_ftp[function_named(with_ftp, FTP_IDENTITY.handler)]
    assert not any("s3:" in json.dumps(s["Action"]) for s in statements_of(with_ftp, identity))
