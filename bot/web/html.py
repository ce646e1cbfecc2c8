"""Small helpers for server-rendered HTML: escaping, fragments and a page layout.

Everything a visitor typed goes through :func:`escape`; fragments that are
already HTML are :class:`Markup` and are not escaped again. :func:`render`
formats a template with every value escaped unless it is Markup, so a
forgotten ``escape`` call cannot turn citizen text into markup::

    render("<p>{text}</p>", text="<script>alert(1)</script>")
    # Markup('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>')

Pages are plain HTML5 with inline CSS, no JavaScript and nothing loaded from
elsewhere; :func:`html_response` adds a Content-Security-Policy that forbids
scripts altogether, so even a missed escape could not run one.
"""

from __future__ import annotations

import html as _html
from collections.abc import Iterable, Mapping

from aiohttp import web
from multidict import MultiDictProxy

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

BASE_CSS = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 -apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",
sans-serif;color:#1f2328;background:#f5f6f8}
header{background:#b71c1c;color:#fff;padding:12px 16px}
header a{color:#fff;text-decoration:none;font-weight:600}
main{max-width:640px;margin:0 auto;padding:16px}
h1{font-size:1.35em;margin:.4em 0 .6em}
h2{font-size:1.1em;margin:1.2em 0 .4em}
.card{background:#fff;border-radius:8px;padding:16px;margin:0 0 16px;
box-shadow:0 1px 2px rgba(0,0,0,.08)}
label{display:block;font-weight:600;margin:12px 0 4px}
.hint{font-weight:400;color:#57606a;font-size:.9em}
input,select,textarea{width:100%;font:inherit;padding:10px;border:1px solid #c9ced6;
border-radius:6px;background:#fff}
textarea{min-height:9em;resize:vertical}
button{font:inherit;padding:10px 18px;border:0;border-radius:6px;margin:16px 8px 0 0;
cursor:pointer;background:#b71c1c;color:#fff}
button.secondary{background:#e7e9ed;color:#1f2328}
.error{background:#fdecea;color:#8a1c12;border-left:4px solid #d93025;padding:10px 12px;
border-radius:4px;margin:0 0 16px}
.ok{background:#e8f5e9;border-left:4px solid #2e7d32;padding:10px 12px;border-radius:4px;
margin:0 0 16px}
dl{margin:0}dt{color:#57606a;font-size:.9em;margin-top:8px}dd{margin:0;word-break:break-word}
ol.timeline{padding-left:1.2em}ol.timeline li{margin:6px 0}
.muted{color:#57606a;font-size:.9em}
footer{max-width:640px;margin:0 auto;padding:8px 16px 32px;color:#57606a;font-size:.85em}
"""


class Markup(str):
    """A string that is already safe HTML (it is never escaped again)."""

    __slots__ = ()


def escape(value: object) -> Markup:
    """``value`` as HTML text: ``& < > " '`` escaped; Markup passes through unchanged.

    ``None`` becomes the empty string.
    """
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup(_html.escape(str(value), quote=True))


def render(template: str, /, **values: object) -> Markup:
    """Format ``template`` (``str.format`` syntax) with every value escaped.

    The template itself is trusted; values are escaped unless they are Markup.
    """
    return Markup(template.format(**{k: escape(v) for k, v in values.items()}))


def join(parts: Iterable[object], sep: str = "") -> Markup:
    """Escape and join ``parts`` (Markup parts are kept as they are)."""
    return Markup(escape(sep).join(escape(p) for p in parts))


def attrs(**values: object) -> Markup:
    """HTML attributes from keyword arguments (``class_`` → ``class``).

    ``True`` writes a bare attribute, ``False``/``None`` leave it out.
    """
    out: list[str] = []
    for key, value in values.items():
        name = key.rstrip("_").replace("_", "-")
        if value is None or value is False:
            continue
        out.append(name if value is True else f'{name}="{escape(value)}"')
    return Markup(" ".join(out))


def page(
    title: str,
    body: Markup,
    *,
    site_name: str = "",
    home: str = "/",
    footer: Markup | str = "",
    extra_css: str = "",
) -> Markup:
    """A whole HTML5 document in Chinese, mobile-friendly, with the base CSS inline.

    Args:
        title: the page title (escaped).
        body: the content of ``<main>``.
        site_name: shown in the header (escaped); the title when empty.
        home: where the header links to.
        footer: text or Markup under the content.
        extra_css: more CSS (trusted, written by the caller, never user text).
    """
    head_title = f"{title} - {site_name}" if site_name else title
    return render(
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>{head_title}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        '<header><a href="{home}">{site}</a></header>\n'
        "<main>\n{body}\n</main>\n"
        "<footer>{footer}</footer>\n</body>\n</html>\n",
        head_title=head_title,
        css=Markup(BASE_CSS + extra_css),
        home=home,
        site=site_name or title,
        body=body,
        footer=footer,
    )


def html_response(
    document: Markup,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    """An aiohttp response for a rendered document, with the security headers."""
    all_headers = dict(SECURITY_HEADERS)
    if headers:
        all_headers.update(headers)
    return web.Response(
        text=str(document),
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
