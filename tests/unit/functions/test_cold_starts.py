"""What a cold start loads: X.509 (the `cryptography` package) only where a certificate is
made or read, never for the router's everyday frames nor for the certificates function's
schedule when nothing is due (decision 0028)."""

from __future__ import annotations

import subprocess
import sys

from local.runtime.launch import ROOT


def loads_cryptography(code: str) -> bool:
    return loads("cryptography", code)


def loads(module: str, code: str) -> bool:
    probe = f"{code}\nimport sys\nprint({module!r} in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.strip().endswith("True")


def test_the_router_and_the_certificates_function_load_no_x509_until_needed():
    assert not loads_cryptography(
        "import functions.ocpp_router.handler\n"
        "from functions.ocpp_router.actions import load\n"
        "for action in ('Heartbeat', 'BootNotification', 'TransactionEvent', 'MeterValues'): load(action)\n"
        "import pkgutil, shared.protocol\n"
        "from shared.protocol.versions import PROFILES\n"
        "for block in pkgutil.iter_modules(shared.protocol.__path__, 'shared.protocol.'):\n"
        "    if block.ispkg: [profile.codec(block.name) for profile in PROFILES.values()]"
    )
    assert not loads_cryptography("import functions.certificates.handler")
    # ...and the probe sees it where it is loaded: OCSP requests need it at once.
    assert loads_cryptography("from functions.ocpp_router.actions import load\nload('GetCertificateStatus')")


def test_the_operator_api_loads_the_idempotency_utility_only_for_a_request_with_a_key():
    """It imports boto3, about 40 ms of a cold start (decision 0042)."""
    utility = "aws_lambda_powertools.utilities.idempotency"
    handler = "import functions.operator_api.handler"
    assert not loads(utility, handler) and not loads("boto3", handler)
    assert loads(utility, f"{handler}\nfrom shared.data import idempotency\nidempotency.store()")
