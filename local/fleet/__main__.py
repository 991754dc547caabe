"""`python -m local.fleet`: the command is in local/fleet/cli.py, where `make cost` reaches it too."""

import sys

from local.fleet.cli import main

if __name__ == "__main__":
    sys.exit(main())
