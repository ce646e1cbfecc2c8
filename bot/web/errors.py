"""Error pages in Chinese for the people's side of the web (citizen form and dashboard).

aiohttp answers an unknown path, a wrong method, a body over the size limit or a
handler's exception with a plain-text English body (``404: Not Found``, ``405:
Method Not Allowed``, ``Maximum request body size … exceeded``, ``500 Internal
Server Error``). :func:`install_error_pages` adds a middleware
that turns those into a page of the side they happened on:

* ``/report…`` gets the citizen form's layout with a link back to the form;
* ``/dashboard…``, ``/login`` and ``/logout`` get the dashboard's layout with a
  link to the case list.

Machine paths (Open311, the webhook, ``/healthz``, ``/metrics``, the fake Bot
API of the sandbox) keep their own answers. A 405 keeps its ``Allow`` header.
An unexpected exception is logged (its type and the path only; no form data)
and answered with the 500 page, never with a traceback.

It also serves ``/favicon.ico`` (the browser asks for it on every page; it
was a 404 in every dashboard log).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.web.html import Page, html_response, setup_templates

log = logging.getLogger(__name__)

_Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_INSTALLED = web.AppKey("minqing_error_pages", bool)

#: The layout each side's pages use, by path prefix.
_CITIZEN_PREFIXES = ("/report",)
_DASHBOARD_PREFIXES = ("/dashboard", "/login", "/logout")

#: Title and message per status.
_TEXTS: dict[int, tuple[str, str]] = {
    404: ("页面不存在", "没有找到您要访问的页面，请检查网址是否正确。"),
    405: ("无法访问", "该页面不支持这种访问方式，请从首页重新进入。"),
    413: ("内容过大", "提交的内容超过了大小限制，请精简文字后重新提交。"),
    500: ("系统出错", "系统暂时出现问题，请稍后再试。"),
}

#: The site's icon (the red of the header with 民), also inlined in ``base.html``.
FAVICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="6" fill="#b71c1c"/>'
    '<text x="16" y="23" font-size="20" text-anchor="middle" fill="#fff">民</text></svg>'
)


def _side(path: str) -> str | None:
    """``citizen``, ``dashboard`` or None (a machine path: left alone)."""

    def under(prefixes: tuple[str, ...]) -> bool:
        return any(path == p or path.startswith(p + "/") for p in prefixes)

    if under(_CITIZEN_PREFIXES):
        return "citizen"
    if under(_DASHBOARD_PREFIXES):
        return "dashboard"
    return None


def error_page(request: web.Request, side: str, status: int) -> web.Response:
    """The Chinese page for ``status`` on ``side`` (``citizen`` or ``dashboard``)."""
    title, message = _TEXTS.get(status, _TEXTS[500])
    if side == "citizen":
        page = Page("report_error.html", {"title": title, "message": message})
    else:
        page = Page(
            "dash_message.html",
            {"title": title, "message": message, "link": ("/dashboard", "返回工作台")},
        )
    return html_response(request, page, status=status)


@web.middleware
async def error_pages(request: web.Request, handler: _Handler) -> web.StreamResponse:
    """Answer 404, 405, 413 and unexpected exceptions on the people's paths with a Chinese page."""
    side = _side(request.path)
    if side is None:
        return await handler(request)
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status not in (404, 405, 413):
            raise
        response = error_page(request, side, exc.status)
        if "Allow" in exc.headers:
            response.headers["Allow"] = exc.headers["Allow"]
        return response
    except Exception as exc:
        log.error("%s %s failed: %s", request.method, request.path, type(exc).__name__)
        log.debug("the failure", exc_info=True)
        return error_page(request, side, 500)


async def handle_favicon(_request: web.Request) -> web.Response:
    """GET /favicon.ico: the site's icon."""
    return web.Response(
        text=FAVICON_SVG,
        content_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )


def install_error_pages(app: web.Application) -> None:
    """Add the middleware and the icon to ``app`` (once; each web feature calls this)."""
    if app.get(_INSTALLED):
        return
    app[_INSTALLED] = True
    setup_templates(app)
    app.middlewares.append(error_pages)
    app.router.add_get("/favicon.ico", handle_favicon)
