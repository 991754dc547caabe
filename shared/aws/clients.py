"""AWS clients for the functions, made by botocore: boto3 would add nothing a client needs
but its own import, 15 to 20 ms of every cold start (docs/decisions/0027)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import botocore.session
from botocore.config import Config


@lru_cache(maxsize=1)
def session() -> botocore.session.Session:
    """The one session every client is made from: its credentials sign the files' URLs too."""
    return botocore.session.get_session()


def make_client(
    service: str, region: str, endpoint_url: str | None = None, config: Config | None = None
) -> Any:
    return session().create_client(service, region_name=region, endpoint_url=endpoint_url, config=config)
