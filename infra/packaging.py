"""Lambda packages for arm64, built without Docker: the code (functions/ and shared/) as a
prebuilt directory, and the pinned dependencies as one layer that every function shares,
installed by pip from arm64 wheels. Both carry bytecode compiled by the runtime's Python
when the build runs on that version, so a cold start does not compile what it imports."""

from __future__ import annotations

import compileall
import hashlib
import py_compile
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import AssetHashType, BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = lambda_.Runtime.PYTHON_3_13
RUNTIME_VERSION = (3, 13)
ARCHITECTURE = lambda_.Architecture.ARM_64
PLATFORM = "manylinux2014_aarch64"
CODE_PACKAGES = ("functions", "shared")
BUILD = ROOT / "build" / "lambda"


def requirements() -> str:
    """The project's run-time dependencies (pyproject), each pinned there."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return "\n".join(project["project"]["dependencies"]) + "\n"


def _compile(directory: Path) -> None:
    if sys.version_info[:2] == RUNTIME_VERSION:
        compileall.compile_dir(
            directory,
            quiet=1,
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        )


def code() -> lambda_.Code:
    """functions/ and shared/, copied fresh on every synth."""
    target = BUILD / "code"
    shutil.rmtree(target, ignore_errors=True)
    for package in CODE_PACKAGES:
        shutil.copytree(
            ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    _compile(target)
    return lambda_.Code.from_asset(str(target))


@jsii.implements(ILocalBundling)
class _PipForArm64:
    """pip, told the target platform and Python, takes only wheels: nothing is compiled here."""

    def __init__(self, source: Path) -> None:
        self.source = source

    def try_bundle(self, output_dir: str, options: Any = None) -> bool:
        target = Path(output_dir) / "python"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--platform",
                PLATFORM,
                "--implementation",
                "cp",
                "--python-version",
                "{}.{}".format(*RUNTIME_VERSION),
                "--only-binary=:all:",
                "--target",
                str(target),
                "--requirement",
                str(self.source / "requirements.txt"),
                "--constraint",
                str(self.source / "constraints.txt"),
            ],
            check=True,
        )
        for cache in target.rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)
        _compile(target)
        return True


def dependencies_layer(scope: Construct, construct_id: str) -> lambda_.LayerVersion:
    """Hashed by what it pins, so an unchanged set is neither rebuilt nor redeployed."""
    source = Path(tempfile.mkdtemp(prefix="csms-layer-"))
    pins = requirements()
    constraints = (ROOT / "constraints.txt").read_text()
    (source / "requirements.txt").write_text(pins)
    (source / "constraints.txt").write_text(constraints)
    digest = hashlib.sha256(f"{PLATFORM}|{RUNTIME_VERSION}|{pins}|{constraints}".encode()).hexdigest()
    return lambda_.LayerVersion(
        scope,
        construct_id,
        description="The CSMS's pinned Python dependencies",
        compatible_runtimes=[RUNTIME],
        compatible_architectures=[ARCHITECTURE],
        code=lambda_.Code.from_asset(
            str(source),
            asset_hash=digest,
            asset_hash_type=AssetHashType.CUSTOM,
            bundling=BundlingOptions(
                image=DockerImage.from_registry("local-bundling-only"),
                local=_PipForArm64(source),
            ),
        ),
    )
