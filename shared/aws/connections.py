"""The API Gateway connection management API: the only way anything talks to a charge point."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from botocore.config import Config
from botocore.exceptions import ClientError

from shared.aws.clients import make_client
from shared.domain.provisioning import soap_endpoint
from shared.settings import get_settings


class ConnectionGone(Exception):
    """The connection no longer exists (410 from the management API)."""


class SendFailed(Exception):
    """The management API refused to post (too large, throttled, ...): the connection may live."""


@dataclass(frozen=True)
class ConnectionInfo:
    connected_at: datetime
    last_active_at: datetime
    source_ip: str | None


class Connections:
    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self._client = make_client(
            "apigatewaymanagementapi",
            get_settings().region,
            endpoint_url=endpoint,
            config=Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 2, "mode": "standard"}),
        )
        self._gone = self._client.exceptions.GoneException

    def send(self, connection_id: str, frame: str) -> None:
        try:
            self._client.post_to_connection(ConnectionId=connection_id, Data=frame.encode())
        except self._gone as error:
            raise ConnectionGone(connection_id) from error
        except ClientError as error:
            raise SendFailed(str(error)) from error

    def info(self, connection_id: str) -> ConnectionInfo | None:
        """None when the connection is gone."""
        try:
            answer: dict[str, Any] = self._client.get_connection(ConnectionId=connection_id)
        except self._gone:
            return None
        return ConnectionInfo(
            connected_at=answer["ConnectedAt"],
            last_active_at=answer["LastActiveAt"],
            source_ip=(answer.get("Identity") or {}).get("SourceIp"),
        )

    def close(self, connection_id: str) -> bool:
        """Whether there was a connection to close (a SOAP station holds none)."""
        if soap_endpoint(connection_id) is not None:
            return False
        try:
            self._client.delete_connection(ConnectionId=connection_id)
        except self._gone:
            return False
        return True


@lru_cache(maxsize=8)
def connections_at(endpoint: str) -> Connections:
    """One client per endpoint, kept for the life of the Lambda environment."""
    return Connections(endpoint)


def endpoint_for(request_context: dict[str, Any] | None = None) -> str:
    """The configured endpoint, else the one the WebSocket event came through."""
    configured = get_settings().connections_endpoint
    if configured:
        return configured
    if not request_context:
        raise RuntimeError(
            "CSMS_CONNECTIONS_ENDPOINT is not set and there is no WebSocket event to derive it from"
        )
    return f"https://{request_context['domainName']}/{request_context['stage']}"
