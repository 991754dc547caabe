"""cfn-lint, offline, on the synthesized template."""

import json
import subprocess
import sys
from pathlib import Path

from tests.infra.conftest import synth

# CDK adds explicit DependsOn next to the references that already imply them.
KNOWN = {"W3005"}


def test_cfn_lint_finds_nothing(synthesized, tmp_path):
    assert lint(synthesized[1], tmp_path) == []


def test_cfn_lint_finds_nothing_with_the_ftp_server(tmp_path_factory, tmp_path):
    template = synth(tmp_path_factory, ftpUploads="true", ftpHost="ftp.csms.internal")[1]
    assert lint(template, tmp_path) == []


def lint(template, tmp_path):
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template))
    result = subprocess.run(
        [Path(sys.executable).parent / "cfn-lint", "--format", "json", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode in (0, 4), result.stderr  # 4: warnings only
    return [
        (f["Rule"]["Id"], f["Message"]) for f in json.loads(result.stdout) if f["Rule"]["Id"] not in KNOWN
    ]
