"""What the cost model reads from the synthesized stack (local/cost/model.py)."""

from __future__ import annotations

from local.cost.model import stack_of
from shared.manifest import ALL_FUNCTIONS, OCPP_ROUTER, OPERATOR_API, SCHEDULES


def test_the_cost_model_reads_memory_tracing_logs_alarms_and_reactions_from_the_template(synthesized):
    stack = stack_of(synthesized[1])
    assert set(stack.functions) == {spec.name for spec in ALL_FUNCTIONS}
    router = stack.function(OCPP_ROUTER.name)
    assert (router.memory_mb, router.traced, router.log_level) == (256, False, "INFO")
    assert not router.platform_logs
    assert stack.function(OPERATOR_API.name).traced
    assert stack.alarms >= 10 and stack.dashboards == 1 and stack.secrets == 2
    assert 150 < stack.access_log_bytes < 300
    assert set(stack.schedules) == {s.function.name for s in SCHEDULES}
    types, on_site_only = stack.reactions["site-allocator"]
    assert "SessionStarted" in types and not on_site_only
