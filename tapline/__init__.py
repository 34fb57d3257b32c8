"""Operator tooling: the embedded database, bootstrap, demo data, process supervisor, CLI."""
