"""The Celery entry point: `celery -A worker.app worker` and `celery -A worker.app beat`."""

from campaign import create_app
from campaign.core.startup import finish_startup
from campaign.mail.compose import compile_templates
from worker.schedule import beat_schedule

flask_app = create_app()
celery = flask_app.extensions["celery"]
celery.conf.beat_schedule = beat_schedule(flask_app.config)
compile_templates(flask_app)  # before the pool forks: its children share them

from worker import imports, notifications, sync, tasks, webhooks  # noqa: E402,F401  (registers the tasks with this app)

finish_startup()  # before the pool forks: its children share the configured mappers, frozen
