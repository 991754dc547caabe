"""OCPI 2.2.1's objects, as the CSMS (a CPO) sends them and reads a partner's credentials:
models written from the specification (mod_versions, mod_credentials, mod_locations,
mod_tariffs, mod_cdrs; types as in "types.asciidoc"). Every object the CSMS sends passes
through `checked`, so a field out of the specification fails in tests, not at a partner."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
PartyId = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{3}$")]
DateTime = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?$")]
Url = Annotated[str, StringConstraints(max_length=255, pattern=r"^https?://")]
Role = Literal["CPO", "EMSP", "HUB", "NAP", "NSP", "OTHER", "SCSP"]

__all__ = ["Malformed", "checked", "read_credentials"]


class Ocpi(BaseModel):
    """No field beyond the specification's; none left out that it requires."""

    model_config = ConfigDict(extra="forbid")


# mod_versions
class Version(Ocpi):
    version: Literal["2.0", "2.1", "2.1.1", "2.2", "2.2.1"]
    url: Url


class Endpoint(Ocpi):
    identifier: Literal[
        "cdrs",
        "chargingprofiles",
        "commands",
        "credentials",
        "hubclientinfo",
        "locations",
        "sessions",
        "tariffs",
        "tokens",
    ]
    role: Literal["SENDER", "RECEIVER"]
    url: Url


class VersionDetails(Ocpi):
    version: Literal["2.2.1"]
    endpoints: list[Endpoint]


# mod_credentials
class Image(Ocpi):
    url: Url
    thumbnail: Url | None = None
    category: Literal["CHARGER", "ENTRANCE", "LOCATION", "NETWORK", "OPERATOR", "OTHER", "OWNER"]
    type: Annotated[str, Field(max_length=4)]
    width: int | None = None
    height: int | None = None


class BusinessDetails(Ocpi):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    website: Url | None = None
    logo: Image | None = None


class CredentialsRole(Ocpi):
    role: Role
    business_details: BusinessDetails
    party_id: PartyId
    country_code: CountryCode


class Credentials(Ocpi):
    token: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[\x21-\x7e]+$")]
    url: Url
    roles: Annotated[list[CredentialsRole], Field(min_length=1)]


# mod_locations
class GeoLocation(Ocpi):
    latitude: Annotated[str, StringConstraints(max_length=10, pattern=r"^-?[0-9]{1,2}\.[0-9]{5,7}$")]
    longitude: Annotated[str, StringConstraints(max_length=11, pattern=r"^-?[0-9]{1,3}\.[0-9]{5,7}$")]


class Connector(Ocpi):
    id: Annotated[str, Field(min_length=1, max_length=36)]
    standard: Literal[
        "CHADEMO", "CHAOJI", "DOMESTIC_F", "IEC_62196_T1", "IEC_62196_T1_COMBO", "IEC_62196_T2",
        "IEC_62196_T2_COMBO", "IEC_62196_T3A", "IEC_62196_T3C", "TESLA_R", "TESLA_S",
    ]  # fmt: skip
    format: Literal["SOCKET", "CABLE"]
    power_type: Literal["AC_1_PHASE", "AC_2_PHASE", "AC_2_PHASE_SPLIT", "AC_3_PHASE", "DC"]
    max_voltage: Annotated[int, Field(gt=0)]
    max_amperage: Annotated[int, Field(gt=0)]
    max_electric_power: int | None = None
    tariff_ids: list[Annotated[str, Field(max_length=36)]] | None = None
    terms_and_conditions: Url | None = None
    last_updated: DateTime


class Evse(Ocpi):
    uid: Annotated[str, Field(min_length=1, max_length=36)]
    evse_id: Annotated[str, Field(max_length=48)] | None = None
    status: Literal[
        "AVAILABLE",
        "BLOCKED",
        "CHARGING",
        "INOPERATIVE",
        "OUTOFORDER",
        "PLANNED",
        "REMOVED",
        "RESERVED",
        "UNKNOWN",
    ]
    capabilities: list[str] | None = None
    connectors: Annotated[list[Connector], Field(min_length=1)]
    floor_level: Annotated[str, Field(max_length=4)] | None = None
    coordinates: GeoLocation | None = None
    physical_reference: Annotated[str, Field(max_length=16)] | None = None
    last_updated: DateTime


class Location(Ocpi):
    country_code: CountryCode
    party_id: PartyId
    id: Annotated[str, Field(min_length=1, max_length=36)]
    publish: bool
    name: Annotated[str, Field(max_length=255)] | None = None
    address: Annotated[str, Field(min_length=1, max_length=45)]
    city: Annotated[str, Field(min_length=1, max_length=45)]
    postal_code: Annotated[str, Field(max_length=10)] | None = None
    state: Annotated[str, Field(max_length=20)] | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    coordinates: GeoLocation
    evses: list[Evse] | None = None
    time_zone: Annotated[str, Field(min_length=1, max_length=255)]
    last_updated: DateTime


# mod_tariffs
class Price(Ocpi):
    excl_vat: float
    incl_vat: float | None = None


class PriceComponent(Ocpi):
    type: Literal["ENERGY", "FLAT", "PARKING_TIME", "TIME"]
    price: Annotated[float, Field(ge=0)]
    vat: float | None = None
    step_size: Annotated[int, Field(ge=1)]


