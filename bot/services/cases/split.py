"""拆分: one citizen message holding two unrelated matters becomes two cases (trial D3).

楼道灯坏了一个月没人修，另外我爸的养老金这个月没到账 was one case routed to one
bureau; the other matter was lost or bounced by 退单. The dispatcher desk and the
station that owns the case may split it: the text of the separate matter becomes a new
case of the same citizen, classified on its own text and routed as any new request
(or sent to the unit the splitter chose), with its own deadlines from the service's
clock. The original keeps its matter, its level and its deadlines.

Both cases record the link: the original a ``split`` event (已拆分出MQ…), the new one a
``split_from`` event (拆分自MQ…) after its ``registered`` event (whose data holds
``split_from`` too). The citizen is told both numbers; the original's responsible
units read a 【拆分】 notice, the new case's owner a 【拆分登记】 one beside its card.

Who may split which case, what the original keeps and the part's level (a split never
lowers a danger) are the rules of :mod:`bot.services.cases.split_rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import notifications as nt
from bot.services.cases.model import HANDLER_ROLES, CaseView
from bot.services.cases.split_rules import (
    MIN_PART_CHARS,
    SERIOUS,
    SPLITTABLE,
    SplitRules,
    body_and_marks,
    remainder_of,
)
from bot.services.lifecycle import (
    CaseError,
    EventType,
    check_version,
    is_meaningful,
    record,
)
from bot.services.notification_labels import SEVERITY_LABELS
from nlp import normalize as normalize_text
from nlp.emergency import Emergency
from storage import cases as store
from storage.enums import CaseKind
from storage.models import Case, CaseEvent, Open311Filing, Person
from storage.open311_filings import remember_tx as remember_open311

__all__ = [
    "MIN_PART_CHARS",
    "QUOTE",
    "SERIOUS",
    "SPLITTABLE",
    "CaseSplit",
    "SplitResult",
    "for_citizen",
    "marked",
    "quote",
    "remainder_of",
    "reporter_split",
    "split_arrived",
    "unconfirmed_danger",
    "where",
]

#: How much of a case's text a notice quotes.
QUOTE = 40


@dataclass(frozen=True)
class SplitResult:
    """The two cases after a split, as the splitter sees them."""

    original: CaseView
    part: CaseView
    #: The level the part's own text gives, when the split kept the original's instead.
    own_level: str | None = None
    #: Why the original's level was kept: ``DANGER_IN_PART`` or ``DANGER_UNKNOWN``.
    why: str | None = None


def quote(text: str, limit: int = QUOTE) -> str:
    """``text`` shortened for a notice (…)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class CaseSplit(SplitRules):
    """拆分 by the dispatcher desk or the owning station."""

    async def split_case(
        self,
        case_id: int,
        actor_id: int,
        text: str,
        channel: str,
        *,
        target: str | None = None,
        number: str | None = None,
        expected_version: int | None = None,
        confirmed: bool = False,
    ) -> SplitResult:
        """File ``text``, a separate matter of ``case_id``'s text, as a new case of its citizen.

        Args:
            case_id: the open request to split.
            actor_id: a desk chief/staff member, an admin, or a chief/staff member
                of the owning unit.
            text: the separate matter's words (usually cut from the original's text).
            channel: where the split was asked.
            target: a unit the desk may 派至 (``nt.dispatch_targets``), chosen by the
                desk only (``forbidden`` for anyone else); None: the new case is routed
                as any new request.
            number: the case must have this number (else ``not_found``, the same answer
                as for a missing case or one the actor may not see).
            expected_version: refused if the original changed since it was read.
            confirmed: the splitter confirmed a danger that is only in their wording
                (else such a split is refused with ``confirm``, nothing filed).

        Raises:
            CaseError: ``not_found``, ``forbidden`` (not the desk nor the owner),
                ``illegal_transition`` (closed, or a warning), ``bad_input`` (empty,
                too short, the whole text, already split out, unknown target), ``stale``,
                ``confirm`` (danger now only in the splitter's wording, trial 34 #2).
        """
        part = self._check_text(text)
        if not is_meaningful(part, MIN_PART_CHARS):
            raise CaseError("bad_input", "请写明要拆分出的另一件事的具体内容（至少4个字）。")
        if target is not None and target not in dict(nt.dispatch_targets(self.district)):
            raise CaseError("bad_input", "请选择有效的承办单位。")
        async with self.db.session() as s:
            now = self.clock.now()
            actor = await self._person(s, actor_id)
            # A missing case, a case the actor may not see and a number that is not the
            # case's get one identical answer: nothing tells that a case exists (R6).
            unseen = CaseError(
                "not_found",
                f"没有找到您可以拆分的案件 {number or case_id}："
                "该编号不存在，或不由您所在单位承办。",
            )
            try:
                original = await self._lock(s, case_id)
            except CaseError as exc:
                if exc.code == "not_found":
                    raise unseen from None
                raise
            if not self._is_dispatcher(actor) and not self.may_view(actor, original):
                raise unseen
            if number is not None and original.number != number:
                raise unseen
            if target is not None and not self._is_dispatcher(actor):  # the desk's (R5)
                raise CaseError("forbidden", "只有分派台可以指定新案件的承办单位。")
            self._check_split(actor, original)
            check_version(original, expected_version)
            body, marks = body_and_marks(original.original_text)
            if normalize_text(part) == normalize_text(body):
                raise CaseError(
                    "bad_input",
                    "拆分出的内容不能是整条诉求，请只填写其中另一件事的文字。",
                )
            if (earlier := await self._split_before(s, original, part)) is not None:
                raise CaseError("bad_input", f"这件事已拆分为 {earlier}，无需重复拆分。")
            plan, own, why = self._split_plan(original, part, target)
            if not confirmed and self._needs_confirmation(original, part, plan):
                raise CaseError("confirm", unconfirmed_danger(part, plan.severity, plan.emergency))
            reporter = await self._person(s, original.reporter_id)
            new = self._new_case(
                CaseKind.REQUEST,
                part,
                plan.c,
                plan.route,
                now,
                original.channel,
                reporter.id,
                plan.priority,
                plan.severity,
            )
            new.address = original.address
            new.latitude, new.longitude = original.latitude, original.longitude
            new.contact_name, new.contact_phone = original.contact_name, original.contact_phone
            link = {"from_case_id": original.id, "from_number": original.number}
            await self._register_tx(
                s,
                new,
                now,
                actor_id=actor.id,
                channel=channel,
                data={
                    "how": plan.route.how,
                    "room": plan.route.room,
                    "bureau": plan.route.bureau,
                    "confidence": float(plan.c.confidence),
                    "classified_room": plan.c.room,
                    "classified_bureau": plan.c.bureau,
                    "split_from": link,
                    **({"own_level": own, "level_kept": why} if own is not None else {}),
                    **({"danger_confirmed": True} if confirmed and plan.emergency else {}),
                    **({"emergency": plan.emergency.kind} if plan.emergency else {}),
                    **({"notify": list(plan.also)} if plan.also else {}),
                    **({"rated": plan.rated} if plan.rated is not None else {}),
                },
            )
            # An Open311 partner reads the split-off case with the key that filed the
            # original (trial 33b E4).
            partner = await s.get(Open311Filing, original.id)
            if partner is not None:
                await remember_open311(s, new.id, partner.api_key_id)
            await record(
                s,
                new,
                EventType.SPLIT_FROM,
                now=now,
                actor_id=actor.id,
                channel=channel,
                unit_id=actor.unit_id,
                note=f"拆分自{original.number}",
                data=link,
                changes_case=False,
            )
            await record(
                s,
                original,
                EventType.SPLIT,
                now=now,
                actor_id=actor.id,
                channel=channel,
                unit_id=actor.unit_id,
                note=f"已拆分出{new.number}：{quote(part)}",
                data={
                    "into_case_id": new.id,
                    "into_number": new.number,
                    "text": part,
                    # Not in the case's text as written: the station's wording (trial 33b E9).
                    "staff_wording": remainder_of(body, part) is None,
                    # The citizen's words as they were before the split (trial 34 #19).
                    "original_text": original.original_text,
                },
                changes_case=False,
            )
            found = remainder_of(body, part)
            kept = found or body
            # What the original still handles, marked wherever its text is shown (/status,
            # cards, notices, digests): the moved words are on the new case (trial 34 #19).
            mark = marked(new.number or "", moved=found is not None)
            original.original_text = f"{kept}{marks}{mark}"
            original.normalized_text = normalize_text(original.original_text)
            if plan.route.to_desk:
                new.ack_due_at = now + self.district.deadlines[new.priority].acknowledge
                await self._schedule_ack(s, new, now)
            else:
                await self._dispatch_tx(
                    s,
                    new,
                    plan.route.owning_unit_id,
                    now,
                    actor_id=actor.id if target else None,
                    channel=channel,
                    how="hand" if target else plan.route.how,
                )
            await self._tell_holders(s, original, new, actor, now)
            if plan.emergency is not None:
                # Danger now split off: the line first, as at intake (trial 33b E9).
                line = plan.emergency.line
                self._message(s, reporter, new, line, None, now, even_blocked=True)
            await self.publish_tx(
                s,
                new,
                now,
                also_card_units=plan.also,
                settle=False,
                pings=[([new.owning_unit_id], lambda v: split_arrived(v, original.number or ""))],
                reporter_text=lambda v: reporter_split(
                    self.view_for(original, reporter, now), quote(kept), v, found is None
                ),
            )
            # The original's cards show what it still handles (no version bump: their
            # buttons stay valid).
            await self.publish_tx(s, original, now, settle=False)
            return SplitResult(
                self.view_for(original, actor, now), self.view_for(new, actor, now), own, why
            )

    async def _split_before(self, s: AsyncSession, case: Case, part: str) -> str | None:
        """The number of the case ``part`` was already split into from ``case``, if any."""
        events = await s.scalars(
            select(CaseEvent).where(
                CaseEvent.case_id == case.id, CaseEvent.type == EventType.SPLIT.value
            )
        )
        wanted = normalize_text(part)
        for e in events:
            data = e.data if isinstance(e.data, dict) else {}
            if normalize_text(str(data.get("text", ""))) == wanted:
                return str(data.get("into_number", ""))
        return None

    async def _tell_holders(
        self, s: AsyncSession, original: Case, new: Case, actor: Person, now: datetime
    ) -> None:
        """The original's responsible units (but the splitter) read 【拆分】."""
        by = "、".join(x for x in (self.unit_name(actor.unit_id), actor.name) if x)
        people = await store.people_of_units(s, self.responsible_units(original), HANDLER_ROLES)
        for person in people:
            if person.id == actor.id:
                continue
            view = self.view_for(new, person, now)
            text = (
                f"【拆分】{original.number} 中的另一件事已由{by}拆分登记为 {new.number}"
                f"（{quote(new.original_text)}；{where(view)}）。"
                f"{original.number} 继续办理原诉求，时限不变。"
            )
            self._message(s, person, original, text, None, now)


