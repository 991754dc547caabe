"""ISO 15118 Plug & Charge for 2.x stations: contract certificates from a provider
(Get15118EVCertificate), certificate status from OCSP responders (GetCertificateStatus), and
a chain's from OCSP responders or CRLs (2.1 GetCertificateChainStatus).

Both ask a service outside the CSMS while the station waits for its answer, so each waits at
most `CSMS_OUTSIDE_TIMEOUT` seconds (the router has 10 in all) and any failure is answered
Failed with the reason, and counted; never a CALLERROR.

The contract-certificate provider is called as Hubject's contract certificate pool is: POST
the EV's request as `certificateInstallationReq` with its schema as `xsdMsgDefNamespace`,
with a bearer token (the secret csms/contract-certificate-provider, {"token": ...}); the
answer's `CCPResponse.emaidContent[0].messageDef.certificateInstallationRes` is relayed.

Answers are kept until their nextUpdate: a fleet asking about the same certificate asks the
responder once.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from shared.aws import outside
from shared.aws.secrets import SecretMissing, json_secret
from shared.data import certificates
from shared.domain.certificates import ContractRequest, Relayed, Standing, StatusQuestion
from shared.domain.x509 import crl_standing, ocsp_answer, ocsp_request, standing_of
from shared.grants import grants
from shared.observability import logger, metrics
from shared.settings import get_settings

# The provider's token: the secret csms/contract-certificate-provider.
PROVIDER_SECRET = "contract-certificate-provider"

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("ocsp-responses",),
    writes=("ocsp-responses",),
)
# The contract-certificate provider's token (Get15118EVCertificate).
PROVIDER = grants(secrets=(PROVIDER_SECRET,))

MAX_ANSWER_BYTES = 64 * 1024


# What a station is told when its certificate's status could not be had: why is for the log,
# not for whoever chose the URL (a reason per address would make the CSMS a port scanner).
STATUS_UNKNOWN = "The certificate's status could not be obtained"


class OutsideFailed(RuntimeError):
    pass


def contract_certificate(charge_point_id: str, request: ContractRequest) -> Relayed:
    url = get_settings().contract_provider_url
    if not url:
        metrics.add_metric(name="ContractCertificateFailures", unit="Count", value=1)
        return Relayed(False, reason="No contract certificate provider is configured")
    try:
        token = str(json_secret(PROVIDER_SECRET)["token"])
    except (SecretMissing, KeyError):
        return _failed("ContractCertificateFailures", "The provider's credentials are missing")
    body: dict[str, Any] = {
        "certificateInstallationReq": request.exi_request,
        "xsdMsgDefNamespace": request.schema_version,
        "action": request.action,
    }
    if request.maximum_chains is not None:
        body["maximumContractCertificateChains"] = request.maximum_chains
    if request.prioritized_emaids:
        body["prioritizedEMAIDs"] = list(request.prioritized_emaids)
    try:
        raw = _send(
            url,
            json.dumps(body).encode(),
            {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        exi = _installation_response(json.loads(raw))
    except (OutsideFailed, ValueError) as error:
        return _failed("ContractCertificateFailures", f"The contract certificate provider: {error}")
    logger.info("Contract certificate relayed", extra={"charge_point_id": charge_point_id})
    return Relayed(True, exi)


def _installation_response(answer: Any) -> str:
    try:
        exi = answer["CCPResponse"]["emaidContent"][0]["messageDef"]["certificateInstallationRes"]
    except (KeyError, IndexError, TypeError):
        raise ValueError("its answer holds no certificateInstallationRes") from None
    if not isinstance(exi, str) or not exi:
        raise ValueError("its certificateInstallationRes is empty")
    return exi


def certificate_status(hash_data: dict[str, str], responder_url: str, now: datetime) -> Relayed:
    """2.x GetCertificateStatus: the responder's answer (DER, base64) about the certificate."""
    try:
        found = _standing(hash_data, "OCSP", responder_url, now)
    except (OutsideFailed, outside.Refused, ValueError) as error:
        logger.warning("OCSP responder failed", extra={"url": responder_url[:200], "reason": str(error)})
        return _failed("CertificateStatusFailures", STATUS_UNKNOWN)
    if not found.der:
        return _failed("CertificateStatusFailures", f"The OCSP responder answered {found.status}")
    return Relayed(True, found.der)


def chain_status(questions: list[StatusQuestion], now: datetime) -> list[Standing]:
    """2.1 GetCertificateChainStatus: each certificate's standing, asked of its sources in
    turn (the first that answers), all certificates at once; Failed where none answered."""
    with ThreadPoolExecutor(max_workers=len(questions) or 1) as pool:
        return list(pool.map(lambda question: _first_answer(question, now), questions))


def _first_answer(question: StatusQuestion, now: datetime) -> Standing:
    for url in question.urls:
        try:
            return _standing(question.hash_data, question.source, url, now)
        except (OutsideFailed, outside.Refused, ValueError) as error:
            logger.warning("Certificate status source failed", extra={"url": url[:200], "reason": str(error)})
    metrics.add_metric(name="CertificateStatusFailures", unit="Count", value=1)
    return Standing("Failed", now)


def _standing(hash_data: dict[str, str], source: str, url: str, now: datetime) -> Standing:
    """From an OCSP responder or a CRL; kept until its next update."""
    key = hashlib.sha256(json.dumps([hash_data, source, url], sort_keys=True).encode()).hexdigest()
    kept = certificates.cached_ocsp(key, now)
    if kept is not None:
        return Standing(kept.status, kept.next_update, kept.der or "")
    if source == "CRL":
        found = crl_standing(_ask_named(url, None, {}), hash_data)
    else:
        asked = ocsp_request(hash_data)
        found = standing_of(ocsp_answer(_ask_named(url, asked, {"Content-Type": "application/ocsp-request"})))
    if found.next_update is not None and found.next_update > now and found.status != "Failed":
        certificates.keep_ocsp(key, found.der, found.status, found.next_update)
    return found


def _failed(metric: str, reason: str) -> Relayed:
    metrics.add_metric(name=metric, unit="Count", value=1)
    logger.warning("Outside service failed", extra={"reason": reason})
    return Relayed(False, reason=reason)


def _ask_named(url: str, body: bytes | None, headers: dict[str, str]) -> bytes:
    """A URL a station named: public addresses only, no redirects (shared/aws/outside.py)."""
    settings = get_settings()
    return outside.fetch(
        url, body, headers, settings.outside_timeout_s, MAX_ANSWER_BYTES, settings.outside_private_allowed
    )


def _send(url: str, body: bytes | None, headers: dict[str, str]) -> bytes:
    """POST `body`, or GET without one; the answer's bytes."""
    request = urllib.request.Request(
        url, data=body, headers=headers, method="GET" if body is None else "POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=get_settings().outside_timeout_s) as answer:
            found: bytes = answer.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise OutsideFailed(f"HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise OutsideFailed(f"unreachable ({reason})") from None
    if len(found) > MAX_ANSWER_BYTES:
        raise OutsideFailed("its answer is too large")
    return found
