"""Shared plumbing for every Tapline process: settings, database, errors, events, auth, logs.

Services import from here and never from each other.
"""
