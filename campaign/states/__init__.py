"""The treaty registry: states, their status toward the Convention, and its history."""
