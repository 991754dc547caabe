"""Tariffs and cost: tariffs, pricing sessions, CDRs."""
