"""Drivers' own accounts: their cards, sessions, receipts and statements."""
