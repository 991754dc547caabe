"""The CloudFront edge: its viewer-request function run for real (in Node.js), and the
distribution's forwarding rules."""

import json

import pytest

from shared.aws.websocket_events import ORIGIN_SECRET_HEADER
from shared.manifest import AUTHORIZER
from tests.infra.conftest import function_named, of_type, viewer_request_of


@pytest.fixture(scope="module")
def viewer_request(resources):
    return viewer_request_of(resources, "OCPP identity from the URL path into a query parameter")


def test_the_identity_moves_from_the_path_to_the_query(viewer_request):
    request = viewer_request("/ocpp/CP-0042")
    assert request["uri"] == "/ocpp"  # the stage: nothing may follow it
    assert request["querystring"]["chargePointId"] == {"value": "CP-0042"}
    assert viewer_request("/ocpp/CP-0042/")["querystring"]["chargePointId"] == {"value": "CP-0042"}
    assert viewer_request("/ocpp/site-7/CP%2F1")["querystring"]["chargePointId"] == {"value": "CP%2F1"}
    kept = viewer_request("/ocpp/CP-1", {"x": {"value": "1"}})["querystring"]
    assert kept["x"] == {"value": "1"}


@pytest.mark.parametrize("uri", ["/", "/ocpp", "/ocpp/", "/other/CP-1", "/ocppx/CP-1"])
def test_anything_else_is_not_found(viewer_request, uri):
    assert viewer_request(uri)["statusCode"] == 404


def test_the_distribution_forwards_the_handshake_and_adds_the_secret(resources):
    [distribution] = of_type(resources, "AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    behavior = config["DefaultCacheBehavior"]
    assert behavior["ViewerProtocolPolicy"] == "https-only"
    [origin] = [o for o in config["Origins"] if o["Id"] == behavior["TargetOriginId"]]
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    [header] = origin["OriginCustomHeaders"]
    assert header["HeaderName"] == ORIGIN_SECRET_HEADER
    authorizer = resources[function_named(resources, AUTHORIZER.handler)]
    assert authorizer["Properties"]["Environment"]["Variables"]["CSMS_ORIGIN_SECRET"] == header["HeaderValue"]
    assert "secretsmanager" in json.dumps(
        header["HeaderValue"]
    )  # resolved at deploy time, not in the template
    cache = resources[behavior["CachePolicyId"]["Ref"]]
    keys = cache["Properties"]["CachePolicyConfig"]["ParametersInCacheKeyAndForwardedToOrigin"]
    assert keys["HeadersConfig"]["Headers"] == ["Authorization"]
    assert keys["QueryStringsConfig"]["QueryStringBehavior"] == "all"
    [origin_policy] = of_type(resources, "AWS::CloudFront::OriginRequestPolicy").values()
    forwarded = origin_policy["Properties"]["OriginRequestPolicyConfig"]["HeadersConfig"]["Headers"]
    assert {"Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol"} <= set(forwarded)


def test_the_edge_tells_the_authorizer_the_scheme_and_the_certificate_it_verified(resources):
    """What the authorizer reads for security profiles 2 and 3 (shared.aws.websocket_events),
    within an origin request policy's limit of 10 headers."""
    from shared.aws.websocket_events import (
        CERT_PEM_HEADER,
        CERT_PRESENT_HEADER,
        FORWARDED_PROTO_HEADER,
    )

    [origin_policy] = of_type(resources, "AWS::CloudFront::OriginRequestPolicy").values()
    forwarded = origin_policy["Properties"]["OriginRequestPolicyConfig"]["HeadersConfig"]["Headers"]
    read = {FORWARDED_PROTO_HEADER, CERT_PRESENT_HEADER, CERT_PEM_HEADER}
    assert read <= {h.lower() for h in forwarded} and len(forwarded) <= 10
