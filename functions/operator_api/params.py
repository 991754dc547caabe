"""Path and query parameters that several routes take alike."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

ChargePointId = Annotated[str, Path(min_length=1, max_length=48, description="The charge point's identity")]
PageSize = Annotated[int, Query(ge=1, le=100, description="Page size")]
NextToken = Annotated[str | None, Query(alias="nextToken", description="From the previous page")]
FleetPageSize = Annotated[
    int,
    Query(ge=1, le=1000, description="Page size (up to 1,000: lists the console reads whole, in few pages)"),
]
