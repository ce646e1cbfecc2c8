"""Follow-up (回访): the reporter's answer, reopening, closing without one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import notifications as nt
from bot.services.cases.aftercare import CaseAftercare, is_farewell
from bot.services.cases.model import (
    MAX_NOTE,
    SATISFACTIONS,
    CaseView,
    _clean,
)
from bot.services.lifecycle import (
    Action,
    CaseError,
    TimerKind,
    apply,
)
from bot.services.progress_questions import is_progress_question
from bot.services.triage import emergency_of, is_self_harm
from nlp.follow_up import UNCLEAR, follow_up_answer
from nlp.severity import assess_severity
from storage import cases as store
from storage.enums import CaseKind, CaseStatus, Channel
from storage.models import Case, Person

#: The reopening (重办) that also sends the case to supervision (督办): the second.
REOPENS_BEFORE_SUPERVISION = 2
#: A self-harm case in these is over: its reporter's words may answer a 回访 again.
#: A typed reply that is evidently a 回访 answer and nothing else (满意，谢谢你们; 还没解决;
#: 已解决 辛苦了): only such a reply answers a 回访 for someone whose self-harm case is
#: open (stop 35 D7); 还是没解决 我真的撑不下去了 says more, for their helpers.
_EVIDENT = re.compile(
    r"(?:(?:非常|很|挺|比较|基本|已经|已|都|问题|事情)?(?:不满意|满意|解决了|解决|没解决|还没解决"
    r"|未解决|没有解决|还没有解决|修好了|办好了|处理好了)"
    r"|谢谢你们|谢谢您|谢谢|感谢你们|感谢|辛苦了|辛苦你们了|好的|嗯|[\s，。！、,.!~～]+)+"
)


def _evident(text: str) -> bool:
    """Whether ``text`` is a 回访 answer named (满意, 解决) and nothing else (:data:`_EVIDENT`)."""
    said = text.strip()
    return _EVIDENT.fullmatch(said) is not None and re.search(r"满意|解决|好了", said) is not None


_FINAL = frozenset({CaseStatus.CLOSED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN})


def _dangerous(text: str) -> bool:
    """Whether ``text`` tells of danger: danger now, self-harm, or a rubric level of
    重大 or above (:func:`nlp.severity.assess_severity`)."""
    if emergency_of(text) is not None or is_self_harm(text):
        return True
    return assess_severity(text).level in ("high", "critical")


@dataclass(frozen=True)
class FollowUpInWords:
    """What a typed reply did to the 回访 that waits for it (:meth:`follow_up_in_words`).

    Attributes:
        view: the case it answered (after the answer), or ``None`` when several cases
            wait and the reply could be any one's (``waiting`` lists them).
        label: the answer as the button says it (未解决, 已解决·满意 …).
        comment: the words kept as the comment (not solved / not satisfied), else None.
        waiting: the cases whose 回访 waits, when the reply answered none of them.
        unclear: the words are partial or unsure (钱给了一半, 不知道能不能拿到): nothing was
            recorded; the citizen is asked to confirm (trial 33 D7).
    """

    view: CaseView | None
    label: str = ""
    comment: str | None = None
    waiting: tuple[CaseView, ...] = ()
    unclear: bool = False


class CaseFollowUp(CaseAftercare):
    """Follow-up (回访): the reporter's answer, reopening, closing without one."""

    async def follow_up_in_words(
        self, person_id: int, text: str, channel: str = Channel.TELEGRAM
    ) -> FollowUpInWords | None:
        """A typed reply (还没修好, 还没人来, 满意 谢谢你们) while a 回访 waits: its answer,
        taken as the button with that meaning would be (:func:`nlp.follow_up.follow_up_answer`,
        trial 31 #13, stop 32 #4). ``None`` when the words give no answer, no 回访 waits,
        or the answer was refused (then the text is read as usual). With several cases
        waiting nothing is answered: the result lists them.
        """
        # 解决了吗 asks about the case (its status is the answer), it does not answer.
        answer = None if is_progress_question(text) else follow_up_answer(text)
        # Words carrying danger or self-harm (还是没解决 我不想活了) answer no 回访: the
        # danger reading (the line, then the severity rubric) runs before any answer is
        # taken or called unclear, and a danger goes the usual way: the crisis path
        # (review 3 P1).
        if answer is None or _dangerous(text):
            return None
        # A farewell in aftercare (谢谢你们 我要走了) is a danger sign, no 满意 (b33 #1).
        if is_farewell(text) and await self.in_aftercare(person_id):
            return None
        views = await self.cases_of_reporter(person_id, limit=10)
        pending = [
            v for v in views if v.status == CaseStatus.RESOLVED and v.kind != CaseKind.WARNING.value
        ]
        crisis = await self._crisis_cases(views)
        if crisis:
            # Someone whose self-harm case is not final: only an evident answer and nothing
            # else (满意，谢谢你们; 还没解决: stop 35 D7) to the 回访 of another case is that
            # answer. Anything said beside it (还没解决 我真的撑不住了, 不满意，我活得好累,
            # even 还没解决，老板说话不算数) goes to their helpers first, who read every word
            # (review 35c F1: no list of despair words is complete); a farewell stays a
            # sign for them, and the self-harm case's own 回访 keeps its buttons (review 32
            # S12).
            if answer == UNCLEAR or is_farewell(text, open_case=True) or not _evident(text):
                return None
            pending = [v for v in pending if v.id not in crisis]
        if not pending:
            return None
        if len(pending) > 1:
            return FollowUpInWords(None, waiting=tuple(pending))
        view = pending[0]
        if answer == UNCLEAR:
            # 还行吧，钱给了一半 is neither 已解决 nor 未解决: nothing closes or reopens on
            # a guess; the citizen confirms (trial 33 D7).
            return FollowUpInWords(view, unclear=True)
        label, solved, satisfaction = nt.FOLLOW_UP_ANSWERS[answer]
        comment = None if solved and satisfaction != "unsatisfied" else text.strip()
        try:
            done = await self.answer_follow_up(
                view.id, person_id, solved, satisfaction, comment, channel, view.version
            )
        except CaseError:
            return None
        return FollowUpInWords(done, label, comment)

    async def _crisis_cases(self, views: list[CaseView]) -> set[int]:
        """The ids of these cases of the reporter that are self-harm cases not yet final
        (open, or resolved with their 回访 waiting): no word of their reporter answers
        their 回访 — 谢谢你们 我要走了 is no 满意 (review 32 S12); the buttons stay."""
        found: set[int] = set()
        async with self.db.session() as s:
            for view in views:
                if view.kind != CaseKind.REQUEST.value or view.status in _FINAL:
                    continue
                case = await store.get_case(s, view.id)
                if case is not None and await self._self_harm(s, case):
                    found.add(view.id)
        return found

    # --- follow-up ---------------------------------------------------------------

    async def answer_follow_up(
        self,
        case_id: int,
        citizen_id: int,
        solved: bool,
        satisfaction: str,
        comment: str | None = None,
        channel: str = Channel.TELEGRAM,
        expected_version: int | None = None,
        *,
        partly: bool = False,
    ) -> CaseView:
        """回访: the reporter says whether the problem is solved and how satisfied they are.

        Solved and satisfied/basically satisfied → closed. Unsolved or
        unsatisfied → reopened (重办) to the same unit with the reporter's words,
        new deadlines, and the unit notified. ``partly`` (部分解决, trial 33 D7): only
        part is done; never closes (``solved`` must be false), the unit reads 部分解决.

        Raises:
            CaseError: ``bad_input``, ``not_found``, ``forbidden`` (not the
                reporter, or a case filed in Telegram answered from another
                channel: only the reporter's Telegram account answers it),
                ``already_answered``, ``stale``, ``illegal_transition``.
        """
        if satisfaction not in SATISFACTIONS:
            raise CaseError("bad_input", "请选择满意、基本满意或不满意。")
        if partly and solved:
            raise CaseError("bad_input", "部分解决的问题不能结案。")
        comment_ = _clean(comment, MAX_NOTE)
        async with self.db.session() as s:
            now = self.clock.now()
            citizen = await self._person(s, citizen_id)
            case = await self._lock(s, case_id)
            if case.reporter_id != citizen.id:
                raise CaseError("forbidden", "只有反映人本人可以评价。")
            if case.kind == CaseKind.WARNING:
                raise CaseError("forbidden", "预警信息不进行满意度回访。")
            if case.status in (CaseStatus.FOLLOWED_UP, CaseStatus.CLOSED, CaseStatus.REOPENED):
                raise CaseError("already_answered", "该案件已完成回访，感谢您的评价。")
            if case.channel == Channel.TELEGRAM and channel != Channel.TELEGRAM:
                # The answer is the reporter's word on the unit that handled it; a web
                # form proves only the case number and a phone every handler sees.
                raise CaseError(
                    "forbidden",
                    f"{case.number} 是通过Telegram机器人反映的，"
                    "回访请在机器人中回答（发送 /status 可查看）。",
                )
            await apply(
                s,
                case,
                Action.FOLLOW_UP,
                now=now,
                actor_id=citizen.id,
                channel=channel,
                note=comment_,
                data={"solved": solved, "satisfaction": satisfaction}
                | ({"partly": True} if partly else {}),
                expected_version=expected_version,
            )
            await store.cancel_timers(s, case.id, [TimerKind.FOLLOW_UP_DUE], now=now)
            if solved and satisfaction != "unsatisfied":
                await apply(
                    s,
                    case,
                    Action.CLOSE,
                    now=now,
                    actor_id=citizen.id,
                    channel=channel,
                    data={"reason": "follow_up"},
                )
                case.closed_at = now
                await self.publish_tx(s, case, now, reporter_text=nt.reporter_closed)
            else:
                await self._reopen_tx(
                    s, case, now, citizen, channel, solved, satisfaction, comment_, partly
                )
            return self.view_for(case, citizen, now)

    async def _reopen_tx(
        self,
        s: AsyncSession,
        case: Case,
        now: datetime,
        citizen: Person,
        channel: str,
        solved: bool,
        satisfaction: str,
        comment: str | None,
        partly: bool = False,
    ) -> None:
        words = comment or (
            "群众反映问题只解决了一部分"
            if partly
            else "群众反映问题未解决"
            if not solved
            else "群众对办理结果不满意"
        )
        previous = {
            "previous_ack_due_at": _iso(case.ack_due_at),
            "previous_resolve_due_at": _iso(case.resolve_due_at),
        }
        # A new round from the service's clock, by the case's priority (set from its
        # severity at filing), judged by its own deadlines: the old ones, and a miss of
        # them, stay in the events (which the scores read), not on the card as 已超期.
        # A 延期申请 left from the earlier round lapses.
        level, above = case.escalation_level, case.escalated_to_unit_id
        due = self._restart_deadlines(case, now)
        # The supervision reached stays (trial 32 D19): a unit that says 办结 does not
        # end its 督办, and no escalation ever lowers the level a case is at.
        case.escalation_level, case.escalated_to_unit_id = level, above
        case.reopen_count = (case.reopen_count or 0) + 1
        case.deadline_missed = False
        case.extension_due_at = None
        case.resolved_at = None
        await apply(
            s,
            case,
            Action.REOPEN,
            now=now,
            actor_id=citizen.id,
            channel=channel,
            note=words,
            data={
                "solved": solved,
                "satisfaction": satisfaction,
                **({"partly": True} if partly else {}),
                "round": case.reopen_count,
                **due,
                **previous,
            },
        )
        await self._schedule_ack(s, case, now)
        await self._schedule_resolve(s, case, now)
        # The owner and every level supervising it (群工办 hears of a reopen it watches).
        units = self.responsible_units(case)
        if case.severity == "critical":
            # Everyone the critical alert reached hears that it is not over (trial 25 T13).
            for holder in await store.card_holders(s, case.id):
                if holder.unit_id is not None and holder.unit_id not in units:
                    units.append(holder.unit_id)
        await self.publish_tx(
            s,
            case,
            now,
            pings=[(units, lambda v: nt.staff_reopened(v, solved, satisfaction, comment, partly))],
            reporter_text=lambda v: nt.reporter_reopened(v, self.tz, commented=bool(comment)),
        )
        if case.reopen_count >= REOPENS_BEFORE_SUPERVISION and case.escalation_level == 0:
            # 办结 → 未解决 → 重办 again: the station alone has not solved it twice; the
            # supervision centre (督查督办中心) watches the new round (督办). A case
            # already supervised stays where it is (the 【重办】 above told its levels):
            # an escalation never lowers the level (trial 32 D19).
            await self.escalate_tx(
                s,
                case,
                now,
                actor_id=None,
                channel=Channel.SYSTEM,
                reason="reopened_again",
                note=f"群众第{case.reopen_count}次反映未解决或不满意",
            )

    async def close_no_response_tx(self, s: AsyncSession, case: Case, now: datetime) -> None:
        """Close a resolved case whose follow-up got no answer (inside a transaction).

        Not counted as unsatisfied: no ``followed_up`` event is written. A warning's
        officer was never asked (no survey on one's own warning): the warning closes
        in silence, not with 「未收到您的回访答复」 (trial 32 D24).
        """
        warning = case.kind == CaseKind.WARNING
        await apply(
            s,
            case,
            Action.CLOSE,
            now=now,
            actor_id=None,
            channel=Channel.SYSTEM,
            note="预警办结后自动结案（预警不回访）" if warning else "回访无应答，自动结案",
            data={"reason": "no_response"},
        )
        case.closed_at = now
        await self.publish_tx(
            s, case, now, reporter_text=None if warning else nt.reporter_closed_no_response
        )


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when is not None else None
