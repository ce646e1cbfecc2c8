"""Questions about the service itself, not a matter to file (stop 35 D14).

你们是干什么的, 怎么用, 能办什么, 群众服务中心在哪里, 你们几点下班, 你们的电话是多少 ask
what the bot is, how to use it or how to reach the centre: they deserve a short help
text with the menu, never a bureau or a 提交 button. Only a message that is such a
question as a whole is one (社保中心在哪里 names another office; 我家楼下路灯坏了怎么办 is a
request).
"""

from __future__ import annotations

import re

from nlp.normalize import normalize

__all__ = ["about_service"]

_PUNCT = re.compile(r"[\s\W_]+")
_LEAD = r"(?:你好|您好)?(?:请问|问一下|想问一下|想问下|我想问一下|我想问)?"
_WE = r"(?:你们|你|您|这个?(?:机器人|助手|平台|号|公众号|服务)?|这里|本平台|群众服务中心|服务中心)"
_TAIL = r"[啊呀呢吗么哈啦的]*"
_QUESTIONS = (
    # 你们是干什么的, 你是谁, 这是什么
    rf"{_WE}(?:是|都是)?(?:干什么|做什么|干嘛|干啥|做啥|管什么|管啥)(?:用)?的?",
    rf"{_WE}是(?:谁|什么|啥|哪个单位|什么单位|什么部门)",
    # 能办什么, 你们可以做什么, 能帮我做什么
    rf"{_WE}?(?:能|可以|会|都能|都可以)(?:办|做|干|帮我?(?:做|办|干)?|受理|处理)(?:什么|哪些|啥)(?:事|事情|业务|问题)?",
    # 怎么用, 这个怎么使用
    rf"{_WE}?(?:要|该|应该)?(?:怎么|如何|咋|怎样)(?:用|使用|操作|用法)",
    r"(?:使用方法|使用说明|帮助|用法)(?:是什么)?",
    # 群众服务中心在哪里, 你们的地址
    rf"{_WE}(?:的)?(?:地址|办公地点|位置)?(?:在哪|在哪里|在哪儿|在什么地方|是哪里|是什么|是多少)?",
    # 你们的电话是多少
    rf"{_WE}(?:的)?(?:电话|联系电话|热线|电话号码|联系方式)(?:是多少|多少|是什么|是啥)?",
    # 你们几点下班, 上班时间
    rf"{_WE}(?:几点|什么时候|啥时候|哪天)(?:上班|下班|开门|关门|办公)",
    rf"{_WE}?(?:的)?(?:上班|办公|工作)时间(?:是什么|是几点|是多少)?",
)
_QUESTION_RE = re.compile(rf"{_LEAD}(?:{'|'.join(_QUESTIONS)}){_TAIL}")
#: A bare subject (你们, 服务中心) asks nothing.
_BARE_RE = re.compile(rf"{_LEAD}{_WE}{_TAIL}")


def about_service(text: str) -> bool:
    """Whether ``text`` as a whole asks about the service (what it does, how to use it,
    where and when the centre is, its phone).

    >>> about_service("群众服务中心在哪里？")
    True
    >>> about_service("你们是干什么的")
    True
    >>> about_service("社保中心在哪里")
    False
    >>> about_service("我家楼下路灯坏了怎么办")
    False
    """
    core = _PUNCT.sub("", normalize(text[:200]).lower())
    if not core or len(core) > 24:
        return False
    return _QUESTION_RE.fullmatch(core) is not None and _BARE_RE.fullmatch(core) is None
