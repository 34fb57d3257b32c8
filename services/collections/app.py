"""The collections service process. Its business features arrive with their own issue; until then it
serves its health, metrics and parked-event operations and applies the events it subscribes to."""

from __future__ import annotations

from fastapi import FastAPI

from kernel.app import create_service_app
from kernel.inbox import Handlers

NAME = "collections"


def handlers() -> Handlers:
    return Handlers()


def create_app() -> FastAPI:
    return create_service_app(NAME, routers=[], handlers=handlers())
