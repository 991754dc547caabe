"""Roaming over OCPI 2.2.1, the CSMS as a CPO: partners managed by operators (`partners`), the
OCPI interface's versions and credentials (`credentials`), and the modules partners pull
(`modules`). docs/roaming.md."""
