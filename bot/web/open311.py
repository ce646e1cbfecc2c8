"""Open311 GeoReport v2 under ``/open311/v2/``: the district's bureaus as services.

Routes (``FMT`` is ``json`` or ``xml``; errors use the same format)::

    GET  /open311/discovery.FMT                 the service discovery document
    GET  /open311/v2/services.FMT               every bureau as a service
    GET  /open311/v2/services/{code}.FMT        one service definition (404 if unknown)
    POST /open311/v2/requests.FMT               file a request (api_key required)
    GET  /open311/v2/requests.FMT               search requests (api_key required)
    GET  /open311/v2/requests/{id}.FMT          one request (api_key required; 404 if unknown)

Reading requests needs an API key too, unlike many public GeoReport servers:
a citizen's description can name people and places, and minqing shows it only
to those whose work needs it (citizens check their own case on ``/report/status``).

The routes and the JSON/XML rendering are here; the services, the search and
filing (the decisions below) are in :mod:`bot.web.open311_requests` and
:mod:`bot.web.open311_submit`.

Decisions where the specification leaves room:

* **Services.** A service is a bureau: ``service_code`` is the bureau id,
  ``service_name`` its name, ``group`` the name of its service room,
  ``metadata`` false (no extra attributes), ``type`` realtime, ``keywords``
  the bureau's strongest lexicon keywords.
* **Filing.** ``service_code`` is optional: without it the description is
  classified like a Telegram message (and may go to the dispatcher desk).
  ``description`` is required; so is a location (``lat`` + ``long`` or
  ``address_string``), as the specification says. ``first_name`` /
  ``last_name`` become the contact name (family name first), ``phone`` the
  contact phone; ``email`` is accepted but not stored (a case has no place
  for it); ``media_url`` (http/https) is kept with the case's photos. Every
  submission gets a reporter of its own (:mod:`bot.web.people`).
  A description that is binary data or control characters rather than
  words (:mod:`bot.services.readable`, the check the bot and the web form
  answer as noise) gets a 400 that says so; so do such an
  ``address_string`` or name, except on a report of danger now.
  The body may be form-encoded (as the specification says) or a JSON object.
* **Identifiers.** ``service_request_id`` is the case number
  (``MQ20260303-0007``), the same number the citizen sees everywhere else.
* **Status.** ``closed`` = resolved (办结), followed up (已回访) or closed
  (已结案) — the bureau has finished its work; everything else, including a
  case reopened after an unhappy follow-up (重办), is ``open``.
  ``status_notes`` is the Chinese status label, plus the resolution note once
  resolved. ``agency_responsible`` is the unit that owns the case now.
  ``expected_datetime`` is the resolution deadline.
* **Privacy.** A key reads back only the requests it filed (``open311_filings``;
  another partner's request is the 404 of an unknown number, trial 33 D15,
  ``docs/open311.md``), in the public view (:mod:`bot.web.open311_public`). Only
  requests filed through Open311 are shown — never a request from Telegram or
  the web form (their citizens were not told that other systems read them; by
  number it is the 404 of an unknown number), never officers' early warnings
  (预警), and no critical case (a danger to someone's life: self-harm,
  violence, a person missing) in a search; asked for by its number, such a
  case shows its status and owner only (the description reads
  涉及人身安全，内容不公开; no place, result note or photo). No reporter identity
  or contact ever leaves (no name, phone, email, reporter id; ``account_id``
  is null); phone and identity numbers, the reporter's name, a name the
  writer introduces (我叫…) and house numbers are masked in the description
  and the notes; the address is cut before its house number; ``lat`` /
  ``long`` are rounded to 3 decimals (about 100 m); ``media_url`` is shown
  only when it is a web address (never a Telegram file).
* **Search.** ``service_request_id`` (comma list) overrides every other
  filter. Otherwise ``start_date`` / ``end_date`` (ISO 8601; a date or a time
  without offset is read in the district's time zone) select on the time the
  request was made; without them the last 90 days; the span may not exceed
  90 days. ``status`` is ``open``, ``closed`` or both; ``service_code`` a
  comma list. Newest first, at most 1000.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from aiohttp import web

from bot.web.html import read_form
from bot.web.open311_requests import (
    PREFIX,
    Open311Context,
    Open311Error,
    discovery,
    find_requests,
    get_request,
    list_services,
    parse_request_query,
    service_definition,
)
from bot.web.open311_submit import check_read_limit, require_api_key, submit_request

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

OPEN311_KEY: web.AppKey[Open311Context] = web.AppKey("minqing_open311", Open311Context)


# --- rendering -------------------------------------------------------------------------


#: Characters XML 1.0 cannot carry (C0 controls but tab and line breaks, DEL-C1 are
#: allowed but dropped too, lone surrogates, U+FFFE/U+FFFF): a description holding one
#: made every XML response unparseable (issue 15, break 8).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    """``value`` as text an XML parser accepts."""
    return _NOT_XML.sub("", str(value))


def _xml_value(parent: ET.Element, name: str, value: Any) -> None:
    child = ET.SubElement(parent, name)
    if isinstance(value, bool):
        child.text = "true" if value else "false"
    elif isinstance(value, list | tuple):
        singular = name.removesuffix("s") if name.endswith("s") and len(name) > 1 else "item"
        for item in value:
            if isinstance(item, Mapping):
                _xml_record(child, singular, item)
            else:
                _xml_value(child, singular, item)
    elif value is not None:
        child.text = xml_text(value)


def _xml_record(parent: ET.Element, name: str, record: Mapping[str, Any]) -> None:
    element = ET.SubElement(parent, name)
    for key, value in record.items():
        _xml_value(element, key, value)


def to_xml(root: str, item: str, records: Sequence[Mapping[str, Any]]) -> str:
    """``<root><item>…</item>…</root>`` as the GeoReport v2 XML responses look."""
    element = ET.Element(root)
    for record in records:
        _xml_record(element, item, record)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode")


def respond(fmt: str, data: Any, *, root: str, item: str, status: int = 200) -> web.Response:
    """``data`` (a list of records, or one record for ``root`` itself) as JSON or XML."""
    if fmt == "xml":
        if isinstance(data, Mapping):
            element = ET.Element(root)
            for key, value in data.items():
                _xml_value(element, key, value)
            text = XML_DECLARATION + ET.tostring(element, encoding="unicode")
        else:
            text = to_xml(root, item, data)
        return web.Response(text=text, status=status, content_type="text/xml", charset="utf-8")
    return web.Response(
        text=json.dumps(data, ensure_ascii=False),
        status=status,
        content_type="application/json",
        charset="utf-8",
    )


def error_response(fmt: str, exc: Open311Error) -> web.Response:
    """The specification's error list: ``[{"code": 403, "description": "..."}]``."""
    response = respond(
        fmt,
        [{"code": exc.status, "description": exc.description}],
        root="errors",
        item="error",
        status=exc.status,
    )
    if exc.retry_after is not None:
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


