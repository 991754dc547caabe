"""The little of OpenADR 3.0.1's VEN side the CSMS needs: a token by OAuth2 client credentials,
the program by name, its events, and reports. Standard library HTTP, so that the function that
polls does not carry an HTTP stack and a model library into its cold start (decision 0025)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

TIMEOUT_S = 10.0
# A token is renewed this long before the VTN said it expires.
EARLY_S = 30.0

_tokens: dict[tuple[str, str], tuple[str, float]] = {}


class VtnError(RuntimeError):
    """The VTN could not be reached or did not answer as OpenADR 3 says."""


class Vtn:
    def __init__(self, base_url: str, client_id: str, client_secret: str) -> None:
        self.base = base_url.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret

    def _token(self) -> str:
        key = (self.base, self.client_id)
        cached = _tokens.get(key)
        if cached and cached[1] > time.monotonic():
            return cached[0]
        form = urllib.parse.urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
            }
        ).encode()
        answer = self._send(
            "POST", "/auth/token", form, {"Content-Type": "application/x-www-form-urlencoded"}, auth=False
        )
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not token:
            raise VtnError("the VTN's token answer has no access_token")
        lifetime = float(answer.get("expires_in") or 3600)
        _tokens[key] = (token, time.monotonic() + max(lifetime - EARLY_S, 1.0))
        return str(token)

    def _send(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str], auth: bool = True
    ) -> Any:
        if auth:
            headers = {**headers, "Authorization": f"Bearer {self._token()}"}
        request = urllib.request.Request(
            self.base + path, body, {"Accept": "application/json", **headers}, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as reply:
                raw = reply.read()
        except urllib.error.HTTPError as error:
            if error.code in (401, 403) and auth:
                _tokens.pop((self.base, self.client_id), None)  # asked again next time
            raise VtnError(f"{method} {path}: HTTP {error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise VtnError(f"{method} {path}: {getattr(error, 'reason', error)}") from None
        try:
            return json.loads(raw) if raw else None
        except json.JSONDecodeError:
            raise VtnError(f"{method} {path}: the answer is not JSON") from None

    def program_id(self, program_name: str) -> str:
        programs = self._send("GET", "/programs", None, {})
        for program in programs if isinstance(programs, list) else []:
            if program.get("programName") == program_name and program.get("id"):
                return str(program["id"])
        raise VtnError(f"the VTN has no program named {program_name!r}")

    def events(self, program_id: str) -> list[dict[str, Any]]:
        query = urllib.parse.urlencode({"programID": program_id})
        events = self._send("GET", f"/events?{query}", None, {})
        if not isinstance(events, list):
            raise VtnError("GET /events: not a list of events")
        return [e for e in events if isinstance(e, dict) and e.get("programID") in (None, program_id)]

    def report(self, report: dict[str, Any]) -> None:
        self._send("POST", "/reports", json.dumps(report).encode(), {"Content-Type": "application/json"})
