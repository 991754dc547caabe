"""moto as the local AWS: a server on loopback, so that other tools can look in too."""

from __future__ import annotations

import logging
import socket

from moto.server import ThreadedMotoServer


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class LocalAws:
    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port or free_port(host)
        self._server = ThreadedMotoServer(ip_address=host, port=self.port, verbose=False)

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per DynamoDB call otherwise
        self._server.start()

    def stop(self) -> None:
        self._server.stop()


def create_resources() -> None:
    """What the CDK stack creates in the cloud, created in moto: the tables and the bus."""
    from shared.data.models import create_tables
    from shared.events import create_bus

    create_tables()
    create_bus()
