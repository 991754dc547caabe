"""A small OpenADR 3.0.1 VTN: the endpoints a VEN uses (a token by client credentials, programs,
events, reports), and those a utility's business logic uses to publish programs and events.
Tests run the CSMS's VEN against it; `python -m local.standins.vtn` runs one to try a site's program
locally. Not a VTN to run a grid with: one client, everything in memory."""

from __future__ import annotations

import argparse
import json
import secrets
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class VtnFixture:
    def __init__(self, client_id: str = "ven-client", client_secret: str = "ven-secret") -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.programs: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.reports: list[dict[str, Any]] = []
        self.tokens: set[str] = set()
        self.down = False  # answer 503 to everything, as a VTN in trouble would
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- What a utility's business logic does ----------------------------------------------
    def add_program(self, name: str) -> dict[str, Any]:
        program = {"id": f"program-{len(self.programs) + 1}", "objectType": "PROGRAM", "programName": name}
        with self._lock:
            self.programs.append(program)
        return program

    def add_event(self, event: dict[str, Any]) -> dict[str, Any]:
        event = {"id": f"event-{len(self.events) + 1}", "objectType": "EVENT", **event}
        with self._lock:
            self.events.append(event)
        return event

    def clear_events(self) -> None:
        with self._lock:
            self.events.clear()

    # --- Serving ------------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        fixture = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                fixture._serve(self, "GET")

            def do_POST(self) -> None:
                fixture._serve(self, "POST")

        self._server = ThreadingHTTPServer((host, port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://{host}:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _serve(self, request: BaseHTTPRequestHandler, method: str) -> None:
        url = urllib.parse.urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        self.requests.append(f"{method} {url.path}")
        status, answer = self._answer(method, url.path, urllib.parse.parse_qs(url.query), request, body)
        raw = json.dumps(answer).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(raw)))
        request.end_headers()
        request.wfile.write(raw)

    def _answer(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        request: BaseHTTPRequestHandler,
        body: bytes,
    ) -> tuple[int, Any]:
        if self.down:
            return HTTPStatus.SERVICE_UNAVAILABLE, {"title": "Service Unavailable", "status": 503}
        if (method, path) == ("POST", "/auth/token"):
            form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode()).items()}
            if form.get("grant_type") != "client_credentials":
                return HTTPStatus.BAD_REQUEST, {"error": "unsupported_grant_type"}
            if (form.get("client_id"), form.get("client_secret")) != (self.client_id, self.client_secret):
                return HTTPStatus.UNAUTHORIZED, {"error": "invalid_client"}
            token = secrets.token_urlsafe(16)
            self.tokens.add(token)
            return HTTPStatus.OK, {"access_token": token, "token_type": "Bearer", "expires_in": 3600}
        bearer = (request.headers.get("Authorization") or "").removeprefix("Bearer ")
        if bearer not in self.tokens:
            return HTTPStatus.FORBIDDEN, {"title": "Forbidden", "status": 403}
        with self._lock:
            if (method, path) == ("GET", "/programs"):
                return HTTPStatus.OK, list(self.programs)
            if (method, path) == ("GET", "/events"):
                wanted = (query.get("programID") or [None])[0]
                return HTTPStatus.OK, [e for e in self.events if wanted in (None, e.get("programID"))]
            if (method, path) in (("POST", "/reports"), ("POST", "/events"), ("POST", "/programs")):
                try:
                    created = json.loads(body)
                except json.JSONDecodeError:
                    return HTTPStatus.BAD_REQUEST, {"title": "Bad Request", "status": 400}
                kind = path.strip("/")[:-1]
                created = {"id": f"{kind}-{secrets.token_hex(4)}", "objectType": kind.upper(), **created}
                {"report": self.reports, "event": self.events, "program": self.programs}[kind].append(created)
                return HTTPStatus.CREATED, created
        return HTTPStatus.NOT_FOUND, {"title": "Not Found", "status": 404}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m local.standins.vtn", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--client-id", default="ven-client")
    parser.add_argument("--client-secret", default="ven-secret")
    parser.add_argument("--program", default="site-capacity", help="a program published from the start")
    args = parser.parse_args(argv)
    fixture = VtnFixture(args.client_id, args.client_secret)
    fixture.add_program(args.program)
    url = fixture.start(port=args.port)
    print(
        f"OpenADR 3 VTN at {url}: program {args.program!r} (programID program-1).\n"
        f"  Start the CSMS with --openadr-credentials vtn={args.client_id}:{args.client_secret} and give\n"
        f'  a site "openadr": {{"vtnUrl": "{url}", "programName": "{args.program}", "credentials": "vtn"}}.\n'
        "  Publish an event with POST /events (a token from POST /auth/token), e.g. a capacity limit:\n"
        '  {"programID": "program-1", "intervalPeriod": {"start": "...", "duration": "PT1H"},\n'
        '   "payloadDescriptors": [{"payloadType": "IMPORT_CAPACITY_LIMIT", "units": "KW"}],\n'
        '   "intervals": [{"id": 0, "payloads": [{"type": "IMPORT_CAPACITY_LIMIT", "values": [11]}]}]}',
        flush=True,
    )
    threading.Event().wait()


if __name__ == "__main__":
    main()
