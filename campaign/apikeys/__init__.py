"""Organisations' API keys for the OSDI endpoints: issued, scoped and revoked in the back office."""
