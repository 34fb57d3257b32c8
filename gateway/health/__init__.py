"""Health of the whole system in one look: every service, the database and the relay's lag."""
