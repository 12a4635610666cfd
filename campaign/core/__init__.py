"""Cross-cutting helpers with real names: after-commit callbacks, jobs, mail, CSV."""
