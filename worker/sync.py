"""Treaty status sync tasks (filled by the treaty-sync work)."""
