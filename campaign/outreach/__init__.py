"""Outreach: the tasks coordinators assign to partners, and the updates partners report.

Screens: admin.py (the back office, /admin/outreach) and portal.py (the partners' portal,
/partner/), sharing views.py."""
