"""cfn-lint, offline, on the synthesized template."""

import json
import subprocess
import sys
from pathlib import Path

# CDK adds explicit DependsOn next to the references that already imply them.
KNOWN = {"W3005"}


def test_cfn_lint_finds_nothing(synthesized, tmp_path):
    path = tmp_path / "template.json"
    path.write_text(json.dumps(synthesized[1]))
    result = subprocess.run(
        [Path(sys.executable).parent / "cfn-lint", "--format", "json", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode in (0, 4), result.stderr  # 4: warnings only
    findings = [f for f in json.loads(result.stdout) if f["Rule"]["Id"] not in KNOWN]
    assert findings == [], json.dumps(findings, indent=1)
