"""DynamoDB tables as pynamodb models: the one definition the cloud stack, the local runtime
and the tests all create tables from."""

from __future__ import annotations

import json
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    NumberSetAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from shared.settings import get_settings

_settings = get_settings()


class _OnDemand:
    """What every table's Meta shares: the region, the endpoint (moto locally), on-demand capacity."""

    region = _settings.region
    host = _settings.dynamodb_endpoint
    billing_mode = "PAY_PER_REQUEST"


class ChargePointRecord(Model):
    """One item per registered charge point: registration, boot facts and its live connection."""

    class Meta(_OnDemand):
        table_name = _settings.charge_points_table

    charge_point_id = UnicodeAttribute(hash_key=True)
    registered_at = UTCDateTimeAttribute(null=True)
    password_hash = UnicodeAttribute(null=True)
    blocked = BooleanAttribute(default=False)
    security_profile = NumberAttribute(null=True)  # absent: 1
    revoked_serials = UnicodeSetAttribute(null=True)  # client certificates that no longer admit it
    # A password rotation (shared.services.passwords): the new hash, until the command that sets
    # it is accepted; then the old one, good until the grace period ends.
    pending_password_hash = UnicodeAttribute(null=True)
    pending_password_command = UnicodeAttribute(null=True)
    previous_password_hash = UnicodeAttribute(null=True)
    previous_password_until = UTCDateTimeAttribute(null=True)
    # A profile being raised (shared.services.security_profiles): to which, and the command
    # whose acceptance makes it the registration's.
    raising_to = NumberAttribute(null=True)
    raising_command = UnicodeAttribute(null=True)
    # From the latest BootNotification
    vendor = UnicodeAttribute(null=True)
    model = UnicodeAttribute(null=True)
    serial_number = UnicodeAttribute(null=True)
    firmware_version = UnicodeAttribute(null=True)
    iccid = UnicodeAttribute(null=True)
    imsi = UnicodeAttribute(null=True)
    boot_reason = UnicodeAttribute(null=True)
    last_boot_at = UTCDateTimeAttribute(null=True)
    # The current connection, absent while offline
    ocpp_version = UnicodeAttribute(null=True)
    connection_id = UnicodeAttribute(null=True)
    # The connection the current one replaced, as the write that recorded it found it ("": none)
    replaced_connection_id = UnicodeAttribute(null=True)
    connected_at = UTCDateTimeAttribute(null=True)
    disconnected_at = UTCDateTimeAttribute(null=True)
    # The one CSMS call it has not answered yet (OCPP allows one at a time)
    outstanding_command = UnicodeAttribute(null=True)
    # Which parts of its latest device model report (2.x NotifyReport) arrived
    report_request_id = NumberAttribute(null=True)
    report_parts = NumberSetAttribute(null=True)
    report_last_part = NumberAttribute(null=True)
    # When its newest command was made: each new one is made later, so the queue keeps the
    # order commands were stored in, however many arrive at once
    last_command_at = UnicodeAttribute(null=True)
    # What answers to operator commands told us: the latest of each kind
    availability_result = JSONAttribute(null=True)
    reset_result = JSONAttribute(null=True)
    unlock_result = JSONAttribute(null=True)
    local_list_version = NumberAttribute(null=True)
    site_id = UnicodeAttribute(null=True)


class ConnectorRecord(Model):
    """The last reported status of one connector (1.6) or EVSE connector (2.x)."""

    class Meta(_OnDemand):
        table_name = _settings.connectors_table

    charge_point_id = UnicodeAttribute(hash_key=True)
    connector_key = UnicodeAttribute(range_key=True)
    evse_id = NumberAttribute(null=True)
    connector_id = NumberAttribute()
    status = UnicodeAttribute()
    status_at = UTCDateTimeAttribute()
    error_code = UnicodeAttribute(null=True)
    info = UnicodeAttribute(null=True)
    vendor_id = UnicodeAttribute(null=True)
    vendor_error_code = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()


class IdTokenRecord(Model):
    """One entry of the authorization list the operator manages."""

    class Meta(_OnDemand):
        table_name = _settings.id_tokens_table

    id_token = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute()
    token_type = UnicodeAttribute(null=True)  # OCPP 2.x IdTokenEnumType; None matches any
    expiry_date = UTCDateTimeAttribute(null=True)
    parent_id_token = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()


