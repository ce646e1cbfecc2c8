"""Server-rendered pages: the Jinja2 templates, security headers and form reading.

Every page is a template in ``bot/web/templates/`` rendered through
``aiohttp-jinja2`` with autoescape on, so anything a visitor typed is escaped
unless it is :class:`Markup` — and Markup is made only by our own code (the
SVG charts of :mod:`bot.web.charts`, which escape every text they draw).
Templates share one layout (``base.html``); the dashboard adds its navigation
in ``dash_base.html`` and the citizen form its header in ``report_base.html``.

Pages are plain HTML5 with inline CSS, no JavaScript and nothing loaded from
elsewhere; :func:`html_response` adds a Content-Security-Policy that forbids
scripts altogether, so even a missed escape could not run one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from markupsafe import Markup, escape
from multidict import MultiDictProxy

from bot.services.notifications import fmt_time
from bot.web import charts

#: Scripts, frames, plugins and foreign resources are all refused; inline CSS is allowed.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _svg(draw: Callable[..., str]) -> Callable[..., Markup]:
    """A chart function for templates: its SVG is trusted (the chart escapes its own text)."""

    def chart(*args: Any, **kwargs: Any) -> Markup:
        return Markup(draw(*args, **kwargs))

    return chart


#: How the templates are read: autoescape on, undefined names are errors, ``None`` prints
#: as nothing, block tags leave no blank lines behind; templates ship with the package and
#: are compiled once per application (no reload checks).
TEMPLATE_SETTINGS: Mapping[str, Any] = {
    "autoescape": True,
    "undefined": jinja2.StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
    "auto_reload": False,
    "finalize": lambda value: "" if value is None else value,
}


def _add_globals(env: jinja2.Environment) -> jinja2.Environment:
    env.globals.update(
        fmt_time=fmt_time,
        bar_chart=_svg(charts.bar_chart),
        line_chart=_svg(charts.line_chart),
    )
    return env


def _loader() -> jinja2.BaseLoader:
    return jinja2.PackageLoader("bot.web", "templates")


def environment() -> jinja2.Environment:
    """A stand-alone environment with the same templates and settings (for tests, tools)."""
    return _add_globals(jinja2.Environment(loader=_loader(), **TEMPLATE_SETTINGS))


def setup_templates(app: web.Application) -> None:
    """Give ``app`` the templates (once; every web feature calls this when it mounts)."""
    if aiohttp_jinja2.APP_KEY not in app:
        _add_globals(aiohttp_jinja2.setup(app, loader=_loader(), **TEMPLATE_SETTINGS))


@dataclass(frozen=True)
class Page:
    """A template and what it is given."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


def html_response(
    request: web.Request,
    page: Page,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    """``page`` rendered for ``request``, with the security headers."""
    text = aiohttp_jinja2.render_string(page.template, request, dict(page.context))
    all_headers = dict(SECURITY_HEADERS)
    if headers:
        all_headers.update(headers)
    return web.Response(
        text=text,
        status=status,
        content_type="text/html",
        charset="utf-8",
        headers=all_headers,
    )


async def read_form(
    request: web.Request,
) -> MultiDictProxy[str | bytes | bytearray | web.FileField]:
    """The request's form fields.

    Raises:
        web.HTTPBadRequest: the body is not a form in UTF-8 (a clear 400, never a 500).
    """
    try:
        return await request.post()
    except (UnicodeDecodeError, ValueError):
        raise web.HTTPBadRequest(
            text="无法读取提交的内容（请使用 UTF-8 编码的表单）。", content_type="text/plain"
        ) from None


__all__ = [
    "CONTENT_SECURITY_POLICY",
    "SECURITY_HEADERS",
    "Markup",
    "Page",
    "environment",
    "escape",
    "html_response",
    "read_form",
    "setup_templates",
]