# --- routes ------------------------------------------------------------------------------


def _fmt(request: web.Request) -> str:
    return request.match_info.get("fmt", "json")


async def _body_fields(request: web.Request) -> dict[str, str]:
    """The POST body as text fields: form-encoded, multipart or a JSON object.

    Raises:
        Open311Error: 400 for a body that is none of these.
    """
    try:
        if request.content_type == "application/json":
            return _json_fields(await request.read())
        form = await read_form(request)
    except web.HTTPRequestEntityTooLarge:
        # The GeoReport error list, not aiohttp's English text/plain.
        raise Open311Error(413, TOO_LARGE.format(limit=request.client_max_size)) from None
    except web.HTTPBadRequest:
        raise Open311Error(400, "the form body is not UTF-8") from None
    return {k: v for k, v in form.items() if isinstance(v, str)}


#: The 413 of a body over the server's limit.
TOO_LARGE = "the request body is larger than {limit} bytes"


def _json_fields(body: bytes) -> dict[str, str]:
    """A JSON object's fields as text: strings and numbers; a list or an object is refused.

    Raises:
        Open311Error: 400 for malformed JSON, a body that is not an object, or a
            field whose value is a list, an object or a boolean (it used to be
            filed as its Python spelling: ``['路灯坏了', 'x']``).
    """
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise Open311Error(400, "malformed JSON") from None
    if not isinstance(payload, dict):
        raise Open311Error(400, "the JSON body must be an object")
    fields: dict[str, str] = {}
    for key, value in payload.items():
        if isinstance(value, bool | list | dict):
            raise Open311Error(400, f"{key} must be a string or a number")
        fields[str(key)] = "" if value is None else str(value)
    return fields


