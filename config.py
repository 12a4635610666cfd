"""Configuration classes: every setting comes from the environment, with development defaults."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("CAMPAIGN_INSTANCE_DIR", BASE_DIR / "instance"))


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _int(name: str, default: int) -> int:
    return int(_env(name, str(default)) or default)


def _float(name: str, default: float) -> float:
    return float(_env(name, str(default)) or default)


def _bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _sqlalchemy_url(url: str) -> str:
    """Accept the common postgres:// spellings and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY: str | None = _env("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _sqlalchemy_url(
        _env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'campaign.sqlite'}") or ""
    )
    # pool_recycle, not pool_pre_ping: the pre-ping is a `SELECT 1` round trip on every
    # checkout, so on every request (about a tenth of a pledge POST's time, bench/README.md).
    # Replacing connections after 30 minutes stays under the idle timeouts of servers and
    # proxies; a connection that dies anyway (a database restart) fails the one request
    # using it, and SQLAlchemy then discards every pooled connection of that engine.
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {"pool_recycle": _int("DB_POOL_RECYCLE", 1800)}
    # SQLite: how long a write waits for another process's write to finish before the request
    # answers 503 (and a job retries).
    SQLITE_BUSY_TIMEOUT_MS = _int("SQLITE_BUSY_TIMEOUT_MS", 15000)
    REDIS_URL = _env("REDIS_URL")
    CELERY_BROKER_URL = (
        _env("CELERY_BROKER_URL")
        or REDIS_URL
        or (f"sqla+sqlite:///{INSTANCE_DIR / 'broker.sqlite'}")
    )
    CELERY_BEAT_SCHEDULE_FILE = str(INSTANCE_DIR / "celerybeat-schedule")

    MAIL_SERVER = _env("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = _int("MAIL_PORT", 8025)
    MAIL_USERNAME = _env("MAIL_USERNAME")
    MAIL_PASSWORD = _env("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 10)
    MAIL_DEFAULT_SENDER = _env(
        "MAIL_DEFAULT_SENDER", "Migrant Workers Convention campaign <campaign@localhost>"
    )
    # DKIM (campaign/mail/signing.py): unset selector or key, mail goes out unsigned.
    DKIM_SELECTOR = _env("DKIM_SELECTOR")
    DKIM_DOMAIN = _env("DKIM_DOMAIN")  # default: the site's mail domain (SITE_URL's host)
    DKIM_PRIVATE_KEY_PATH = _env("DKIM_PRIVATE_KEY_PATH")
    MAIL_MAX_ATTEMPTS = _int("MAIL_MAX_ATTEMPTS", 8)
    # Bounces (campaign/mail/bounces.py): the VERP return path bounces+<token>@domain, and
    # how many soft bounces put an address on the suppression list.
    MAIL_BOUNCE_ADDRESS = _env("MAIL_BOUNCE_ADDRESS")
    MAIL_SOFT_BOUNCE_LIMIT = _int("MAIL_SOFT_BOUNCE_LIMIT", 3)
    MAIL_BOUNCE_WEBHOOK_TOKEN = _env("MAIL_BOUNCE_WEBHOOK_TOKEN")  # unset: no /mail/bounces
    MAIL_RETRY_BASE_SECONDS = _int("MAIL_RETRY_BASE_SECONDS", 30)
    # A row claimed for sending longer ago than this is taken to belong to a dead worker.
    MAIL_CLAIM_TIMEOUT_SECONDS = _int("MAIL_CLAIM_TIMEOUT_SECONDS", 600)
    # A digest chunk claims, and settles as sent, this many messages per statement: a worker
    # that dies between a send and its settle re-sends at most this many (under the same
    # Message-ID), and a claim is never older than this many sends.
    MAIL_SEND_BATCH = _int("MAIL_SEND_BATCH", 100)
    # A request that queues a mail asks the worker for one sending job per process and this
    # many seconds, which sends everything queued meanwhile over one SMTP connection (the
    # per-message job cost the pledge request a fifth of its time); 0: one job per message.
    MAIL_NUDGE_SECONDS = _float("MAIL_NUDGE_SECONDS", 0.25)
    # Per-process copies of the admin-editable settings and of the country choices last this
    # long: a change made in another process takes effect within it (in the same process, at
    # once). See campaign/settings/services.py, ProcessCache.
    RUNTIME_CACHE_SECONDS = _int("RUNTIME_CACHE_SECONDS", 5)
    # Anonymous readers of /, /states/<ISO3> and the API's figures get a copy at most this many
    # seconds old, served before Flask (campaign/public/response_cache.py). 0 turns it off.
    PUBLIC_CACHE_SECONDS = _int("PUBLIC_CACHE_SECONDS", 5)

    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI") or REDIS_URL or "memory://"
    LOGIN_RATE_LIMIT = _env("LOGIN_RATE_LIMIT", "10 per minute; 50 per hour")
    # Logins per account (the address typed, known or not), from any client, since the last
    # success: this many are free; after each further one, the next waits (429 with Retry-After)
    # the first delay, doubled each time, at most the maximum; then it is checked as usual.
    # Counted over the window from the first. Never on a device that has logged in to that
    # account before. (A delay, never a lockout: the hard limit is per client, LOGIN_RATE_LIMIT.)
    LOGIN_ACCOUNT_FREE_FAILURES = _int("LOGIN_ACCOUNT_FREE_FAILURES", 5)
    LOGIN_ACCOUNT_FIRST_DELAY_SECONDS = _int("LOGIN_ACCOUNT_FIRST_DELAY_SECONDS", 1)
    LOGIN_ACCOUNT_MAX_DELAY_SECONDS = _int("LOGIN_ACCOUNT_MAX_DELAY_SECONDS", 300)
    LOGIN_ACCOUNT_WINDOW_SECONDS = _int("LOGIN_ACCOUNT_WINDOW_SECONDS", 24 * 3600)
    # How long a browser that logged in stays a known device of the account.
    LOGIN_DEVICE_DAYS = _int("LOGIN_DEVICE_DAYS", 180)
    # Reset mails per address asked for (the per-client limit is LOGIN_RATE_LIMIT).
    PASSWORD_RESET_RATE_LIMIT = _env("PASSWORD_RESET_RATE_LIMIT", "5 per hour")
    # How many proxies in front set X-Forwarded-For/-Proto/-Host (0: none, use the socket).
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)
    # Host names the site answers for (comma-separated); any other Host header gets 400.
    # Unset: SITE_URL's host (and, outside production, localhost and 127.0.0.1).
    TRUSTED_HOSTS = _env("TRUSTED_HOSTS")

    WTF_CSRF_TIME_LIMIT = _int("WTF_CSRF_TIME_LIMIT", 3600 * 4)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = _int("SESSION_LIFETIME_SECONDS", 8 * 3600)
    # A login with no request for this long ends (besides the absolute lifetime above).
    SESSION_IDLE_SECONDS = _int("SESSION_IDLE_SECONDS", 30 * 60)
    API_CACHE_SECONDS = _int("API_CACHE_SECONDS", 300)
    SITE_URL = _env("SITE_URL", "http://127.0.0.1:5000")

    # Treaty sync: the UN Treaty Collection's status document for chapter IV-13, daily.
    TREATY_SYNC_URL = _env(
        "TREATY_SYNC_URL",
        "https://treaties.un.org/doc/Publication/MTDSG/Volume%20I/Chapter%20IV/IV-13.en.xml",
    )
    # Record new signatures and parties without review (never corrections or conflicts).
    TREATY_SYNC_AUTO_APPROVE = _bool("TREATY_SYNC_AUTO_APPROVE", False)
    TREATY_SYNC_HOUR = _int("TREATY_SYNC_HOUR", 5)  # UTC
    TREATY_SYNC_TIMEOUT = _int("TREATY_SYNC_TIMEOUT", 30)  # seconds
    # A document listing fewer participants than this share of the last good one is refused.
    TREATY_SYNC_MIN_ROWS_RATIO = float(_env("TREATY_SYNC_MIN_ROWS_RATIO", "0.9") or 0.9)

    # Notifications: subscriptions, alerts, International Migrants Day reminders, digests.
    SUBSCRIBE_RATE_LIMIT = _env("SUBSCRIBE_RATE_LIMIT", "10 per minute; 50 per hour")
    # Requests per OSDI API key (campaign/osdi): a partner's tool, whatever its addresses.
    OSDI_RATE_LIMIT = _env("OSDI_RATE_LIMIT", "120 per minute; 5000 per hour")
    # Days before 18 December on which partners and supporters are reminded.
    MIGRANTS_DAY_OFFSETS = _env("MIGRANTS_DAY_OFFSETS", "30,7,1")
    TASK_DUE_REMINDER_DAYS = _int("TASK_DUE_REMINDER_DAYS", 3)
    # Status changes recorded this recently whose alert job was lost are fanned out again.
    ALERT_SWEEP_HOURS = _int("ALERT_SWEEP_HOURS", 24)
    # Digests go out from this hour (UTC) of the first day of their period.
    DIGEST_HOUR_UTC = _int("DIGEST_HOUR_UTC", 8)
    DIGEST_CHUNK_SIZE = _int("DIGEST_CHUNK_SIZE", 500)
    # A digest pauses itself when more than this share of a chunk's sends fail...
    DIGEST_ERROR_RATE_PAUSE = _float("DIGEST_ERROR_RATE_PAUSE", 0.2)
    # ... once at least this many were tried.
    DIGEST_ERROR_MIN_SAMPLE = _int("DIGEST_ERROR_MIN_SAMPLE", 20)
    # An unfinished digest with no send for this long is dispatched again by the beat job.
    DIGEST_STALL_SECONDS = _int("DIGEST_STALL_SECONDS", 600)

    # Webhooks (campaign/webhooks): signed POSTs to organisations' HTTPS endpoints.
    WEBHOOK_MAX_ATTEMPTS = _int("WEBHOOK_MAX_ATTEMPTS", 8)  # per delivery, the first included
    WEBHOOK_RETRY_BASE_SECONDS = _int("WEBHOOK_RETRY_BASE_SECONDS", 30)  # doubled each retry
    # Deliveries failed for good one after another before the endpoint is disabled.
    WEBHOOK_DISABLE_AFTER = _int("WEBHOOK_DISABLE_AFTER", 5)
    WEBHOOK_TIMEOUT_SECONDS = _float("WEBHOOK_TIMEOUT_SECONDS", 10)
    # Loopback, private, link-local and reserved addresses are refused unless this is on.
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES = _bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
    WEBHOOK_CA_BUNDLE = _env("WEBHOOK_CA_BUNDLE")  # unset: the system's trusted authorities
    # Endpoints' secrets are derived from this (default: SECRET_KEY); changing it changes them.
    WEBHOOK_SECRET_KEY = _env("WEBHOOK_SECRET_KEY")

    # Embeddable pages (campaign/embed): origins registered for framing are https only;
    # http://localhost and http://127.0.0.1 as well when this is on (development, tests).
    EMBED_ALLOW_HTTP_LOCALHOST = _bool("EMBED_ALLOW_HTTP_LOCALHOST", False)

    # The materials library (campaign/materials): the largest file a coordinator may upload,
    # and where files are kept: "local" (MATERIALS_DIR) or "s3" (any S3-compatible store).
    MATERIALS_MAX_BYTES = _int("MATERIALS_MAX_BYTES", 20 * 1024 * 1024)
    MATERIALS_STORAGE = _env("MATERIALS_STORAGE", "local")
    MATERIALS_DIR = _env("MATERIALS_DIR", str(INSTANCE_DIR / "materials"))
    MATERIALS_CACHE_SECONDS = _int("MATERIALS_CACHE_SECONDS", 3600)
    S3_ENDPOINT_URL = _env("S3_ENDPOINT_URL")  # unset: AWS itself
    S3_BUCKET = _env("S3_BUCKET")
    S3_REGION = _env("S3_REGION", "us-east-1")
    S3_ACCESS_KEY_ID = _env("S3_ACCESS_KEY_ID")
    S3_SECRET_ACCESS_KEY = _env("S3_SECRET_ACCESS_KEY")
    S3_PREFIX = _env("S3_PREFIX", "materials/")

    # Pledge imports (campaign/pledges/imports.py): the largest CSV a coordinator may upload,
    # where files wait until imported, rows per committed batch, the most confirmation mails
    # one import may queue, rows listed per outcome (the rest counted), columns a file may have.
    PLEDGE_IMPORT_MAX_BYTES = _int("PLEDGE_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
    PLEDGE_IMPORT_DIR = _env("PLEDGE_IMPORT_DIR", str(INSTANCE_DIR / "imports"))
    PLEDGE_IMPORT_BATCH_ROWS = _int("PLEDGE_IMPORT_BATCH_ROWS", 500)
    PLEDGE_IMPORT_MAIL_CAP = _int("PLEDGE_IMPORT_MAIL_CAP", 10_000)
    PLEDGE_IMPORT_LISTED = _int("PLEDGE_IMPORT_LISTED", 100)
    PLEDGE_IMPORT_MAX_COLUMNS = _int("PLEDGE_IMPORT_MAX_COLUMNS", 200)


class DevelopmentConfig(Config):
    """`make run`: SQLite, a broker with no server, the local mail sink."""

    ENV_NAME = "development"
    SECRET_KEY = Config.SECRET_KEY or "development-only-secret-key"
    MAIL_RETRY_BASE_SECONDS = _int("MAIL_RETRY_BASE_SECONDS", 5)
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES = _bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", True)
    EMBED_ALLOW_HTTP_LOCALHOST = _bool("EMBED_ALLOW_HTTP_LOCALHOST", True)


class TestConfig(Config):
    """Tests: real PostgreSQL and Redis named by TEST_DATABASE_URL and TEST_REDIS_URL."""

    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105  (tests only)
    SQLALCHEMY_DATABASE_URI = _sqlalchemy_url(
        _env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'test.sqlite'}") or ""
    )
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI") or Config.RATELIMIT_STORAGE_URI
    MAIL_RETRY_BASE_SECONDS = _int("MAIL_RETRY_BASE_SECONDS", 1)
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 5)
    # Off: each test's transaction is rolled back behind a cache's back, so a value cached in
    # one test would leak into the next. tests/settings turn it on to test it.
    RUNTIME_CACHE_SECONDS = _int("RUNTIME_CACHE_SECONDS", 0)
    # One job per message, so a test sees the job its unit of work published; the journeys
    # through the real worker and tests/worker/test_send_pending.py turn the nudge on.
    MAIL_NUDGE_SECONDS = _float("MAIL_NUDGE_SECONDS", 0)
    # Off, so each test sees its own writes at once; tests/public/test_response_cache.py on.
    PUBLIC_CACHE_SECONDS = _int("PUBLIC_CACHE_SECONDS", 0)
    # Webhooks: a local receiver on 127.0.0.1 with a certificate made by the test run.
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES = _bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", True)
    WEBHOOK_MAX_ATTEMPTS = _int("WEBHOOK_MAX_ATTEMPTS", 3)
    WEBHOOK_RETRY_BASE_SECONDS = _int("WEBHOOK_RETRY_BASE_SECONDS", 1)
    WEBHOOK_DISABLE_AFTER = _int("WEBHOOK_DISABLE_AFTER", 2)
    WEBHOOK_TIMEOUT_SECONDS = _float("WEBHOOK_TIMEOUT_SECONDS", 5)
    # Small, so the oversized-upload tests send little; files under the test run's instance.
    MATERIALS_MAX_BYTES = _int("MATERIALS_MAX_BYTES", 256 * 1024)
    MATERIALS_DIR = _env("MATERIALS_DIR", str(INSTANCE_DIR / "test-materials"))
    # The embed tests frame pages from a page served on http://localhost.
    EMBED_ALLOW_HTTP_LOCALHOST = _bool("EMBED_ALLOW_HTTP_LOCALHOST", True)
    # Pledge imports: a small limit, so the oversized-upload test sends little (the large-file
    # test raises it); files under the test run's instance, shared with the test worker.
    PLEDGE_IMPORT_MAX_BYTES = _int("PLEDGE_IMPORT_MAX_BYTES", 1024 * 1024)
    PLEDGE_IMPORT_DIR = _env("PLEDGE_IMPORT_DIR", str(INSTANCE_DIR / "test-imports"))


class ProductionConfig(Config):
    """Production: refuses to start without a secret key and a database URL."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False  # never in production, whatever the environment

    @classmethod
    def check(cls) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not _env(name)]
        if missing:
            raise RuntimeError(
                "Production configuration needs " + " and ".join(missing) + " in the environment."
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> type[Config]:
    """The configuration class for *name*, or for the CAMPAIGN_ENV variable."""
    key = name or _env("CAMPAIGN_ENV", "development") or "development"
    try:
        config = CONFIGS[key]
    except KeyError:
        raise RuntimeError(f"Unknown CAMPAIGN_ENV {key!r}; use one of {sorted(CONFIGS)}") from None
    if config is ProductionConfig:
        ProductionConfig.check()
    return config
