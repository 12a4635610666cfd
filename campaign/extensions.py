"""Flask extensions, created unbound and initialised in create_app()."""

from __future__ import annotations

import logging

from celery import Celery, Task
from flask import Flask, session
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from campaign.db import DATABASE_UNAVAILABLE, Base, describe_outage

log = logging.getLogger(__name__)

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()


class SessionLoginManager(LoginManager):
    """Flask-Login's manager, with its "strong" session protection applied to sessions that
    hold a login. Flask-Login treats any non-empty session whose browser fingerprint is not
    recorded as stolen: a visitor's session holding only a CSRF token was emptied, marked
    modified and sent back with a cleared remember cookie on every page they read. A session
    without a login has nothing to protect; one with a login is checked as before."""

    def _session_protection_failed(self) -> bool:
        if "_user_id" not in session:
            return False
        return bool(super()._session_protection_failed())


login_manager = SessionLoginManager()


def celery_init_app(app: Flask) -> Celery:
    """A Celery app whose tasks run inside the Flask app context (Flask's own pattern)."""

    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                try:
                    return self.run(*args, **kwargs)
                except DATABASE_UNAVAILABLE as error:
                    # Nothing of this run was committed: run it again later, from the start.
                    db.session.remove()
                    countdown = min(60, 2 ** min(self.request.retries, 6))
                    log.warning(
                        "%s: %s; again in %s s", self.name, describe_outage(error), countdown
                    )
                    raise self.retry(countdown=countdown, max_retries=None) from None

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.conf.update(
        broker_url=app.config["CELERY_BROKER_URL"],
        task_ignore_result=True,
        result_backend=None,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        # Wait for the broker as long as it takes (a Redis restart), never give up and exit.
        broker_connection_max_retries=None,
        task_default_queue="campaign",
        beat_schedule_filename=app.config["CELERY_BEAT_SCHEDULE_FILE"],
        timezone="UTC",
    )
    if app.config["CELERY_BROKER_URL"].startswith("redis"):
        # Late acks on Redis: a task whose worker died is redelivered after this long.
        celery_app.conf.broker_transport_options = {"visibility_timeout": 3600}
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