class TariffRestrictions(Ocpi):
    start_time: Annotated[str, StringConstraints(pattern=r"^([0-1][0-9]|2[0-3]):[0-5][0-9]$")] | None = None
    end_time: Annotated[str, StringConstraints(pattern=r"^([0-1][0-9]|2[0-3]):[0-5][0-9]$")] | None = None
    start_date: str | None = None
    end_date: str | None = None
    min_kwh: float | None = None
    max_kwh: float | None = None
    min_current: float | None = None
    max_current: float | None = None
    min_power: float | None = None
    max_power: float | None = None
    min_duration: int | None = None
    max_duration: int | None = None
    day_of_week: (
        list[Literal["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]] | None
    ) = None
    reservation: Literal["RESERVATION", "RESERVATION_EXPIRES"] | None = None


class TariffElement(Ocpi):
    price_components: Annotated[list[PriceComponent], Field(min_length=1)]
    restrictions: TariffRestrictions | None = None


class DisplayText(Ocpi):
    language: Annotated[str, Field(min_length=2, max_length=2)]
    text: Annotated[str, Field(max_length=512)]


class Tariff(Ocpi):
    country_code: CountryCode
    party_id: PartyId
    id: Annotated[str, Field(min_length=1, max_length=36)]
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    type: Literal["AD_HOC_PAYMENT", "PROFILE_CHEAP", "PROFILE_FAST", "PROFILE_GREEN", "REGULAR"] | None = None
    tariff_alt_text: list[DisplayText] | None = None
    tariff_alt_url: Url | None = None
    min_price: Price | None = None
    max_price: Price | None = None
    elements: Annotated[list[TariffElement], Field(min_length=1)]
    start_date_time: DateTime | None = None
    end_date_time: DateTime | None = None
    last_updated: DateTime


# mod_cdrs
class CdrToken(Ocpi):
    country_code: CountryCode
    party_id: PartyId
    uid: Annotated[str, Field(max_length=36)]
    type: Literal["AD_HOC_USER", "APP_USER", "OTHER", "RFID"]
    contract_id: Annotated[str, Field(max_length=36)]


class CdrLocation(Ocpi):
    id: Annotated[str, Field(min_length=1, max_length=36)]
    name: Annotated[str, Field(max_length=255)] | None = None
    address: Annotated[str, Field(min_length=1, max_length=45)]
    city: Annotated[str, Field(min_length=1, max_length=45)]
    postal_code: Annotated[str, Field(max_length=10)] | None = None
    state: Annotated[str, Field(max_length=20)] | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    coordinates: GeoLocation
    evse_uid: Annotated[str, Field(min_length=1, max_length=36)]
    evse_id: Annotated[str, Field(min_length=1, max_length=48)]
    connector_id: Annotated[str, Field(min_length=1, max_length=36)]
    connector_standard: str
    connector_format: Literal["SOCKET", "CABLE"]
    connector_power_type: Literal["AC_1_PHASE", "AC_2_PHASE", "AC_2_PHASE_SPLIT", "AC_3_PHASE", "DC"]


class CdrDimension(Ocpi):
    type: Literal[
        "CURRENT", "ENERGY", "ENERGY_EXPORT", "ENERGY_IMPORT", "MAX_CURRENT", "MIN_CURRENT", "MAX_POWER",
        "MIN_POWER", "PARKING_TIME", "POWER", "RESERVATION_TIME", "STATE_OF_CHARGE", "TIME",
    ]  # fmt: skip
    volume: float


class ChargingPeriod(Ocpi):
    start_date_time: DateTime
    dimensions: Annotated[list[CdrDimension], Field(min_length=1)]
    tariff_id: Annotated[str, Field(max_length=36)] | None = None


class Cdr(Ocpi):
    country_code: CountryCode
    party_id: PartyId
    id: Annotated[str, Field(min_length=1, max_length=39)]
    start_date_time: DateTime
    end_date_time: DateTime
    session_id: Annotated[str, Field(max_length=36)] | None = None
    cdr_token: CdrToken
    auth_method: Literal["AUTH_REQUEST", "COMMAND", "WHITELIST"]
    authorization_reference: Annotated[str, Field(max_length=36)] | None = None
    cdr_location: CdrLocation
    meter_id: Annotated[str, Field(max_length=255)] | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    tariffs: list[Tariff] | None = None
    charging_periods: Annotated[list[ChargingPeriod], Field(min_length=1)]
    signed_data: dict[str, Any] | None = None
    total_cost: Price
    total_fixed_cost: Price | None = None
    total_energy: float
    total_energy_cost: Price | None = None
    total_time: float
    total_time_cost: Price | None = None
    total_parking_time: float | None = None
    total_parking_cost: Price | None = None
    total_reservation_cost: Price | None = None
    remark: Annotated[str, Field(max_length=255)] | None = None
    invoice_reference_id: Annotated[str, Field(max_length=39)] | None = None
    credit: bool | None = None
    credit_reference_id: Annotated[str, Field(max_length=39)] | None = None
    home_charging_compensation: bool | None = None
    last_updated: DateTime


M = TypeVar("M", bound=Ocpi)


class Malformed(ValueError):
    """A partner's object the specification does not allow: the reason, for OCPI's 2001."""


def checked(model: type[M], value: dict[str, Any]) -> dict[str, Any]:
    """The object as sent: validated against its model, with absent optional fields left out."""
    return model.model_validate(value).model_dump(exclude_none=True)


def read_credentials(value: Any) -> Credentials:
    """A partner's credentials object, or Malformed with the first problems in words."""
    try:
        return Credentials.model_validate(value)
    except ValidationError as error:
        reasons = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in error.errors()[:3]
        )
        raise Malformed(reasons) from None
