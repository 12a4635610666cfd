"""The WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

from campaign import create_app
from campaign.core.startup import finish_startup

app = create_app()
finish_startup()  # the mappers configured and the heap frozen before the first request
