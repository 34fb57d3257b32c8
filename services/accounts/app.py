"""The accounts service process: its feature routers and the event handlers it consumes."""

from __future__ import annotations

from fastapi import FastAPI

from kernel.app import create_service_app
from kernel.inbox import Handlers

NAME = "accounts"


def handlers() -> Handlers:
    return Handlers()


def create_app() -> FastAPI:
    return create_service_app(NAME, routers=[], handlers=handlers())
