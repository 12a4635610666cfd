"""Organisations, the steering committee and national partnerships."""
