"""Mail: the outbox every message goes through, and sending it over SMTP."""
