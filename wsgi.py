"""The WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

import gc

from campaign import create_app

app = create_app()
# What is loaded by now (the app, its templates' code, the libraries) lives as long as the
# process: frozen, the collector's full passes no longer walk its ~200,000 objects, a pause of
# tens of milliseconds in the request that happened to trigger one.
gc.freeze()
