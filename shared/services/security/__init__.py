"""Security: who may connect, passwords, security profiles."""
