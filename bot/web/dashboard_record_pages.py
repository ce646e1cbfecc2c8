"""The dashboard's record pages (民情工作台): the diary and the residential files.

What ``dash_diary.html``, ``dash_files.html`` and ``dash_file.html`` are given,
wrapped by :func:`bot.web.dashboard_layout.layout`; their routes are in
:mod:`bot.web.dashboard_records`. The templates escape every value, so diary
entries and file sections are shown as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.services.diary import DIARY_DAY, MAX_BACKDATE_DAYS, DiaryCompliance
from bot.services.notifications import CHANNEL_LABELS
from bot.services.residential_files import (
    SECTION_LABELS,
    SECTIONS,
    STATUS_LABELS,
    FileStatus,
    ResidentialFile,
    SectionRevision,
    UnitFileCoverage,
)
from bot.web.dashboard_layout import ViewerInfo, layout, month_options
from bot.web.html import Page
from config.district import District
from storage.enums import ResidentialSection
from storage.models import DiaryEntry

LEADER_RANKS = {
    "deputy_section": "副科级",
    "section": "正科级",
    "deputy_division": "副处级",
    "division": "正处级",
}


# --- diary -----------------------------------------------------------------------------------


WEEKDAYS = "一二三四五六日"


def _visit_days(today: date) -> list[tuple[str, str]]:
    """The visiting days a new entry may have: today and the days the diary allows back."""
    out = []
    for back in range(MAX_BACKDATE_DAYS + 1):
        day = today - timedelta(days=back)
        label = f"{day.year}年{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"
        if back == 0:
            label += " 今天"
        if day.day == DIARY_DAY:
            label += " 民情日"
        out.append((day.isoformat(), label))
    return out


def diary_page(
    viewer: ViewerInfo,
    data: DiaryCompliance,
    mine: Sequence[DiaryEntry],
    today: date,
    tz: ZoneInfo,
    *,
    prev: str,
    nxt: str,
    months: Sequence[str],
    ok: str | None = None,
    error: str | None = None,
    draft: tuple[str, str] = ("", ""),
) -> Page:
    """``/dashboard/diary``: the month's compliance, and a form for a new entry."""
    del tz  # entries show their visiting day only
    visited, content = draft
    return layout(
        "dash_diary.html",
        viewer,
        active="diary",
        ok=ok,
        error=error,
        data=data,
        prev=prev,
        nxt=nxt,
        months=month_options(data.month, months),
        ranks=LEADER_RANKS,
        days=_visit_days(today),
        visited=visited or today.isoformat(),
        content=content,
        mine=mine,
        channels=CHANNEL_LABELS,
    )


# --- residential files -----------------------------------------------------------------------


def _file_status_badge(status: FileStatus) -> tuple[str, str]:
    cls = {FileStatus.COMPLETE: "good", FileStatus.PARTIAL: "warn", FileStatus.EMPTY: "late"}
    return STATUS_LABELS[status], cls[status]


def files_page(viewer: ViewerInfo, units: Sequence[UnitFileCoverage], district: District) -> Page:
    """``/dashboard/files``: the files the viewer may read and how far each is set up."""

    def station(u: UnitFileCoverage) -> str:
        return district.units[u.station_id].name if u.station_id else "—"

    def missing(u: UnitFileCoverage) -> str:
        return "、".join(SECTION_LABELS[s] for s in u.missing) or "—"

    return layout(
        "dash_files.html",
        viewer,
        active="files",
        units=units,
        complete=sum(1 for u in units if u.status is FileStatus.COMPLETE),
        station=station,
        missing=missing,
        status_badge=_file_status_badge,
    )


def file_page(
    viewer: ViewerInfo,
    file: ResidentialFile,
    history: Mapping[ResidentialSection, Sequence[SectionRevision]],
    tz: ZoneInfo,
    *,
    editable: bool,
    ok: str | None = None,
    error: str | None = None,
    draft: tuple[str, str] | None = None,
) -> Page:
    """``/dashboard/files/{unit_id}``: the six sections, edit forms and history."""
    sections = []
    for section in SECTIONS:
        current = file.sections.get(section)
        text = current.content if current is not None else ""
        if draft is not None and draft[0] == section.value:
            text = draft[1]
        sections.append(
            {
                "id": section.value,
                "label": SECTION_LABELS[section],
                "current": current,
                "text": text,
                "history": list(history.get(section, ())),
            }
        )
    return layout(
        "dash_file.html",
        viewer,
        active="files",
        ok=ok,
        error=error,
        file=file,
        status_label=STATUS_LABELS[file.status],
        sections=sections,
        editable=editable,
        tz=tz,
    )
