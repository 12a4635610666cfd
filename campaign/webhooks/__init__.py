"""Webhooks: organisations' HTTPS endpoints told of the campaign's events, signed, recorded,
retried."""