def marked(number: str, *, moved: bool) -> str:
    """The mark a split leaves after the original's text, where the other matter went.
    ``moved``: the part was cut from the citizen's words; else the splitter worded the
    other matter and the citizen's words stay whole (trial 34 #19)."""
    return f"（另一件事已拆分为 {number}）" if moved else f"（已拆分出 {number}）"


def unconfirmed_danger(part: str, level: str, danger: Emergency | None) -> str:
    """The splitter is asked to confirm a danger that is only in their wording."""
    told = "、".join(danger.services) if danger is not None else ""
    what = (
        f"会立即派至处置单位并按特别重大办理，群众会被提示拨打 {told}"
        if danger is not None
        else f"会按{SEVERITY_LABELS.get(level, level)}办理"
    )
    return (
        f"拆分出的文字“{quote(part)}”写有紧急危险情形，但群众的原话中没有这段话。"
        f"拆分后它是以群众名义登记的新案件，{what}。\n"
        "请先核实：如确是群众反映的（例如电话中补充的），请确认拆分；"
        "如是概括有误，请按群众的原话重新拆分。"
        "如需自行报告危险情况，请按预警或报警流程办理，不要以群众名义拆分。"
    )


def where(view: CaseView) -> str:
    """Who has a new case now: its owner, or the desk choosing one."""
    if view.status in ("registered", "returned"):
        return f"待{view.owning_unit_name}分派"
    return f"承办单位：{view.owning_unit_name}"


