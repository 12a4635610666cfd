"""Real services for the tests: Redis, an SMTP sink and a Celery worker."""
