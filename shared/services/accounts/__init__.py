"""Operator accounts: who a caller is (`principals`), integrations' keys (`api_keys`), the
tenants an installation serves (`tenants`) and the trail of changes and refusals (`audit`)."""
