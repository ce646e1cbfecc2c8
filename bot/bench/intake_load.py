"""The simulated citizens of ``minqing bench intake``: updates to a webhook, answers matched.

Each simulated citizen runs the whole filing flow — describe the problem, press
提交, skip place, contact and photos — one step at a time: a citizen's next
update is sent only after the bot answered the previous one (a real person
waits for the answer), so a rate is kept by adding citizens when all are
waiting. With ``flow="which"`` each update is a one-shot ``/which TEXT`` query;
with ``flow="text"`` each update is a new citizen's plain-text description
(what citizens send first), answered by the office proposal.

Latency of an update = from the start of its POST to the arrival at the fake of
the bot's answer in that chat (the fake records the monotonic arrival time of
every message; harness and fake share the clock). Lost = posted − answered
within the grace period after the run. :mod:`bot.bench.intake` runs it against
``minqing serve``; :mod:`bot.bench.alerts` and :mod:`bot.bench.intake_echo` use it too.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.bench.figures import percentile
from bot.bench.webhook import WebhookPoster, callback_update, update_of
from bot.fakeapi import ChatMessage, FakeBotApi, FakeUser

__all__ = ["FIRST_CITIZEN_ID", "TEXTS", "IntakeLoad", "IntakeResult", "format_result"]

#: Descriptions the classifier routes with confidence (one per room, varied by a suffix).
TEXTS = (
    "公司拖欠我三个月工资不发，老板一直找借口",
    "孩子明年上小学，报名需要什么材料，学区怎么划分",
    "邻居家被盗了，派出所什么时候来看现场",
    "离婚后孩子抚养权归谁，法院一般怎么判",
    "工厂晚上偷偷排放污水，河里的鱼都死了",
    "小区旁边盖了违章建筑，一直没人管，规划审批有问题",
)
FILE_STEPS = 5
FIRST_CITIZEN_ID = 700_000_001


def _has_button(message: ChatMessage, label: str) -> bool:
    return any(b.get("text") == label for b in message.buttons)


#: What the bot's answer to step k of the filing flow looks like.
FILE_ANSWERS: tuple[Callable[[ChatMessage], bool], ...] = (
    lambda m: bool(m.buttons) and "callback_data" in m.buttons[0],
    lambda m: "可选 1/3" in m.content,
    lambda m: "可选 2/3" in m.content,
    lambda m: "可选 3/3" in m.content,
    lambda m: "提交成功" in m.content,
)


@dataclass
class _Pending:
    step: int
    version: int
    posted_at: float
    update_id: int
    #: The run it was posted in: an answer that comes after that run ended counts there, not
    #: in the next run (where it made ``answered`` exceed ``posted``).
    run: IntakeResult


@dataclass
class _Citizen:
    user: FakeUser
    step: int = 0
    filings: int = 0
    proposal: ChatMessage | None = None
    pending: _Pending | None = None


@dataclass
class IntakeResult:
    """Figures of one intake run at one offered rate."""

    rate: float
    duration_s: float
    flow: str
    posted: int = 0
    answered: int = 0
    post_errors: int = 0
    latencies: list[float] = field(default_factory=list)
    send_window_s: float = 0.0
    answer_window_s: float = 0.0
    citizens: int = 0
    filings_completed: int = 0

    @property
    def lost(self) -> int:
        """Updates posted and never answered."""
        return self.posted - self.answered

    def figures(self) -> dict[str, Any]:
        """JSON-ready figures (milliseconds, rates per second)."""

        def ms(q: float) -> float | None:
            value = percentile(self.latencies, q)
            return None if value is None else round(value * 1000, 1)

        return {
            "offered_rate_per_s": self.rate,
            "duration_s": self.duration_s,
            "flow": self.flow,
            "posted": self.posted,
            "answered": self.answered,
            "lost": self.lost,
            "post_errors": self.post_errors,
            "p50_ms": ms(50),
            "p95_ms": ms(95),
            "p99_ms": ms(99),
            "max_ms": ms(100),
            "achieved_post_rate_per_s": round(self.posted / self.send_window_s, 1)
            if self.send_window_s
            else None,
            "throughput_answered_per_s": round(self.answered / self.answer_window_s, 1)
            if self.answer_window_s
            else None,
            "citizens": self.citizens,
            "filings_completed": self.filings_completed,
        }


class IntakeLoad:
    """Simulated citizens posting to a service's webhook and the answers they get.

    Args:
        fake: The fake Bot API the service's bot talks to.
        poster: Posts updates to the service's webhook.
        flow: ``file`` (the five-step filing flow) or ``which`` (one-shot queries).
        first_user_id: Telegram id of the first simulated citizen.
    """

    def __init__(
        self,
        fake: FakeBotApi,
        poster: WebhookPoster,
        flow: str = "file",
        first_user_id: int = FIRST_CITIZEN_ID,
    ) -> None:
        if flow not in ("file", "which", "text"):
            raise ValueError("flow is 'file', 'which' or 'text'")
        self.fake = fake
        self.poster = poster
        self.flow = flow
        self._ids = itertools.count(first_user_id)
        self._texts = itertools.count()
        self.citizens: dict[int, _Citizen] = {}
        self.idle: deque[_Citizen] = deque()
        self._seen = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._result: IntakeResult | None = None
        self._last_answer = 0.0
        self._changed = asyncio.Event()

    # ------------------------------------------------------------------ the citizens

    def _new_citizen(self) -> _Citizen:
        uid = next(self._ids)
        citizen = _Citizen(self.fake.user(uid, f"群众{uid % 100000}"))
        self.citizens[uid] = citizen
        return citizen

    def _text(self) -> str:
        n = next(self._texts)
        return f"{TEXTS[n % len(TEXTS)]}（第{n}次反映）"

    def _next_update(self, citizen: _Citizen) -> dict[str, Any]:
        user = citizen.user
        if self.flow == "text":
            return update_of(self.fake, user.send_text(self._text()))
        if self.flow == "which":
            return update_of(self.fake, user.send_text(f"/which {self._text()}"))
        step = citizen.step
        if step == 0:
            return update_of(self.fake, user.send_text(self._text()))
        if step == 1:
            proposal = citizen.proposal
            assert proposal is not None
            data = proposal.callback_data("提交")
            action = self.fake.press_button(user.id, proposal.message_id, data)
            return callback_update(self.fake, action, user.profile, proposal.message_id, data)
        try:
            action = user.press_reply_button("跳过")
        except KeyError:
            action = user.send_text("跳过")
        return update_of(self.fake, action)

    def _answer_matches(self, citizen: _Citizen, message: ChatMessage) -> bool:
        if self.flow == "text":
            return True  # the first answer the citizen sees (the echo bot's echo, too)
        if self.flow == "which":
            return "办理部门" in message.content or "未能" in message.content
        return FILE_ANSWERS[citizen.step](message)

    def _on_answer(self, citizen: _Citizen, message: ChatMessage) -> None:
        pending = citizen.pending
        assert pending is not None
        run = pending.run
        run.latencies.append(message.sent_at - pending.posted_at)
        run.answered += 1
        if run is self._result:
            self._last_answer = max(self._last_answer, message.sent_at)
        citizen.pending = None
        if self.flow == "file":
            if citizen.step == 0:
                if _has_button(message, "提交"):
                    citizen.proposal = message
                    citizen.step = 1
                else:  # unsure: the citizen describes the next problem instead
                    citizen.step = 0
            elif citizen.step == FILE_STEPS - 1:
                citizen.step = 0
                citizen.filings += 1
                run.filings_completed += 1
            else:
                citizen.step += 1
        if self.flow != "text":  # a text-flow citizen sends one description only
            self.idle.append(citizen)
        self._changed.set()

    def _scan(self) -> None:
        """Match the bot's new messages with the citizens waiting for an answer."""
        sent = self.fake.sent_messages()
        for message in sent[self._seen :]:
            citizen = self.citizens.get(message.chat_id)
            if citizen is None or citizen.pending is None:
                continue
            if message.version > citizen.pending.version and self._answer_matches(citizen, message):
                self._on_answer(citizen, message)
        self._seen = len(sent)

    async def _watch(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self._scan()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.005)
        self._scan()

    async def _post(self, update: dict[str, Any], run: IntakeResult) -> None:
        status = await self.poster.post(update)
        if not 200 <= status < 300:
            run.post_errors += 1

    def _send_one(self) -> None:
        citizen = self.idle.popleft() if self.idle else self._new_citizen()
        version = self.fake.version
        update = self._next_update(citizen)
        run = self._result
        assert run is not None
        citizen.pending = _Pending(
            citizen.step, version, time.monotonic(), update["update_id"], run
        )
        run.posted += 1
        task = asyncio.create_task(self._post(update, run))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # ------------------------------------------------------------------ a run

    async def run(
        self,
        rate: float,
        duration: float,
        grace: float = 30.0,
        progress: Callable[[str], None] | None = None,
    ) -> IntakeResult:
        """Offer ``rate`` updates a second for ``duration`` seconds, then wait for answers.

        Args:
            rate: Updates per second offered.
            duration: Seconds of sending.
            grace: Seconds to wait after the last send for outstanding answers.
            progress: Called with a line of progress now and then.

        Returns:
            The run's figures.
        """
        result = IntakeResult(rate=rate, duration_s=duration, flow=self.flow)
        self._result = result
        # Citizens left waiting by an earlier run are not reused.
        if self.flow != "text":  # a text-flow citizen is never reused
            self.idle = deque(c for c in self.citizens.values() if c.pending is None)
        stop = asyncio.Event()
        watcher = asyncio.create_task(self._watch(stop))
        loop = asyncio.get_running_loop()
        total = max(1, int(rate * duration))
        started = loop.time()
        first_post = time.monotonic()
        next_report = started + 10
        try:
            for i in range(total):
                target = started + i / rate
                delay = target - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                self._send_one()
                if progress is not None and loop.time() >= next_report:
                    next_report += 10
                    progress(
                        f"  {i + 1}/{total} posted, {result.answered} answered, "
                        f"{len(self.citizens)} citizens"
                    )
            result.send_window_s = time.monotonic() - first_post
            deadline = loop.time() + grace
            while result.answered < result.posted and loop.time() < deadline:
                self._changed.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), 0.5)
            if self._tasks:
                await asyncio.wait(set(self._tasks), timeout=10)
        finally:
            stop.set()
            await watcher
        result.answer_window_s = max(0.0, self._last_answer - first_post)
        result.citizens = len(self.citizens)
        return result


def format_result(label: str, figures: dict[str, Any]) -> str:
    """One human line for an intake run."""
    return (
        f"{label}: offered {figures['offered_rate_per_s']}/s for {figures['duration_s']} s "
        f"({figures['flow']}): posted {figures['posted']}, answered {figures['answered']}, "
        f"lost {figures['lost']}, post errors {figures['post_errors']}; latency p50 "
        f"{figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms, max "
        f"{figures['max_ms']} ms; throughput {figures['throughput_answered_per_s']} answered/s"
        + (
            f"; service CPU {figures['serve_cpu_pct_of_one_core']}% of a core, "
            f"{figures.get('cpu_ms_per_update')} ms per update"
            if "serve_cpu_pct_of_one_core" in figures
            else ""
        )
    )
