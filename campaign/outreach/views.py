"""What the back office and the partners' portal share of the outreach screens."""

from __future__ import annotations

from campaign.accounts.models import User
from campaign.extensions import db
from campaign.outreach import services
from campaign.outreach.forms import TaskUpdateForm
from campaign.outreach.models import OutreachTask


def save_task_update(form: TaskUpdateForm, *, task: OutreachTask, author: User) -> bool:
    """Add the update the submitted *form* describes and commit; False (the reason on the form,
    nothing written) when it is invalid or refused. The back office and the portal share it."""
    if not form.validate_on_submit():
        return False
    try:
        services.add_task_update(
            task=task,
            author=author,
            text=form.text.data or "",
            new_status=form.new_status.data or None,
            outcome=form.outcome.data or "",
        )
    except services.OutreachError as error:
        db.session.rollback()
        form.text.errors = [str(error)]
        return False
    db.session.commit()
    return True
