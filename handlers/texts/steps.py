"""Citizen texts of the filing steps' guards: drafts kept, stray input, emergencies.

Used by :mod:`handlers.request_guard` and :mod:`handlers.emergency_steps`.
"""

from __future__ import annotations

from telegram import KeyboardButton, ReplyKeyboardMarkup

from handlers.texts.common import SEND_LOCATION_LABEL, SKIP_LABEL, UI

#: Data of the buttons after /start during filing: go on with the draft, or drop it.
RESUME = UI + "resume"
DISCARD = UI + "discard"


def draft_kept(text: str) -> str:
    """/start while a problem is being filed: nothing is thrown away without asking."""
    short = text if len(text) <= 60 else text[:60] + "…"
    return f"您有一个尚未提交的问题：「{short}」\n草稿已保留。是否放弃当前草稿？"


RESUME_LABEL = "继续提交"
DISCARD_LABEL = "放弃草稿"
DRAFT_DISCARDED = "已放弃未提交的问题，没有登记。"


def first_discarded(second: str) -> str:
    """放弃草稿 on the first matter of a 分开登记: the second one is still offered."""
    shown = second if len(second) <= 40 else second[:40] + "…"
    return (
        f"已放弃这件事，没有登记。您说的另一件事（{shown}）还没有登记，下面接着为它选择部门；"
        "不需要的话，发送「算了」即可。"
    )


NOTHING_TO_RESUME = (
    "这个问题已经不在填写中了。发送 /status 查看已提交的问题，或直接发送新的问题描述。"
)

#: Words typed for the proposal's 提交 (elderly users type what they see, trial 26 T9).
SUBMIT_WORDS = frozenset({"提交", "確認", "确认", "确定", "確定", "提交问题", "提交問題"})
#: The 继续提交 button's label typed (trial 27 N6).
RESUME_WORDS = frozenset({"继续提交", "繼續提交", "继续", "繼續", "继续填写"})
#: 提交 / 确认 / 继续提交 typed with nothing waiting to be submitted.
NOTHING_TO_SUBMIT = (
    "现在没有等待提交的问题。如需反映问题，请直接发送问题描述；发送 /status 查看已提交的问题。"
)
#: 提交 typed while the proposal offers offices to choose from, not 提交.
CHOOSE_OFFICE_FIRST = (
    "请先在上面的问题下方点选一个部门，或点「交由工作人员分派」，然后就可以提交了。"
)


def draft_replaced(text: str, in_steps: bool) -> str:
    """A new description arrived while an earlier one was not submitted: it is kept."""
    short = text if len(text) <= 40 else text[:40] + "…"
    if in_steps:
        return (
            f"提示：您之前正在提交的问题「{short}」还没有提交完，草稿已保留；"
            "需要的话点「继续提交」接着填写。"
        )
    return f"提示：您之前的问题「{short}」还没有提交，已保留；需要的话仍可在它下方点「提交」。"


#: A reply-keyboard label typed or tapped when no step is waiting for it.
STALE_KEYBOARD = (
    "这个按钮已失效（对应的步骤已结束），没有作为问题登记。要反映问题，请直接发送文字描述。"
)

ADDRESS_LABEL = "是地点"
ANOTHER_PROBLEM_LABEL = "是另一个问题"


def address_or_problem(text: str) -> str:
    """The location step got text that reads like a problem, not a place."""
    short = text if len(text) <= 60 else text[:60] + "…"
    return (
        f"您发送的「{short}」看起来像是另一个问题，而不是地点。\n"
        f"请点「{ADDRESS_LABEL}」把它作为本问题的地点，"
        f"或点「{ANOTHER_PROBLEM_LABEL}」：提交本问题后接着处理它。"
    )


def address_or_problem_keyboard() -> ReplyKeyboardMarkup:
    """Reply keyboard of :func:`address_or_problem`."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(ADDRESS_LABEL), KeyboardButton(ANOTHER_PROBLEM_LABEL)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


ANOTHER_PROBLEM_KEPT = "好的，这个问题先记下，提交本问题后接着处理。"

PHONE_DECLINED = "好的，不留电话也可以办理，办理进展会通过本机器人通知您。"
BAD_PHONE_DIGITS = (
    "电话号码位数不对：手机号是以 1 开头的 11 位数字（例如 13800138000），"
    "座机请带区号（例如 0532-83912345）。请重新输入，或点「跳过」。"
)

#: A proposal button of an older problem that is no longer kept anywhere.
OLDER_DRAFT_GONE = (
    "这个问题还没有提交，但它的草稿已不在了（之后又发送了多个新问题）。"
    "如需提交，请重新发送这条问题描述。"
)


def older_draft_resumed(text: str) -> str:
    """An older proposal's button pressed after a newer problem was typed."""
    short = text if len(text) <= 40 else text[:40] + "…"
    return f"已切换到这个问题：「{short}」"


def case_not_yours(number: str) -> str:
    """A case number sent alone that is not one of the sender's cases."""
    return (
        f"没有找到您本人反映的编号为 {number} 的问题（只能查询自己反映的问题）。"
        "发送 /status 查看您反映的全部问题；要反映新的问题，请直接发送文字描述。"
    )


