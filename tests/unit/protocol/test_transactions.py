import pytest

from shared.protocol.errors import RpcError
from shared.protocol.transactions import transactions_codec
from shared.protocol.versions import profile_for


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "1e400", "1e999", "1e300"])
def test_a_16_reading_that_is_no_number_is_kept_as_text(text):
    report = transactions_codec(profile_for("1.6")).meter_values_report(
        {
            "connectorId": 1,
            "meterValue": [{"timestamp": "2026-11-24T10:00:00Z", "sampledValue": [{"value": text}]}],
        }
    )
    [sample] = report.meter_values[0].samples
    assert (sample.value, sample.raw) == (None, text)


def test_a_2x_multiplier_beyond_any_meter_keeps_what_was_sent():
    sampled = {"value": 5, "unitOfMeasure": {"unit": "Wh", "multiplier": 2**31}}
    report = transactions_codec(profile_for("2.0.1")).meter_values_report(
        {"evseId": 1, "meterValue": [{"timestamp": "2026-11-24T10:00:00Z", "sampledValue": [sampled]}]}
    )
    [sample] = report.meter_values[0].samples
    assert sample.value is None and sample.raw == f"5e{2**31}"


def test_a_2x_transaction_id_must_not_be_empty():
    payload = {
        "eventType": "Started",
        "timestamp": "2026-11-24T10:00:00Z",
        "triggerReason": "Authorized",
        "seqNo": 0,
        "transactionInfo": {"transactionId": ""},
    }
    with pytest.raises(RpcError) as caught:
        transactions_codec(profile_for("2.1")).transaction_event(payload)
    assert caught.value.description.startswith("transactionInfo/transactionId")
