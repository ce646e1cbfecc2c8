"""Citizen texts of media sent at the where / contact step (:mod:`handlers.step_media`)."""

from __future__ import annotations

CONTACT_KEPT = "已记下您分享的联系电话，会随问题一起提交（到“联系方式”一步可直接点「跳过」）。"
LOCATION_KEPT = "已记录位置，将作为事发地点一并提交。"


def photo_kept(count: int, caption: str | None) -> str:
    """A photo at the where / contact step: kept with the draft."""
    said = f"收到照片，已附在正在填写的问题上（共{count}张），会随问题一起提交。"
    if caption:
        short = caption if len(caption) <= 40 else caption[:40] + "…"
        said += f"照片说明「{short}」已补充到问题描述。"
    return said


def not_taken(label: str, *, voice: bool) -> str:
    """A sticker, voice message, file … at the where / contact step: not taken."""
    said = f"收到{label}，但这一步无法记录{label}，没有保存；问题草稿仍在，请按下面的提示继续。"
    if voice:
        said += "\n暂时无法识别语音。如有危险，请立即拨打 110（报警）、119（火警）、120（急救）。"
    return said
