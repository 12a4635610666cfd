"""Treaty status sync from the UN Treaty Collection, reviewed by coordinators under /admin/sync
(the screens are in admin.py, on the back office's blueprint)."""