class _ByChargePoint(GlobalSecondaryIndex["TransactionRecord"]):
    """A charge point's sessions, newest first."""

    class Meta:
        index_name = "by-charge-point"
        projection = AllProjection()

    charge_point_id = UnicodeAttribute(hash_key=True)
    started_at = UnicodeAttribute(range_key=True)


class _ByYear(GlobalSecondaryIndex["TransactionRecord"]):
    """Every session, newest first, one partition per year of start."""

    class Meta:
        index_name = "by-year"
        projection = AllProjection()

    started_year = UnicodeAttribute(hash_key=True)
    started_at = UnicodeAttribute(range_key=True)


class _Active(GlobalSecondaryIndex["TransactionRecord"]):
    """Sparse: only sessions not yet ended carry `active`."""

    class Meta:
        index_name = "active"
        projection = AllProjection()

    active = UnicodeAttribute(hash_key=True)
    started_at = UnicodeAttribute(range_key=True)


class TransactionRecord(Model):
    """One charging session. The id is the one the charge point knows: assigned by the CSMS in
    OCPP 1.6 (unique), by the charge point in 2.x (unique per charge point, hence the range key).

    Fields are owned by the message that sets them (start fields by StartTransaction or
    TransactionEvent(Started), stop fields by StopTransaction or Ended), so that messages
    merged in any order give the same session. Timestamps that index it are ISO strings.
    """

    class Meta(_OnDemand):
        table_name = _settings.transactions_table

    transaction_id = UnicodeAttribute(hash_key=True)
    charge_point_id = UnicodeAttribute(range_key=True)
    ocpp_version = UnicodeAttribute()
    evse_id = NumberAttribute(null=True)
    connector_id = NumberAttribute(null=True)
    id_token = UnicodeAttribute(null=True)
    id_token_type = UnicodeAttribute(null=True)
    started_at = UnicodeAttribute()
    started_year = UnicodeAttribute()
    start_seen = BooleanAttribute(default=False)  # False until the start message itself arrived
    meter_start_wh = NumberAttribute(null=True)
    stopped_at = UnicodeAttribute(null=True)
    meter_stop_wh = NumberAttribute(null=True)
    stop_reason = UnicodeAttribute(null=True)
    stop_id_token = UnicodeAttribute(null=True)
    active = UnicodeAttribute(null=True)
    remote_start_id = NumberAttribute(null=True)
    tariff = JSONAttribute(null=True)  # the tariff in force when it started, as it was then
    cost_sent = UnicodeAttribute(null=True)  # the running cost last sent in CostUpdated
    cost_sent_at = UTCDateTimeAttribute(null=True)
    station_cost = JSONAttribute(null=True)  # 2.1 costDetails, from the latest event giving them
    station_cost_seq = NumberAttribute(null=True)
    ev_max_amps = NumberAttribute(null=True)  # what the EV can take, from its charging needs
    charging_needs = JSONAttribute(null=True)
    updated_at = UTCDateTimeAttribute()

    by_charge_point = _ByChargePoint()
    by_year = _ByYear()
    active_sessions = _Active()


class TransactionStartRecord(Model):
    """OCPP 1.6 only: which transactionId a StartTransaction got, so that its resend gets the
    same one. Keyed by the start's natural key (charge point, connector, idTag, timestamp,
    meterStart)."""

    class Meta(_OnDemand):
        table_name = _settings.transaction_starts_table

    start_key = UnicodeAttribute(hash_key=True)
    transaction_id = UnicodeAttribute()
    expires_at = TTLAttribute()


class _CompactJSON(JSONAttribute):
    """JSON without the spaces json.dumps puts after separators: a byte a key and a value,
    in items kept by the million."""

    def serialize(self, value: Any) -> str | None:
        return None if value is None else json.dumps(value, separators=(",", ":"))


class SessionEventRecord(Model):
    """What a charge point reported over time, one item per message: meter values (OCPP 1.6
    MeterValues and StopTransaction's transactionData) and OCPP 2.x TransactionEvents.

    The stream is a session (`tx/<charge point>/<transaction>`) or, for values sampled outside
    a session, a connector. The position orders a stream and makes a resent message land on
    the item it wrote the first time: the seqNo in 2.x, the timestamp and content in 1.6.
    """

    class Meta(_OnDemand):
        table_name = _settings.session_events_table

    stream = UnicodeAttribute(hash_key=True)
    position = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()  # MeterValues, StopTransaction, Started, Updated, Ended
    timestamp = UTCDateTimeAttribute()
    seq_no = NumberAttribute(null=True)
    trigger_reason = UnicodeAttribute(null=True)
    charging_state = UnicodeAttribute(null=True)
    offline = BooleanAttribute(default=False)
    meter_values = _CompactJSON(null=True)  # normalised: see shared.domain.meter_values
    received_at = UTCDateTimeAttribute()


