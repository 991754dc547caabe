"""Certificates: the stations' own, and ISO 15118's (plug and charge)."""
