"""Charging profile records: what each charge point has, per profile id."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from shared.data.tables import OnDemand
from shared.domain.charging_profiles import KnownProfile, ProfileFacts


class ChargingProfileRecord(Model):
    """A charging profile a charge point has on an EVSE (0: the station): set and answered, or
    reported by it."""

    class Meta(OnDemand, table="charging-profiles"): ...

    charge_point_id = UnicodeAttribute(hash_key=True)
    profile_key = UnicodeAttribute(range_key=True)  # {profile id:010d}
    evse_id = NumberAttribute()
    purpose = UnicodeAttribute()
    stack_level = NumberAttribute()
    kind = UnicodeAttribute()
    transaction_id = UnicodeAttribute(null=True)
    profile = JSONAttribute()  # the version's words
    status = UnicodeAttribute()  # the answer, or Reported
    source = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()


def _key(profile_id: int) -> str:
    return f"{profile_id:010d}"


def put_profile(known: KnownProfile) -> None:
    """1 write: the profile with this id replaces what the charge point had under it."""
    facts = known.facts
    ChargingProfileRecord(
        known.charge_point_id,
        _key(facts.profile_id),
        evse_id=known.evse_id,
        purpose=facts.purpose,
        stack_level=facts.stack_level,
        kind=facts.kind,
        transaction_id=facts.transaction_id,
        profile=known.profile,
        status=known.status,
        source=known.source,
        updated_at=known.updated_at,
    ).save()


def find_profile(charge_point_id: str, profile_id: int) -> KnownProfile | None:
    """1 read."""
    try:
        record = ChargingProfileRecord.get(charge_point_id, _key(profile_id))
    except ChargingProfileRecord.DoesNotExist:
        return None
    return _known(record)


def delete_profile(charge_point_id: str, profile_id: int) -> None:
    """1 write."""
    ChargingProfileRecord(charge_point_id, _key(profile_id)).delete()


def profiles_of(charge_point_id: str) -> list[KnownProfile]:
    """1 query: a charge point has a handful."""
    return [_known(r) for r in ChargingProfileRecord.query(charge_point_id)]


def _known(r: ChargingProfileRecord) -> KnownProfile:
    return KnownProfile(
        charge_point_id=r.charge_point_id,
        evse_id=int(r.evse_id),
        facts=ProfileFacts(int(r.profile_key), r.purpose, int(r.stack_level), r.kind, r.transaction_id),
        profile=r.profile,
        status=r.status,
        source=r.source,
        updated_at=r.updated_at,
    )
