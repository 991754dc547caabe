"""DER controls (OCPP 2.1) as the API takes and shows them: SetDERControl's payload without
its controlId, in OCPP's own field names."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, get_args

from pydantic import Field, model_validator

from functions.operator_api.models.common import ApiModel

DerControlType = Literal[
    "EnterService",
    "FreqDroop",
    "FreqWatt",
    "FixedPFAbsorb",
    "FixedPFInject",
    "FixedVar",
    "Gradients",
    "HFMustTrip",
    "HFMayTrip",
    "HVMustTrip",
    "HVMomCess",
    "HVMayTrip",
    "LimitMaxDischarge",
    "LFMustTrip",
    "LVMustTrip",
    "LVMomCess",
    "LVMayTrip",
    "PowerMonitoringMustTrip",
    "VoltVar",
    "VoltWatt",
    "WattPF",
    "WattVar",
]
# DERControlEnumType -> the field of SetDERControl that carries a control of that type: a curve,
# but for these.
_NOT_CURVES = {
    "EnterService": "enterService",
    "FreqDroop": "freqDroop",
    "FixedPFAbsorb": "fixedPFAbsorb",
    "FixedPFInject": "fixedPFInject",
    "FixedVar": "fixedVar",
    "Gradients": "gradient",
    "LimitMaxDischarge": "limitMaxDischarge",
}
FIELD_OF_TYPE = {kind: _NOT_CURVES.get(kind, "curve") for kind in get_args(DerControlType)}
Part = dict[str, Any] | None
_SETTINGS = "checked against OCPP 2.1's schema when sent (422 with the reason)"


class DerControlIn(ApiModel):
    is_default: bool = Field(description="A default control (kept by the station) or a scheduled one")
    control_type: DerControlType
    curve: Part = Field(None, description=f"DERCurveType, for the curve types; {_SETTINGS}")
    enter_service: Part = None
    fixed_pf_absorb: Part = Field(None, alias="fixedPFAbsorb")
    fixed_pf_inject: Part = Field(None, alias="fixedPFInject")
    fixed_var: Part = None
    freq_droop: Part = None
    gradient: Part = None
    limit_max_discharge: Part = Field(None, description=f"LimitMaxDischargeType; {_SETTINGS}")

    @model_validator(mode="after")
    def its_type_s_settings(self) -> DerControlIn:
        """The settings of its type, and only those: a station would take the rest as an error."""
        wanted = FIELD_OF_TYPE[self.control_type]
        given = {name for name, part in self.control().items() if isinstance(part, dict)}
        if given != {wanted}:
            others = ", ".join(sorted(given - {wanted}))
            extra = f", not {others}" if others else ""
            raise ValueError(f"a {self.control_type} control is given by {wanted}{extra}")
        return self

    def control(self) -> dict[str, Any]:
        """As SetDERControl says it, without controlId."""
        return self.model_dump(by_alias=True, exclude_none=True)


class DerControlOut(ApiModel):
    control_id: str
    control_type: str
    is_default: bool
    control: dict[str, Any] = Field(description="As sent with SetDERControl, without controlId")
    status: str = Field(description="The station's answer: Accepted, Rejected, NotSupported, NotFound")
    status_info: str | None
    superseded_ids: list[str] = Field(description="The controls it replaced at the station")
    updated_at: datetime