class CounterRecord(Model):
    """Atomic counters, such as the source of OCPP 1.6 transaction ids."""

    class Meta(_OnDemand):
        table_name = _settings.counters_table

    name = UnicodeAttribute(hash_key=True)
    value = NumberAttribute(default=0)


class ThrottleRecord(Model):
    """Failed handshakes counted per window, by identity and address and by address alone:
    transient, gone when its window is (TTL)."""

    class Meta(_OnDemand):
        table_name = _settings.throttles_table

    key = UnicodeAttribute(hash_key=True)
    failures = NumberAttribute(default=0)
    expires_at = TTLAttribute()


class _CommandsByChargePoint(GlobalSecondaryIndex["CommandRecord"]):
    """A charge point's commands in the order they were made."""

    class Meta:
        index_name = "by-charge-point"
        projection = AllProjection()

    charge_point_id = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class _Queued(GlobalSecondaryIndex["CommandRecord"]):
    """Sparse: a charge point's commands waiting their turn, oldest first."""

    class Meta:
        index_name = "queued"
        projection = AllProjection()

    queued = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class _Outstanding(GlobalSecondaryIndex["CommandRecord"]):
    """Sparse: commands sent and not answered yet, by when they time out."""

    class Meta:
        index_name = "outstanding"
        projection = AllProjection()

    outstanding = UnicodeAttribute(hash_key=True)
    deadline = UnicodeAttribute(range_key=True)


class CommandRecord(Model):
    """An operator's call to a charge point, from the request to its answer. The id is the
    OCPP message id of the call, which is how the answer finds it. Kept for a while (TTL)."""

    class Meta(_OnDemand):
        table_name = _settings.commands_table

    command_id = UnicodeAttribute(hash_key=True)
    charge_point_id = UnicodeAttribute()
    ocpp_version = UnicodeAttribute()
    action = UnicodeAttribute()
    payload = JSONAttribute()
    status = UnicodeAttribute()  # pending, completed, failed, timeout
    queued = UnicodeAttribute(null=True)  # the charge point's id while waiting its turn to be sent
    created_at = UnicodeAttribute()
    sent_at = UTCDateTimeAttribute(null=True)
    completed_at = UTCDateTimeAttribute(null=True)
    timeout_s = NumberAttribute()
    outstanding = UnicodeAttribute(null=True)
    deadline = UnicodeAttribute(null=True)
    response = JSONAttribute(null=True)
    error = JSONAttribute(null=True)  # {"code", "description", "details"}
    expires_at = TTLAttribute()

    by_charge_point = _CommandsByChargePoint()
    queued_by_charge_point = _Queued()
    outstanding_by_deadline = _Outstanding()


class ConfigurationRecord(Model):
    """A charge point's known configuration: 1.6 keys, 2.x component variables, as its answers
    and reports told them."""

    class Meta(_OnDemand):
        table_name = _settings.configuration_table

    charge_point_id = UnicodeAttribute(hash_key=True)
    key = UnicodeAttribute(range_key=True)  # 1.6 key, or component[/evse]/variable[/attributeType]
    value = UnicodeAttribute(null=True)
    readonly = BooleanAttribute(null=True)
    updated_at = UTCDateTimeAttribute()


class StatusEntryMap(MapAttribute[str, object]):
    status = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    info = UnicodeAttribute(null=True)


class MaintenanceRecord(Model):
    """A firmware update or a log upload a charge point was asked for (or reported unasked),
    with every status it reported. The request id is the CSMS's, unique across the fleet."""

    class Meta(_OnDemand):
        table_name = _settings.maintenance_table

    charge_point_id = UnicodeAttribute(hash_key=True)
    request_key = UnicodeAttribute(range_key=True)  # kind#request id, ten digits
    kind = UnicodeAttribute()
    request_id = NumberAttribute()
    origin = UnicodeAttribute()  # operator, rollout, unsolicited
    created_at = UTCDateTimeAttribute(null=True)
    details = JSONAttribute(null=True)
    command_id = UnicodeAttribute(null=True)
    answer = JSONAttribute(null=True)
    statuses = ListAttribute(of=StatusEntryMap, null=True)  # the first MAX_STATUSES reported
    status = UnicodeAttribute(null=True)  # the latest reported
    statuses_dropped = NumberAttribute(null=True)  # reported beyond MAX_STATUSES
    rollout_id = UnicodeAttribute(null=True)
    # Log uploads: the hash of the upload token's secret, until when it is good, and the file
    upload_digest = UnicodeAttribute(null=True)
    upload_until = UTCDateTimeAttribute(null=True)
    upload = JSONAttribute(null=True)


