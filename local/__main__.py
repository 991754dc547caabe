"""`python -m local`: the local runtime (local/runtime/main.py)."""

import sys

from local.runtime.main import main

if __name__ == "__main__":
    sys.exit(main())
