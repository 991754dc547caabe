"""`python -m functions.ocpp_router README.md`: rewrite the README's table of implemented actions."""

import re
import sys
from pathlib import Path

from functions.ocpp_router.registry import actions_markdown

START, END = "<!-- actions:start -->", "<!-- actions:end -->"

if __name__ == "__main__":
    path = Path(sys.argv[1])
    text = path.read_text(encoding="utf-8")
    table = f"{START}\n{actions_markdown()}\n{END}"
    updated = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: table, text, flags=re.S)
    path.write_text(updated, encoding="utf-8")
