"""The audit log: every change by a user, with before and after."""
