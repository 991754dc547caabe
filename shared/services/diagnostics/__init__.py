"""Diagnostics: log requests and the files stations upload."""
