"""Security in OCPP 2.1: 2.0.1's, with 2.1's name in a network connection profile."""

from __future__ import annotations

from shared.protocol.security import SecurityCodec
from shared.protocol.security.v2 import V2Security


class V21Security(V2Security):
    network_version = "OCPP21"


CODEC: SecurityCodec = V21Security()
