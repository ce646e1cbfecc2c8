"""The page templates: autoescape everywhere, nothing the CSP would have to forbid."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest

from bot.web.html import CONTENT_SECURITY_POLICY, environment

TEMPLATES = sorted(
    entry.name for entry in files("bot.web").joinpath("templates").iterdir() if entry.is_file()
)


def test_every_template_is_shipped_as_html_and_compiles() -> None:
    env = environment()
    assert "base.html" in TEMPLATES and "dash_base.html" in TEMPLATES
    for name in TEMPLATES:
        assert name.endswith(".html"), name  # pyproject ships templates/*.html only
        env.get_template(name)


@pytest.mark.parametrize("name", TEMPLATES)
def test_no_template_turns_escaping_off_or_carries_a_script(name: str) -> None:
    source = files("bot.web").joinpath("templates", name).read_text("utf-8")
    assert "|safe" not in source.replace(" ", "") and "autoescape" not in source
    assert "<script" not in source.lower() and "javascript:" not in source.lower()
    assert not re.search(r"\son[a-z]+\s*=", source), "inline event handlers are refused by CSP"
    assert not re.search(r"(src|href)=\"(https?:)?//", source), "nothing loaded from elsewhere"


def test_pages_share_one_layout() -> None:
    env = environment()
    for name in TEMPLATES:
        if name.startswith(("dash_", "report_")) and name not in ("dash_css.html",):
            source = env.loader.get_source(env, name)[0] if env.loader else ""
            assert "{% extends" in source, name


def test_the_policy_forbids_scripts() -> None:
    assert "script-src" not in CONTENT_SECURITY_POLICY
    assert CONTENT_SECURITY_POLICY.startswith("default-src 'none';")
