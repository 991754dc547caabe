"""Local authorization lists: the id-token list is the source, and each charge point gets it in
its version's words, whole or as the changes since what it accepted last, in parts that fit
its configuration. A refused differential update falls back to a full one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.data import charge_points, configuration, id_tokens, local_lists, tenancy
from shared.data import commands as command_records
from shared.data.dynamo import every_item
from shared.domain.authorization import TokenEntry
from shared.domain.commands import Command
from shared.domain.errors import ApplicationError, BadRequest
from shared.domain.local_lists import DEFAULT_PER_MESSAGE, ListChange, UpdateType, differential, plan_updates
from shared.domain.provisioning import FleetFilter
from shared.grants import grants
from shared.observability import logger
from shared.protocol.local_lists import local_lists_codec
from shared.protocol.versions import profile_for
from shared.services import answers, commands, provisioning
from shared.services.station_tenant import tenant_of_charge_point

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "commands", "configuration", "id-tokens", "local-lists"),
    writes=("charge-points", "local-lists"),
    indexes=("commands/queued",),
)

# Answers after which the CSMS sends the whole list again.
FALL_BACK_ON = frozenset({"Failed", "VersionMismatch"})


@dataclass(frozen=True)
class Sync:
    charge_point_id: str
    update_type: UpdateType
    from_version: int
    commands: list[Command]


def sync(charge_point_id: str, update_type: UpdateType, now: datetime) -> Sync:
    """SendLocalList calls that bring the charge point's list to the source. A differential
    with nothing changed sends nothing."""
    charge_point = commands.connected(charge_point_id)
    codec = local_lists_codec(commands.profile_of(charge_point))
    source = _source(charge_point_id)
    settings = {value.key: value.value for value in configuration.configuration_of(charge_point_id)}
    max_total, per_message = codec.local_list_limits(settings)
    if max_total is not None and len(source) > max_total:
        raise BadRequest(
            f"Charge point {charge_point_id} holds {max_total} entries at most; the list has {len(source)}"
        )
    if update_type is UpdateType.FULL:
        changes = [ListChange(token, entry) for token, entry in sorted(source.items())]
    else:
        changes = differential(local_lists.held_by(charge_point_id), source)
    version = charge_point.local_list_version or 0
    updates = plan_updates(version, update_type, changes, per_message or DEFAULT_PER_MESSAGE)
    sent = [commands.submit_to(charge_point, codec.send_local_list(update), None, now) for update in updates]
    return Sync(charge_point_id, update_type, version, sent)


@dataclass(frozen=True)
class FleetSync:
    """One charge point of a fleet sync: what went to it, or why nothing could."""

    charge_point_id: str
    sync: Sync | None
    error: str | None = None


def sync_fleet(targets: FleetFilter | list[str], update_type: UpdateType, now: datetime) -> list[FleetSync]:
    """`sync` for every charge point the filter matches (or each named, once): one that cannot
    take its list is told apart, and the others still get theirs."""
    ids = provisioning.matching(targets) if isinstance(targets, FleetFilter) else list(dict.fromkeys(targets))
    results = []
    for charge_point_id in ids:
        try:
            results.append(FleetSync(charge_point_id, sync(charge_point_id, update_type, now)))
        except ApplicationError as error:
            results.append(FleetSync(charge_point_id, None, error.message))
    return results


def _source(charge_point_id: str) -> dict[str, TokenEntry]:
    """Every entry of the charge point's tenant's id-token list (a scan: lists that fit charge
    points are short), whoever asks: a platform admin's sync sends no other tenant's cards."""
    with tenancy.scoped(tenant_of_charge_point(charge_point_id)):
        return {entry.id_token: entry for entry in every_item(id_tokens.list_id_tokens)}


@answers.keeps("SendLocalList")
def answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """SendLocalList: Accepted, and the charge point holds what it carried at its version;
    Failed or VersionMismatch on a differential one, and the whole list goes again (once the
    other parts queued with it are answered too)."""
    update = local_lists_codec(profile_for(command.ocpp_version)).local_list_sent(command)
    if update is None:
        return
    status = response.get("status")
    cp = command.charge_point_id
    if status == "Accepted":
        local_lists.apply(cp, update, now)
        charge_points.set_local_list_version(cp, update.version)
        return
    if status not in FALL_BACK_ON or update.update_type is UpdateType.FULL:
        return
    charge_point = charge_points.find_charge_point(cp)
    pending = command_records.pending_of(cp, charge_point.outstanding_command if charge_point else None)
    if any(c.action == "SendLocalList" and c.command_id != command.command_id for c in pending):
        return
    try:
        sync(cp, UpdateType.FULL, now)
        logger.info("Local list sent in full after a refused differential", extra={"status": status})
    except ApplicationError as error:
        logger.warning("The full local list could not go", extra={"reason": error.message})


def held(charge_point_id: str) -> tuple[int | None, dict[str, TokenEntry], int]:
    """The version the charge point holds, its entries, and how many changes a differential
    update would send now (0: in step with the id-token list)."""
    charge_point = charge_points.registered_charge_point(charge_point_id)
    entries = local_lists.held_by(charge_point_id)
    return charge_point.local_list_version, entries, len(differential(entries, _source(charge_point_id)))


@answers.keeps("GetLocalListVersion")
def version_answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """GetLocalListVersion: the version the charge point holds."""
    version = local_lists_codec(profile_for(command.ocpp_version)).local_list_version(command, response)
    if version is not None:
        charge_points.set_local_list_version(command.charge_point_id, version)
