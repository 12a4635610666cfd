"""The campaign's Flask application: create_app() and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from campaign.core.flaskapp import CampaignFlask
from campaign.core.params import register_converters
from config import INSTANCE_DIR, config_for


def create_app(config_name: str | None = None, **overrides: Any) -> Flask:
    """Build the application for *config_name* (default: CAMPAIGN_ENV), with *overrides*."""
    app = CampaignFlask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object(config_for(config_name))
    app.config.update(overrides)
    register_converters(app.url_map)
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    register_extensions(app)
    from campaign.core.security import init_security

    init_security(app)
    from campaign.core.chrome import init_chrome

    init_chrome(app)
    register_blueprints(app)
    register_commands(app)
    from campaign.errors import register_error_handlers

    register_error_handlers(app)
    trust_proxies(app)
    cache_public_pages(app)
    return app


def cache_public_pages(app: Flask) -> None:
    """Outermost: anonymous repeats of the busiest public reads never reach Flask."""
    from campaign.public.response_cache import ResponseCache

    seconds = float(app.config["PUBLIC_CACHE_SECONDS"])
    if seconds > 0:
        app.wsgi_app = ResponseCache(app.wsgi_app, seconds)  # type: ignore[method-assign]


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address and scheme from their
    X-Forwarded-* headers (rate limits and pledge hashes key on that address)."""
    hops = int(app.config.get("TRUSTED_PROXIES", 0))
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )


def register_extensions(app: Flask) -> None:
    from campaign import models  # noqa: F401  (every model known to the metadata)
    from campaign.accounts.policy import init_login
    from campaign.core import after_commit  # noqa: F401  (session listeners)
    from campaign.db import discard_dead_connections, serialise_sqlite_writes
    from campaign.extensions import celery_init_app, csrf, db, migrate
    from campaign.ratelimits import ratelimits

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                serialise_sqlite_writes(engine, int(app.config["SQLITE_BUSY_TIMEOUT_MS"]))
            elif engine.dialect.name == "postgresql":
                discard_dead_connections(engine)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    ratelimits.init_app(app)
    init_login(app)
    celery_init_app(app)
    from campaign.i18n import init_i18n

    init_i18n(app)


def register_blueprints(app: Flask) -> None:
    from campaign.accounts import bp as accounts_bp
    from campaign.admin import load_screens
    from campaign.api import bp as api_bp
    from campaign.embed import bp as embed_bp
    from campaign.endorsements import bp as endorsements_bp
    from campaign.events import bp as events_bp
    from campaign.mail.webhook import bp as mail_bp
    from campaign.materials import bp as materials_bp
    from campaign.notifications import bp as notifications_bp
    from campaign.osdi import bp as osdi_bp
    from campaign.outreach.portal import bp as partner_bp
    from campaign.pledges import bp as pledges_bp
    from campaign.privacy import bp as privacy_bp
    from campaign.public import bp as public_bp
    from campaign.report import bp as report_bp
    from campaign.road import bp as road_bp

    admin_bp = load_screens()
    for blueprint in (public_bp, pledges_bp, api_bp, accounts_bp, admin_bp, partner_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(mail_bp)
    app.register_blueprint(road_bp)
    app.register_blueprint(endorsements_bp)
    app.register_blueprint(report_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(materials_bp)
    app.register_blueprint(embed_bp)
    app.register_blueprint(osdi_bp)
    app.register_blueprint(privacy_bp)


def register_commands(app: Flask) -> None:
    from campaign.cli import campaign_cli
    from campaign.mail.cli import mail_cli
    from campaign.sync.cli import states_cli

    app.cli.add_command(campaign_cli)
    app.cli.add_command(states_cli)
    app.cli.add_command(mail_cli)
