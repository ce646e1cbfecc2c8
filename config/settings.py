"""Settings read from the environment.

Every name here is a stable interface (see DESIGN.md); defaults are chosen so
that a fresh machine runs the service with nothing set.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TELEGRAM_API_BASE_URL = "https://api.telegram.org"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///minqing.db"
DEFAULT_HTTP_PORT = 8080
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_DISTRICT_PATH = Path(__file__).with_name("district.toml")


class SettingsError(ValueError):
    """An environment variable holds a value that cannot be used."""


@dataclass(frozen=True)
class Settings:
    """The service's settings, resolved from the environment."""

    telegram_bot_token: str | None
    telegram_api_base_url: str
    database_url: str
    district_config_path: Path
    webhook_secret: str | None
    http_port: int
    timezone: ZoneInfo
    public_url: str
    #: Whether ``MINQING_PUBLIC_URL`` was set; if not, the public URL follows the served port.
    public_url_set: bool = False
    #: Where the service's clock starts (``MINQING_CLOCK_START``); None: the real time.
    clock_start: datetime | None = None
    #: ``MINQING_LOG_TEXTS=1``: logs may show users' texts, masked (a debug flag).
    log_texts: bool = False

    def serving_on(self, port: int) -> Settings:
        """These settings for a web server actually listening on ``port``.

        Without ``MINQING_PUBLIC_URL`` the links the service hands out (``/web``)
        point at ``http://127.0.0.1:<port>``: they must follow ``--port`` (or the
        port the system chose for ``--port 0``), not ``MINQING_HTTP_PORT``.
        """
        if self.public_url_set:
            return replace(self, http_port=port)
        return replace(self, http_port=port, public_url=f"http://127.0.0.1:{port}")

    @property
    def public_url_is_https(self) -> bool:
        """Whether people reach the web side over HTTPS (cookies are then Secure)."""
        return self.public_url.startswith("https://")

    @property
    def bot_api_url(self) -> str:
        """Base URL that python-telegram-bot appends the token to."""
        return self.telegram_api_base_url.rstrip("/") + "/bot"

    @property
    def bot_file_url(self) -> str:
        """Base URL for file downloads."""
        return self.telegram_api_base_url.rstrip("/") + "/file/bot"


def api_base_url(value: str) -> str:
    """The Bot API server's base URL, also accepted in python-telegram-bot's form.

    PTB's own ``base_url`` ends in ``/bot`` (``http://host:port/bot``); minqing
    appends ``/bot`` and ``/file/bot`` itself, so a trailing ``/bot`` is dropped.
    """
    url = value.strip().rstrip("/")
    if url.endswith("/bot"):
        url = url[: -len("/bot")].rstrip("/")
    return url or DEFAULT_TELEGRAM_API_BASE_URL


def normalise_database_url(url: str) -> str:
    """Pick the async driver for a plain ``sqlite://`` or ``postgresql://`` URL."""
    if url.startswith("sqlite:"):
        return "sqlite+aiosqlite:" + url[len("sqlite:") :]
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    return url


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Resolve settings from ``environ`` (default: the process environment).

    Raises:
        SettingsError: a variable is set to something unusable; the message
            names the variable.
    """
    env = os.environ if environ is None else environ
    port_text = env.get("MINQING_HTTP_PORT", str(DEFAULT_HTTP_PORT)).strip()
    try:
        port = int(port_text)
    except ValueError:
        raise SettingsError(f"MINQING_HTTP_PORT: not a port number: {port_text!r}") from None
    if not 0 <= port <= 65535:
        raise SettingsError(f"MINQING_HTTP_PORT: out of range 0..65535: {port}")
    tz_name = env.get("MINQING_TIMEZONE", DEFAULT_TIMEZONE).strip() or DEFAULT_TIMEZONE
    try:
        timezone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"MINQING_TIMEZONE: unknown time zone: {tz_name!r}") from None
    config_path = env.get("MINQING_CONFIG", "").strip()
    public_url = env.get("MINQING_PUBLIC_URL", "").strip().rstrip("/")
    if public_url and not public_url.startswith(("http://", "https://")):
        raise SettingsError(f"MINQING_PUBLIC_URL: not an http(s) URL: {public_url!r}")
    clock_start = _parse_clock_start(env.get("MINQING_CLOCK_START", "").strip())
    return Settings(
        telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN", "").strip() or None,
        telegram_api_base_url=api_base_url(env.get("TELEGRAM_API_BASE_URL", "")),
        database_url=normalise_database_url(
            env.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
        ),
        district_config_path=Path(config_path) if config_path else DEFAULT_DISTRICT_PATH,
        webhook_secret=env.get("MINQING_WEBHOOK_SECRET", "").strip() or None,
        http_port=port,
        timezone=timezone,
        public_url=public_url or f"http://127.0.0.1:{port}",
        public_url_set=bool(public_url),
        clock_start=clock_start,
        log_texts=env.get("MINQING_LOG_TEXTS", "").strip().lower() in {"1", "true", "yes"},
    )


def _parse_clock_start(text: str) -> datetime | None:
    """``MINQING_CLOCK_START``: an ISO instant with its UTC offset, or empty."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise SettingsError(
            f"MINQING_CLOCK_START: not an ISO date-time like 2027-01-01T00:30+08:00: {text!r}"
        ) from None
    if when.tzinfo is None:
        raise SettingsError(f"MINQING_CLOCK_START: give the UTC offset (e.g. +08:00): {text!r}")
    return when.astimezone(UTC)
