"""What passes between the bot and Telegram: updates taken in, the outbox, case cards, state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigId, UserText, utcnow


class InboundUpdate(Base):
    """A Telegram update taken in, kept until the bot has handled it.

    Written before Telegram is told "received" (the webhook's 200, or the next
    ``getUpdates`` offset), so that an update is never lost to a crash: one
    still unhandled when its lease runs out is handed to the bot again. The
    update id also makes a retried webhook delivery a no-op.
    """

    __tablename__ = "inbound_updates"
    __table_args__ = (Index("ix_inbound_updates_pending", "processed_at", "lease_until"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(16), default="webhook")
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    lease_until: Mapped[datetime | None] = mapped_column()
    #: The process holding the lease (``host:pid:boot:pidns``): its successor on the same host
    #: takes the update back at once when that process is gone.
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    processed_at: Mapped[datetime | None] = mapped_column()
    #: Dead-lettered: failed ``attempts`` times for a transient reason, or unparseable.
    dead_at: Mapped[datetime | None] = mapped_column()
    #: Why (an exception type name, never user text).
    last_error: Mapped[str | None] = mapped_column(String(120))


class OutboxMessage(Base):
    """A notification written with the state change that caused it, delivered later."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_chat", "chat_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    #: "message" sends a new message; "card" sends or edits the case card in place.
    kind: Mapped[str] = mapped_column(String(16), default="message")
    text: Mapped[str] = mapped_column(UserText)
    reply_markup: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: Delivery class (storage.outbox.PRIORITY_*): 0 alerts, 1 replies, 2 routine notices.
    priority: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(UserText)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()


class CaseCard(Base):
    """The message that shows a case to one chat, edited in place on every change."""

    __tablename__ = "case_cards"
    __table_args__ = (UniqueConstraint("case_id", "chat_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PersistedState(Base):
    """The bot's conversation state and user/chat data (a PTB persistence)."""

    __tablename__ = "bot_state"
    __table_args__ = (Index("ix_bot_state_kind_key", "kind", "key"),)

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