PHOTO_CAPTION_KEPT = "照片已附上（1张），提交时一并登记。"


def photo_caption_added(caption: str) -> str:
    """A photo with a caption at the photo step."""
    short = caption if len(caption) <= 40 else caption[:40] + "…"
    return f"照片说明「{short}」已补充到问题描述。"


# --- danger now: after the emergency line and the filing --------------------------


def crisis_words(hotline: str) -> str:
    """Self-harm: a human sentence and the crisis line, before anything is asked."""
    return (
        "您现在的感受很重要，您并不孤单，我们在。\n"
        f"请拨打心理援助热线 {hotline}（24小时有人接听），或告诉身边信任的人陪着您。"
    )


#: Self-harm with charcoal named (我在家烧炭取暖，想就这样睡过去): the fumes are in the room
#: now; after the crisis line, the one thing to do first (review 35d F2).
CHARCOAL_CARE = "如果屋里正在烧炭，请马上打开门窗通风，离开房间到空气新鲜的地方，不要在屋里待着。"


def crisis_aftercare(hotline: str) -> str:
    """Someone whose self-harm case is over writes again, not of a clear problem
    (我还是很难受): the first contact's words and line again, no department picker."""
    return (
        f"{crisis_words(hotline)}\n如果现在有危险，请立即拨打110或120。\n"
        "如果您想反映生活中其他具体的问题（例如楼上漏水、路灯坏了），"
        "请写明是什么问题、在哪里，我会为您推荐办理部门。"
    )


def emergency_details_prompt(number: str) -> str:
    """One skippable step after a danger-now filing: where, and a number to call back."""
    return (
        f"您的紧急情况已记录（编号 {number}），正在通知工作人员。\n"
        "为了让工作人员尽快找到您、联系上您：请发送您现在所在的地点和手机号"
        "（可以一条发，例如：人民路12号3单元 13800138000），"
        "或点「📍 发送我的位置」。不方便请点「跳过」。"
    )


def emergency_details_keyboard() -> ReplyKeyboardMarkup:
    """Reply keyboard of :func:`emergency_details_prompt`."""
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(SEND_LOCATION_LABEL, request_location=True)],
            [KeyboardButton(SKIP_LABEL)],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def address_corrected(place: str) -> str:
    """The place corrected at the contact step (trial 34 #5)."""
    return f"已将问题地点更正为：{place}。"


def emergency_details_hint(number: str) -> str:
    """Something at the place-and-phone step that is neither (a sticker, 不对 alone)."""
    return (
        f"编号 {number} 已登记，正在通知工作人员。请发送您现在所在的地点和手机号"
        "（可以一条发），或点「📍 发送我的位置」；不方便请点「跳过」。\n"
        "如需更正或补充情况（例如办理部门不对），请直接用文字说明，会补充到该案件。"
    )


def emergency_details_saved(number: str, what: list[str]) -> str:
    """The place / phone is on the case: 「收到位置」 first, what the person checks for."""
    return (
        f"收到{'和'.join(what)}，已将{'和'.join(what)}补充到 {number}，工作人员会尽快与您联系。"
        "情况危急请直接拨打报警电话。"
    )


def emergency_help_asked(number: str, status: str, unit: str, line: str) -> str:
    """Someone asks where the help for their open emergency is (trial 31 #9)."""
    again = f"{line}\n如果情况有变化或仍有危险，请直接再打一次电话。\n" if line else ""
    return (
        f"{again}您的紧急情况（{number}）目前状态：{status}，承办单位：{unit}。"
        "您的问话已经转告工作人员，他们会尽快与您联系。"
    )


def emergency_step_over(number: str) -> str:
    """The place-and-phone step ends because something else was written (no details)."""
    return f"（编号 {number} 已登记，地点和电话以后也可以告诉工作人员。）"


def emergency_skipped(number: str) -> str:
    """跳过 (or nothing usable)."""
    return f"好的。编号 {number} 已登记，工作人员会尽快处理。情况危急请直接拨打报警电话。"


# --- 不是这个部门 / 不对 / 换一个 while a draft is open (dfx21) ----------------------------

#: A place alone (我们小区3号楼) was sent: what happens there? (trial 35 D12)
PLACE_ONLY_ASK = (
    "收到地点。请说说那里出了什么问题（例如：楼道堆满杂物、路灯坏了），我们再为您找到负责的部门。"
)

#: Above the bureau picker a correction of the office opens; the text is not added.
OFFICE_CORRECTION = (
    "好的，您的问题描述保持不变。请选择负责的部门"
    "（点「« 返回」回到原来的建议；如需补充问题情况，请直接发送）："
)
#: Said first when the correction came in a step after 提交 (the step's keyboard goes).
OFFICE_CORRECTION_STEPS = (
    "已暂停填写，先重新选择部门；已填写的内容会保留，选好部门后点「提交」继续。"
)


def typed_back(typed: str) -> str:
    """继续提交 after words read as giving up: what was typed, not lost (review 2 Q10)."""
    return f"您刚才发送的是：「{typed[:200]}」\n如其中有本步骤要填写的内容，请复制后重新发送。"
