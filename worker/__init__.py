"""Celery tasks and the beat schedule. The app to run is `worker.app`:
`celery -A worker.app worker` and `celery -A worker.app beat`.

Importing this package (or `worker.tasks`) builds no Flask app, so tests and commands can call
the task functions inside an app they made themselves.
"""