def for_citizen(view: CaseView) -> str:
    """Who has a case now, in a citizen's words."""
    if view.status in ("registered", "returned"):
        return f"正在由{view.owning_unit_name}分派承办单位"
    return f"承办单位：{view.owning_unit_name}"


def split_arrived(view: CaseView, original: str) -> str:
    """To the new case's owner, beside its card."""
    return (
        f"【拆分登记】{view.number} 拆分自 {original}（同一群众反映的另一件事），"
        "请按新案件办理，时限自拆分登记时起算。"
    )


def reporter_split(original: CaseView, kept: str, part: CaseView, staff: bool = False) -> str:
    """The citizen is told both numbers (Simplified Chinese). ``staff``: the part is not
    in the citizen's text as written; it is shown as the staff's wording, never as the
    citizen's own, and the citizen may say it is wrong (trial 33b E9)."""
    worded = "（工作人员的概括，不是您的原话）" if staff else ""
    wrong = "如第2件不是您反映的事，请直接回复说明。\n" if staff else ""
    return (
        f"您反映的问题（编号：{original.number}）包含两件事，工作人员已为您分开登记、分别办理：\n"
        f"1. {original.number}：{kept}（{for_citizen(original)}）\n"
        f"2. {part.number}：{worded}{quote(part.text)}（{for_citizen(part)}）\n"
        f"{wrong}两件事会分别通知您办理进展，可随时发送 /status 查询。"
    )