class _Feed(GlobalSecondaryIndex["StationEventRecord"]):
    """A charge point's events of one kind, newest first."""

    class Meta:
        index_name = "feed"
        projection = AllProjection()

    feed = UnicodeAttribute(hash_key=True)  # charge point id#kind
    at_key = UnicodeAttribute(range_key=True)  # time#sort


class StationEventRecord(Model):
    """Security events, device events, monitoring reports, customer information and vendor
    data a charge point sent. Keyed by what tells a resend; listed by time. Kept a year (TTL)."""

    class Meta(_OnDemand):
        table_name = _settings.station_events_table

    charge_point_id = UnicodeAttribute(hash_key=True)
    event_key = UnicodeAttribute(range_key=True)  # kind#sort
    kind = UnicodeAttribute()
    feed = UnicodeAttribute()
    at_key = UnicodeAttribute()
    body = JSONAttribute()
    received_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()

    by_feed = _Feed()


class _Catalogue(GlobalSecondaryIndex["FirmwareRecord"]):
    """Every image, newest first."""

    class Meta:
        index_name = "catalogue"
        projection = AllProjection()

    listed = UnicodeAttribute(hash_key=True)  # always "firmware"
    created_at = UnicodeAttribute(range_key=True)


class FirmwareRecord(Model):
    """A firmware image of the catalogue: in the files bucket, or at an external location."""

    class Meta(_OnDemand):
        table_name = _settings.firmware_table

    firmware_id = UnicodeAttribute(hash_key=True)
    listed = UnicodeAttribute(default="firmware")
    created_at = UnicodeAttribute()
    vendor = UnicodeAttribute()
    model = UnicodeAttribute()
    version = UnicodeAttribute()
    description = UnicodeAttribute(null=True)
    file_key = UnicodeAttribute(null=True)  # in the files bucket
    external_location = UnicodeAttribute(null=True)
    sha256 = UnicodeAttribute(null=True)
    size = NumberAttribute(null=True)
    signing_certificate = UnicodeAttribute(null=True)
    signature = UnicodeAttribute(null=True)

    catalogue = _Catalogue()


class _Running(GlobalSecondaryIndex["RolloutRecord"]):
    """Sparse: rollouts that still have waves to send."""

    class Meta:
        index_name = "running"
        projection = AllProjection()

    running = UnicodeAttribute(hash_key=True)
    rollout_key = UnicodeAttribute(range_key=True)


class RolloutRecord(Model):
    """A firmware rollout: one item for the rollout (member "#"), one per charge point in it."""

    class Meta(_OnDemand):
        table_name = _settings.rollouts_table

    rollout_id = UnicodeAttribute(hash_key=True)
    member = UnicodeAttribute(range_key=True)
    rollout_key = UnicodeAttribute(null=True)
    running = UnicodeAttribute(null=True)
    # The rollout item
    firmware_id = UnicodeAttribute(null=True)
    state = UnicodeAttribute(null=True)
    wave_size = NumberAttribute(null=True)
    max_failure_rate = NumberAttribute(null=True)
    waves_sent = NumberAttribute(null=True)
    options = JSONAttribute(null=True)
    created_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    # Who advances it now (the schedule, or an operator's request), until when
    advancing_until = UTCDateTimeAttribute(null=True)
    # A member item
    position = NumberAttribute(null=True)
    wave = NumberAttribute(null=True)
    request_id = NumberAttribute(null=True)
    outcome = UnicodeAttribute(null=True)
    error = UnicodeAttribute(null=True)
    sent_at = UTCDateTimeAttribute(null=True)

    running_rollouts = _Running()


class VendorRecord(Model):
    """A vendor whose DataTransfer messages the CSMS accepts (all, or the message ids listed)."""

    class Meta(_OnDemand):
        table_name = _settings.vendors_table

    vendor_id = UnicodeAttribute(hash_key=True)
    message_ids = UnicodeSetAttribute(null=True)
    description = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()


