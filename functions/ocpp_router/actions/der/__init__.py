"""DER control (OCPP 2.1): what stations report of their DER functions."""
