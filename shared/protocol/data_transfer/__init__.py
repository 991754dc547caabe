"""Data transfer on the wire: a vendor's DataTransfer, worded alike in every version."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from shared.domain.station_events import DataTransferMessage
    from shared.protocol.versions import Profile


class DataTransferCodec(Protocol):
    def data_transfer(self, payload: dict[str, Any]) -> DataTransferMessage: ...


def data_transfer_codec(profile: Profile) -> DataTransferCodec:
    return cast("DataTransferCodec", profile.codec(__name__))
