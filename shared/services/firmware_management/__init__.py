"""Firmware management: the catalogue of images, updates and rollouts."""
