"""Settings an admin can change at run time, stored in the database."""