async def handle_discovery(request: web.Request) -> web.Response:
    """GET /open311/discovery: the service discovery document."""
    ctx = request.app[OPEN311_KEY]
    # The configured public URL, never the Host header (a client chooses that).
    return respond(_fmt(request), discovery(ctx, ctx.public_url), root="discovery", item="endpoint")


async def handle_services(request: web.Request) -> web.Response:
    """GET services: every bureau as a service."""
    ctx = request.app[OPEN311_KEY]
    return respond(_fmt(request), list_services(ctx), root="services", item="service")


async def handle_service_definition(request: web.Request) -> web.Response:
    """GET services/{code}: one service definition."""
    ctx = request.app[OPEN311_KEY]
    try:
        definition = service_definition(ctx, request.match_info["code"])
    except Open311Error as exc:
        return error_response(_fmt(request), exc)
    return respond(_fmt(request), definition, root="service_definition", item="attribute")


async def handle_post_request(request: web.Request) -> web.Response:
    """POST requests: file a citizen's request."""
    ctx = request.app[OPEN311_KEY]
    try:
        fields = await _body_fields(request)
        record = await submit_request(ctx, fields, request.headers.get("Idempotency-Key"))
    except Open311Error as exc:
        return error_response(_fmt(request), exc)
    return respond(_fmt(request), [record], root="service_requests", item="request", status=201)


async def handle_get_requests(request: web.Request) -> web.Response:
    """GET requests: search."""
    ctx = request.app[OPEN311_KEY]
    try:
        key = await require_api_key(ctx, request.query.get("api_key"))
        check_read_limit(ctx, key)
        query = parse_request_query(ctx, request.query)
    except Open311Error as exc:
        return error_response(_fmt(request), exc)
    records = await find_requests(ctx, query, key.id)
    return respond(_fmt(request), records, root="service_requests", item="request")


async def handle_get_request(request: web.Request) -> web.Response:
    """GET requests/{id}: one request, as a list of one."""
    ctx = request.app[OPEN311_KEY]
    try:
        key = await require_api_key(ctx, request.query.get("api_key"))
        check_read_limit(ctx, key)
        record = await get_request(ctx, request.match_info["request_id"], key.id)
    except Open311Error as exc:
        return error_response(_fmt(request), exc)
    return respond(_fmt(request), [record], root="service_requests", item="request")


def add_open311_routes(app: web.Application, ctx: Open311Context) -> None:
    """Mount the GeoReport v2 routes under ``/open311/v2/`` and ``/open311/discovery``."""
    app[OPEN311_KEY] = ctx
    fmt = "{fmt:json|xml}"
    app.router.add_get(f"/open311/discovery.{fmt}", handle_discovery)
    app.router.add_get(f"{PREFIX}/services.{fmt}", handle_services)
    app.router.add_get(f"{PREFIX}/services/{{code:[A-Za-z0-9_]+}}.{fmt}", handle_service_definition)
    app.router.add_post(f"{PREFIX}/requests.{fmt}", handle_post_request)
    app.router.add_get(f"{PREFIX}/requests.{fmt}", handle_get_requests)
    app.router.add_get(f"{PREFIX}/requests/{{request_id:[A-Za-z0-9_-]+}}.{fmt}", handle_get_request)


__all__ = [
    "OPEN311_KEY",
    "PREFIX",
    "Open311Context",
    "Open311Error",
    "add_open311_routes",
    "respond",
]
