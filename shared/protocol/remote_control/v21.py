"""Remote control in OCPP 2.1: a paid session starts with a DirectPayment id token."""

from __future__ import annotations

from shared.protocol.remote_control import RemoteControlCodec
from shared.protocol.remote_control.v2 import V2RemoteControl


class V21RemoteControl(V2RemoteControl):
    paid_token_type = "DirectPayment"


CODEC: RemoteControlCodec = V21RemoteControl()
