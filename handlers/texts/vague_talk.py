"""Citizen texts of the vague and elderly paths (:mod:`handlers.vague_talk`)."""

from __future__ import annotations

#: A first vague message (an opening only): where and what.
VAGUE_FIRST = "请具体说说遇到了什么问题：发生在哪里、什么事？"
#: 啥意思？ at a proposal.
PROPOSAL_EXPLAINED = (
    "我是说：您反映的事，我猜可能由上面列出的部门办理，但还没有登记。您可以：\n"
    "· 点上面的部门按钮，选一个部门；\n"
    "· 拿不准就点「交由工作人员分派」，工作人员会帮您找对部门；\n"
    "· 也可以再多说一两句是什么事（比如：什么钱、谁该给），我再帮您看。"
)


def vague_again(words: list[str]) -> str:
    """A vague answer after a vague opening: what was heard, then a different question."""
    heard = "，".join(words)
    head = f"好的，记下了：「{heard}」。" if heard else "好的。"
    return (
        head + "请再说说是什么事？比如：漏水、噪音、邻里纠纷、工资、补贴、证件……"
        "一句话说说就行，不用很完整。"
    )
