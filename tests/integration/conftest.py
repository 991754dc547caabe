"""Handlers against moto: stored state, and the frames posted to connections."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from moto import mock_aws

from local.tools.aws_calls import AwsCalls, count_aws_calls
from shared.aws import clients


@dataclass
class Posted:
    """What the handlers sent through the connection management API."""

    frames: list[tuple[str, str]] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    _read: dict[str, list[Any]] = field(default_factory=dict)
    _seen: int = 0

    def to(self, connection_id: str) -> list[Any]:
        """Frames posted to one connection, decoded (each once, however often this is asked)."""
        for cid, data in self.frames[self._seen :]:
            self._read.setdefault(cid, []).append(json.loads(data))
        self._seen = len(self.frames)
        return list(self._read.get(connection_id, []))

    def last(self, connection_id: str) -> Any:
        return self.to(connection_id)[-1]


@pytest.fixture
def aws() -> Iterator[None]:
    """Moto, and each handler held to the tables its function is granted (shared.grants)."""
    from local.runtime.grants import enforced

    with mock_aws(), enforced():
        from local.runtime.aws import create_resources
        from shared.aws import files, secrets
        from shared.aws.event_bus import _client
        from shared.services.certificates import station_certificates
        from shared.services.tariff_and_cost import tariffs

        _client.cache_clear()
        station_certificates.authority.cache_clear()
        files._client.cache_clear()
        secrets._client.cache_clear()
        secrets.json_secret.cache_clear()
        tariffs.forget()
        create_resources()
        yield
        tariffs.forget()


@pytest.fixture
def aws_calls(aws: None) -> Iterator[AwsCalls]:
    """Every AWS call the code under test makes, counted where botocore sends it."""
    with count_aws_calls() as calls:
        yield calls


@pytest.fixture
def posted(aws: None) -> Iterator[Posted]:
    """Record every post and delete at the botocore level (moto concatenates posts)."""
    from shared.aws.connections import connections_at

    record = Posted()

    def on_post(params: dict[str, Any], **_: Any) -> None:
        record.frames.append((params["ConnectionId"], params["Data"].decode()))

    def on_delete(params: dict[str, Any], **_: Any) -> None:
        record.closed.append(params["ConnectionId"])

    connections_at.cache_clear()
    session_events = clients.session()
    session_events.register("provide-client-params.apigatewaymanagementapi.PostToConnection", on_post)
    session_events.register("provide-client-params.apigatewaymanagementapi.DeleteConnection", on_delete)
    yield record
    session_events.unregister("provide-client-params.apigatewaymanagementapi.PostToConnection", on_post)
    session_events.unregister("provide-client-params.apigatewaymanagementapi.DeleteConnection", on_delete)
    connections_at.cache_clear()


@dataclass
class Published:
    """Domain events put on the bus: (detail type, detail)."""

    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def of(self, detail_type: str) -> list[dict[str, Any]]:
        return [detail for kind, detail in self.events if kind == detail_type]


@pytest.fixture
def published(aws: None) -> Iterator[Published]:
    from shared.aws.event_bus import _client

    record = Published()

    def on_put(params: dict[str, Any], **_: Any) -> None:
        for entry in params["Entries"]:
            record.events.append((entry["DetailType"], json.loads(entry["Detail"])))

    _client.cache_clear()
    session_events = clients.session()
    session_events.register("provide-client-params.events.PutEvents", on_put)
    yield record
    session_events.unregister("provide-client-params.events.PutEvents", on_put)
    _client.cache_clear()


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Change a setting for one test: settings are read once, so the cache is reset around it."""
    from shared.settings import get_settings

    def apply(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield apply
    monkeypatch.undo()
    get_settings.cache_clear()
