from shared.domain.provisioning import BootInfo
from shared.protocol.provisioning import provisioning_codec
from shared.protocol.versions import PROFILES, OcppVersion


def test_each_version_reads_its_own_boot_notification_shape():
    v16 = provisioning_codec(PROFILES[OcppVersion.V16]).boot_info(
        {
            "chargePointVendor": "V",
            "chargePointModel": "M",
            "chargeBoxSerialNumber": "S1",
            "firmwareVersion": "1.2",
        }
    )
    v2 = provisioning_codec(PROFILES[OcppVersion.V21]).boot_info(
        {
            "reason": "PowerUp",
            "chargingStation": {
                "vendorName": "V",
                "model": "M",
                "serialNumber": "S1",
                "modem": {"iccid": "89"},
            },
        }
    )
    assert v16 == BootInfo("V", "M", "S1", "1.2")
    assert v2 == BootInfo("V", "M", "S1", None, iccid="89", reason="PowerUp")
