"""Mounting the web side's routes onto the host's aiohttp application."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from bot.web.citizen_form import add_citizen_form_routes
from bot.web.citizen_intake import CitizenFormContext
from bot.web.dashboard import add_dashboard_routes
from bot.web.open311 import Open311Context, add_open311_routes

if TYPE_CHECKING:
    from bot.runtime.host import ServiceHost


def install_web_routes(app: web.Application, host: ServiceHost) -> None:
    """Mount every public web feature (the host mounts webhook, health and metrics)."""
    runtime = host.runtime
    secure = runtime.settings.public_url_is_https
    add_open311_routes(
        app, Open311Context.from_service(runtime.cases, public_url=runtime.settings.public_url)
    )
    add_citizen_form_routes(
        app, CitizenFormContext.from_service(runtime.cases, secure_cookies=secure)
    )
    add_dashboard_routes(app, runtime)
