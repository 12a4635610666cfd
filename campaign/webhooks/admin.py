"""Back office for webhooks: organisations' endpoints, their secrets (shown once), the ledger of
deliveries, redelivery and enabling again."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.core.params import SAFE_METHODS, as_id, as_page
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.organisations.models import Organisation
from campaign.webhooks import services
from campaign.webhooks.forms import (
    EVENT_LABELS,
    STATUS_LABELS,
    ActionForm,
    EndpointForm,
    NewEndpointForm,
)
from campaign.webhooks.models import WebhookDelivery, WebhookEndpoint

Page = str | tuple[str, int] | Response


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        abort(404)
    return endpoint


def _organisations() -> list[tuple[str, str]]:
    query = select(Organisation.id, Organisation.name).where(Organisation.merged_into_id.is_(None))
    return [(str(i), name) for i, name in db.session.execute(query.order_by(Organisation.name))]


def _secret_page(endpoint: WebhookEndpoint, secret: str, created: bool) -> str:
    """The one page that shows the secret: the answer to the POST, never stored or redirected."""
    return render_template(
        "admin/webhooks/secret.html", endpoint=endpoint, secret=secret, created=created
    )


@bp.get("/webhooks")
@role_required("coordinator")
def webhooks() -> str:
    query = (
        select(WebhookEndpoint).join(Organisation).order_by(Organisation.name, WebhookEndpoint.url)
    )
    return render_template(
        "admin/webhooks/list.html",
        endpoints=db.session.scalars(query).all(),
        labels=EVENT_LABELS,
    )


@bp.route("/webhooks/new", methods=["GET", "POST"])
@role_required("coordinator")
def new_webhook() -> Page:
    form = NewEndpointForm()
    form.organisation.choices = _organisations()
    if request.method in SAFE_METHODS and as_id(request.args.get("organisation")):
        form.organisation.data = str(as_id(request.args.get("organisation")))
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, int(form.organisation.data))
        if organisation is None:
            abort(400)
        data = services.EndpointData(url=form.url.data, events=list(form.events.data or []))
        try:
            endpoint, secret = services.register_endpoint(
                organisation=organisation, data=data, actor=current_user
            )
        except DomainError as error:
            db.session.rollback()
            form.url.errors = [str(error)]
        else:
            db.session.commit()
            return _secret_page(endpoint, secret, created=True)
    code = 400 if form.is_submitted() else 200
    return render_template("admin/webhooks/form.html", form=form, endpoint=None), code


@bp.get("/webhooks/<int:endpoint_id>")
@role_required("coordinator")
def webhook(endpoint_id: int) -> str:
    endpoint = _endpoint(endpoint_id)
    query = (
        select(WebhookDelivery)
        .filter_by(endpoint_id=endpoint.id)
        .order_by(WebhookDelivery.id.desc())
    )
    page = db.paginate(query, page=as_page(request.args.get("page")), per_page=50, error_out=False)
    return render_template(
        "admin/webhooks/detail.html",
        endpoint=endpoint,
        page=page,
        labels=EVENT_LABELS,
        statuses=STATUS_LABELS,
        form=ActionForm(),
    )


@bp.route("/webhooks/<int:endpoint_id>/edit", methods=["GET", "POST"])
@role_required("coordinator")
def edit_webhook(endpoint_id: int) -> Page:
    endpoint = _endpoint(endpoint_id)
    form = EndpointForm(obj=endpoint)
    if form.validate_on_submit():
        data = services.EndpointData(
            url=form.url.data, events=list(form.events.data or []), is_active=form.is_active.data
        )
        try:
            services.update_endpoint(endpoint=endpoint, data=data, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            form.url.errors = [str(error)]
        else:
            db.session.commit()
            flash(_("Saved."))
            return redirect(url_for("admin.webhook", endpoint_id=endpoint.id))
    code = 400 if form.is_submitted() else 200
    return render_template("admin/webhooks/form.html", form=form, endpoint=endpoint), code


def _action(endpoint_id: int) -> WebhookEndpoint:
    """The endpoint of a button's POST, once its CSRF token is checked."""
    endpoint = _endpoint(endpoint_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return endpoint


@bp.post("/webhooks/<int:endpoint_id>/rotate")
@role_required("coordinator")
def rotate_webhook_secret(endpoint_id: int) -> str:
    endpoint = _action(endpoint_id)
    secret = services.rotate_secret(endpoint=endpoint, actor=current_user)
    db.session.commit()
    return _secret_page(endpoint, secret, created=False)


@bp.post("/webhooks/<int:endpoint_id>/enable")
@role_required("coordinator")
def enable_webhook(endpoint_id: int) -> Response:
    endpoint = _action(endpoint_id)
    services.enable_endpoint(endpoint=endpoint, actor=current_user)
    db.session.commit()
    flash(_("The endpoint is active again."))
    return redirect(url_for("admin.webhook", endpoint_id=endpoint.id))


def _delivery(delivery_id: int) -> WebhookDelivery:
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        abort(404)
    return delivery


@bp.get("/webhooks/deliveries/<int:delivery_id>")
@role_required("coordinator")
def webhook_delivery(delivery_id: int) -> str:
    delivery = _delivery(delivery_id)
    return render_template(
        "admin/webhooks/delivery.html",
        delivery=delivery,
        labels=EVENT_LABELS,
        statuses=STATUS_LABELS,
        form=ActionForm(),
    )


@bp.post("/webhooks/deliveries/<int:delivery_id>/redeliver")
@role_required("coordinator")
def redeliver_webhook(delivery_id: int) -> Response:
    delivery = _delivery(delivery_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.redeliver(delivery=delivery, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error))
    else:
        db.session.commit()
        flash(_("A new attempt of this delivery is queued."))
    return redirect(url_for("admin.webhook_delivery", delivery_id=delivery_id))


# Last of the routes: a walk over the URL map in order deletes the endpoint after the rest.
@bp.post("/webhooks/<int:endpoint_id>/delete")
@role_required("coordinator")
def delete_webhook(endpoint_id: int) -> Response:
    services.delete_endpoint(endpoint=_action(endpoint_id), actor=current_user)
    db.session.commit()
    flash(_("The endpoint and its deliveries were deleted."))
    return redirect(url_for("admin.webhooks"))
