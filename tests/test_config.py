"""Configuration: production refuses to start without its secrets."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import make_app
from tests.support.worker import ROOT

START = "from campaign import create_app; create_app('production'); print('started')"


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "SECRET_KEY and DATABASE_URL"),
        ({"SECRET_KEY": "s3cret"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://u@127.0.0.1/db"}, "SECRET_KEY"),
        ({"SECRET_KEY": "", "DATABASE_URL": ""}, "SECRET_KEY and DATABASE_URL"),
    ],
)
def test_production_refuses_to_start_without_secrets(env: dict[str, str], missing: str) -> None:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", START],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert f"Production configuration needs {missing}" in result.stderr
    assert "started" not in result.stdout


def test_production_starts_with_secrets_and_secure_cookies() -> None:
    code = (
        "from campaign import create_app; app = create_app('production'); "
        "print(app.config['SESSION_COOKIE_SECURE'], app.config['SESSION_COOKIE_HTTPONLY'])"
    )
    env = {**os.environ, "SECRET_KEY": "s3cret", "DATABASE_URL": "postgresql://u@127.0.0.1/db"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True"


def test_unknown_environment_is_refused() -> None:
    env = {**os.environ, "CAMPAIGN_ENV": "staging"}
    result = subprocess.run(
        [sys.executable, "-c", "from campaign import create_app; create_app()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Unknown CAMPAIGN_ENV 'staging'" in result.stderr


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(
    service_env: dict[str, str],
) -> None:
    def remote_addr(trusted: int) -> str:
        app = make_app(service_env, TRUSTED_PROXIES=trusted)

        @app.get("/_whoami")
        def whoami() -> str:
            from flask import request

            return f"{request.remote_addr} {request.scheme}"

        response = app.test_client().get(
            "/_whoami",
            headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
            environ_base={"REMOTE_ADDR": "10.0.0.2"},
        )
        return response.get_data(as_text=True)

    assert remote_addr(0) == "10.0.0.2 http"  # a header from anyone is not believed
    assert remote_addr(1) == "203.0.113.9 https"