class _ReservationsByChargePoint(GlobalSecondaryIndex["ReservationRecord"]):
    """A charge point's reservations, newest first."""

    class Meta:
        index_name = "by-charge-point"
        projection = AllProjection()

    charge_point_id = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class _OpenReservations(GlobalSecondaryIndex["ReservationRecord"]):
    """Sparse: reservations pending or active, by when they expire."""

    class Meta:
        index_name = "open"
        projection = AllProjection()

    open = UnicodeAttribute(hash_key=True)
    expires_key = UnicodeAttribute(range_key=True)


class ReservationRecord(Model):
    """A reservation, by the id the CSMS gave it (unique across the fleet)."""

    class Meta(_OnDemand):
        table_name = _settings.reservations_table

    reservation_id = NumberAttribute(hash_key=True)
    charge_point_id = UnicodeAttribute()
    created_key = UnicodeAttribute()
    expires_key = UnicodeAttribute()
    open = UnicodeAttribute(null=True)
    state = UnicodeAttribute()
    id_token = UnicodeAttribute()
    id_token_type = UnicodeAttribute()
    parent_id_token = UnicodeAttribute(null=True)
    connector_id = NumberAttribute(null=True)
    evse_id = NumberAttribute(null=True)
    answer = UnicodeAttribute(null=True)
    command_id = UnicodeAttribute(null=True)
    transaction_id = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()

    by_charge_point = _ReservationsByChargePoint()
    open_by_expiry = _OpenReservations()


class LocalListEntryRecord(Model):
    """An entry of a charge point's local authorization list, as it accepted it."""

    class Meta(_OnDemand):
        table_name = _settings.local_lists_table

    charge_point_id = UnicodeAttribute(hash_key=True)
    id_token = UnicodeAttribute(range_key=True)
    status = UnicodeAttribute()
    token_type = UnicodeAttribute(null=True)
    expiry_date = UTCDateTimeAttribute(null=True)
    parent_id_token = UnicodeAttribute(null=True)
    version = NumberAttribute()  # the list version that set it
    updated_at = UTCDateTimeAttribute()


class DisplayMessageRecord(Model):
    """A display message a charge point has: set by the CSMS and accepted, or reported by it."""

    class Meta(_OnDemand):
        table_name = _settings.display_messages_table

    charge_point_id = UnicodeAttribute(hash_key=True)
    message_id = NumberAttribute(range_key=True)
    info = JSONAttribute()  # the version's MessageInfo
    source = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()


class TariffRecord(Model):
    """A tariff, kept in the JSON the API speaks (shared.domain.tariffs.to_json)."""

    class Meta(_OnDemand):
        table_name = _settings.tariffs_table

    tariff_id = UnicodeAttribute(hash_key=True)
    body = JSONAttribute()
    updated_at = UTCDateTimeAttribute()


class ChargingProfileRecord(Model):
    """A charging profile a charge point has on an EVSE (0: the station): set and answered, or
    reported by it."""

    class Meta(_OnDemand):
        table_name = _settings.charging_profiles_table

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


class SiteRecord(Model):
    """A site: its limit and charge points, its latest allocation, and the allocator's turn."""

    class Meta(_OnDemand):
        table_name = _settings.sites_table

    site_id = UnicodeAttribute(hash_key=True)
    body = JSONAttribute(null=True)  # shared.data.sites.body_of
    allocation = JSONAttribute(null=True)  # shared.domain.sites.Allocation.as_json
    # What the grid asks (shared.data.sites.record_poll): limits in time from the site's VTN,
    # when it was last heard, and the intervals already reported.
    grid = JSONAttribute(null=True)
    # The lowered shares (their commands) the latest allocation waits for before others rise.
    awaiting = UnicodeSetAttribute(null=True)
    asked = NumberAttribute(null=True)  # reasons to allocate so far
    turn_until = UTCDateTimeAttribute(null=True)  # an allocation is running until then
    updated_at = UTCDateTimeAttribute(null=True)


class _CertificateWork(GlobalSecondaryIndex["CertificateRecord"]):
    """Sparse: signing requests with work left (sign, send, resend), by when it is due."""

    class Meta:
        index_name = "due"
        projection = AllProjection()

    due = UnicodeAttribute(hash_key=True)
    due_at = UnicodeAttribute(range_key=True)


class _CurrentCertificates(GlobalSecondaryIndex["CertificateRecord"]):
    """Sparse: each station's certificate in use, per use, by when it expires (renewals)."""

    class Meta:
        index_name = "current"
        projection = AllProjection()

    current = UnicodeAttribute(hash_key=True)
    not_after_key = UnicodeAttribute(range_key=True)


