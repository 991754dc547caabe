"""Certificate management: stations' CSRs, ISO 15118 contract certificates, certificate status."""
