"""What operators do with roaming partners: make one (its token A to hand over), read, change
its name or suspend it, delete it."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

from shared.data import roaming
from shared.domain.errors import BadRequest, NotFound
from shared.domain.roaming import Partner, PartnerRole, PartnerStatus, new_token, problems, token_hash
from shared.grants import grants

GRANTS = grants(reads=("roaming-partners",), writes=("roaming-partners", "roaming-tokens"))


def create(
    name: str, country_code: str, party_id: str, role: PartnerRole, now: datetime
) -> tuple[Partner, str]:
    """The partner, pending, and its token A (returned once, kept only as its hash)."""
    found = problems(name, country_code, party_id)
    if found:
        raise BadRequest("; ".join(found))
    partner = Partner(
        partner_id=uuid.uuid4().hex[:16],
        name=name.strip(),
        country_code=country_code,
        party_id=party_id,
        role=role,
        status=PartnerStatus.PENDING,
        created_at=now,
    )
    token_a = new_token()
    roaming.create_partner(partner, token_hash(token_a))
    return replace(partner, updated_at=now), token_a


def get(partner_id: str) -> Partner:
    partner = roaming.find_partner(partner_id)
    if partner is None:
        raise NotFound(f"Partner {partner_id}")
    return partner


def all_partners() -> list[Partner]:
    return roaming.all_partners()


def change(partner_id: str, name: str | None, suspended: bool | None, now: datetime) -> Partner:
    """A new name; suspended: its calls are refused (401) until it is resumed."""
    partner = get(partner_id)
    if name is not None and not name.strip():
        raise BadRequest("name is empty")
    status = None
    if suspended is True:
        status = PartnerStatus.SUSPENDED
    elif suspended is False and partner.status is PartnerStatus.SUSPENDED:
        status = PartnerStatus.REGISTERED if partner.versions_url else PartnerStatus.PENDING
    roaming.change_partner(partner_id, None if name is None else name.strip(), status, now)
    return get(partner_id)


def delete(partner_id: str) -> None:
    """Its token stops working at once; what it pulled is its own."""
    roaming.delete_partner(partner_id)