class CertificateRecord(Model):
    """A charge point's certificates: each signing request (keyed by its CSR, so a resend is the
    same one) with the certificate signed from it and how the station took it; and the latest
    report of what it has installed (GetInstalledCertificateIds)."""

    class Meta(_OnDemand):
        table_name = _settings.certificates_table

    charge_point_id = UnicodeAttribute(hash_key=True)
    key = UnicodeAttribute(range_key=True)  # csr#<digest> | installed
    use = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)  # shared.domain.certificates.SigningStatus
    subject = UnicodeAttribute(null=True)
    csr = UnicodeAttribute(null=True)
    certificate = UnicodeAttribute(null=True)  # the chain sent, leaf first
    serial = UnicodeAttribute(null=True)
    not_after_key = UnicodeAttribute(null=True)
    command_id = UnicodeAttribute(null=True)  # the latest CertificateSigned
    attempts = NumberAttribute(default=0)
    reason = UnicodeAttribute(null=True)
    due = UnicodeAttribute(null=True)
    due_at = UnicodeAttribute(null=True)
    current = UnicodeAttribute(null=True)
    renewal_asked_at = UTCDateTimeAttribute(null=True)
    report = JSONAttribute(null=True)  # installed: the certificates' hash data by type
    requested_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()

    work = _CertificateWork()
    in_use = _CurrentCertificates()


class TrustAnchorRecord(Model):
    """A root certificate operators install on stations (CSMS, manufacturer, V2G, MO roots)."""

    class Meta(_OnDemand):
        table_name = _settings.trust_anchors_table

    name = UnicodeAttribute(hash_key=True)
    certificate_type = UnicodeAttribute()
    certificate = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()


class OcspResponseRecord(Model):
    """An OCSP responder's answer (or a CRL's word) about one certificate, kept until its next
    update (TTL)."""

    class Meta(_OnDemand):
        table_name = _settings.ocsp_responses_table

    request_key = UnicodeAttribute(hash_key=True)  # the hash data, source and URL, hashed
    der = UnicodeAttribute(null=True)  # base64, as GetCertificateStatus relays it
    status = UnicodeAttribute()
    next_update = UTCDateTimeAttribute()
    expires_at = TTLAttribute()


class AnalyticsRecord(Model):
    """Figures added up as sessions end and connectors fault (shared.domain.analytics): one item
    per period (a day or a month) and member (the fleet, a charge point, site, model or
    connector). An item `seen#<event>` marks an event already counted."""

    class Meta(_OnDemand):
        table_name = _settings.analytics_table

    period = UnicodeAttribute(hash_key=True)  # day#2026-12-01, month#2026-12, or seen#...
    member = UnicodeAttribute(range_key=True)  # fleet, cp#id, site#id, model#name, conn#id#connector
    energy_wh = NumberAttribute(default=0)
    sessions = NumberAttribute(default=0)
    busy_s = NumberAttribute(default=0)
    faults = NumberAttribute(default=0)


class StatusHistoryRecord(Model):
    """Each status a connector reported, for the console's history; kept a month (TTL)."""

    class Meta(_OnDemand):
        table_name = _settings.status_history_table

    charge_point_id = UnicodeAttribute(hash_key=True)
    entry = UnicodeAttribute(range_key=True)  # when it was reported, then the connector
    connector = UnicodeAttribute()  # 1.6: the connector id; 2.x: evse/connector
    status = UnicodeAttribute()
    error_code = UnicodeAttribute(null=True)
    info = UnicodeAttribute(null=True)
    expires_at = TTLAttribute()


ALL_MODELS: tuple[type[Model], ...] = (
    ChargePointRecord,
    ConnectorRecord,
    IdTokenRecord,
    TransactionRecord,
    TransactionStartRecord,
    SessionEventRecord,
    CounterRecord,
    CommandRecord,
    ConfigurationRecord,
    ThrottleRecord,
    MaintenanceRecord,
    StationEventRecord,
    FirmwareRecord,
    RolloutRecord,
    VendorRecord,
    ReservationRecord,
    LocalListEntryRecord,
    DisplayMessageRecord,
    TariffRecord,
    ChargingProfileRecord,
    SiteRecord,
    CertificateRecord,
    TrustAnchorRecord,
    OcspResponseRecord,
    AnalyticsRecord,
    StatusHistoryRecord,
)


def create_tables() -> None:
    """Create any missing table (the local runtime and tests; the cloud uses the CDK stack)."""
    for model in ALL_MODELS:
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
