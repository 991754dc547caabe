"""The version seam, block by block: every block has a codec for every version, and each codec
answers everything its block's contract names."""

import importlib
import inspect
import pkgutil
from typing import Protocol

import pytest

import shared.protocol
from shared.protocol.versions import PROFILES, OcppVersion

BLOCKS = sorted(m.name for m in pkgutil.iter_modules(shared.protocol.__path__, "shared.protocol.") if m.ispkg)


def contract_of(block: str) -> type:
    module = importlib.import_module(block)
    [contract] = [
        value
        for name, value in vars(module).items()
        if name.endswith("Codec") and inspect.isclass(value) and Protocol in value.__mro__
    ]
    return contract


def test_the_blocks_are_the_packages_of_the_seam():
    assert "shared.protocol.transactions" in BLOCKS and len(BLOCKS) >= 16


@pytest.mark.parametrize("block", BLOCKS)
@pytest.mark.parametrize("version", sorted(PROFILES))
def test_every_block_has_a_codec_for_every_version_that_fulfils_its_contract(block, version):
    contract = contract_of(block)
    codec = PROFILES[version].codec(block)
    wanted = {
        name for name in vars(contract) if not name.startswith("_") and name not in vars(Protocol)
    } | set(getattr(contract, "__annotations__", {}))
    missing = sorted(name for name in wanted if not hasattr(codec, name))
    assert not missing, f"{block} for OCPP {version} lacks {missing}"
    assert (
        getattr(importlib.import_module(block), f"{block.rsplit('.', 1)[1]}_codec")(PROFILES[version])
        is codec
    )


def test_a_block_with_no_codec_for_a_version_is_said_so():
    with pytest.raises(LookupError, match=r"no codec for OCPP 1\.6"):
        PROFILES[OcppVersion.V16].codec("shared.protocol")  # a package with no v16 module
