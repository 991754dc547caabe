"""The operator API's routes: one module (or package) per block, named after it, each with a
`router`. The handler includes every one found here, so a new block's routes are one module."""

from __future__ import annotations

import importlib
import pkgutil

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter


def routers() -> list[APIGatewayHttpRouter]:
    """Every block's router, by module name."""
    return [
        importlib.import_module(f"{__name__}.{module.name}").router
        for module in pkgutil.iter_modules(__path__)
    ]
