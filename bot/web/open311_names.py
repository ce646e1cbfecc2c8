"""Names nothing introduces, and licence plates, masked in public Open311 texts (pf29).

:func:`nlp.personal.mask_person_names` masks a name after 叫 / 名叫 / 姓名 and
姓赵, but leaves a name that nothing introduces (张伟在门口堆垃圾, 王大妈说…), because
jieba's tagger reads ordinary words as names too (红绿灯, 王府井, 张家界 are ``nr``).
A public service request must not name people all the same, so here, for Open311
only (the units' own cards keep the words):

* **A surname with a form of address** (王大妈, 陈师傅, 李经理, 赵阿姨): the surname
  is kept and the rest becomes 某 — 王某, as anonymised Chinese documents write it.
  The surname is one of the common ones (:data:`SURNAMES`), which leaves out the
  characters that also end ordinary words before such a title (向老师反映, 班主任,
  历史老师, 甲方经理).
* **A full name the tagger reads** (张伟, 李建国, 刘芳; 王 / 秀英 split in two): a
  word tagged ``nr`` of two or three characters that starts with a common surname and
  that jieba's dictionary does not know as a common word (:data:`_NAME_FREQ`: the
  tagger calls 许可证, 谢谢, 叶子 and 毛巾 names too) becomes that surname + 某 —
  unless it is one of the ordinary words listed (孙子, 杨柳, 何时…), ends in a place
  word (王府井, 张家界, 向阳路) or is followed by one (小区, 路, 村 …). A famous name
  the dictionary knows well (刘德华) is left.
* **Licence plates** (湘A12345, 粤B·D1234, 京A 12345, 新能源 粤BD12345): the whole
  plate becomes stars, one per character.

Not covered: nicknames (老王, 小李), a name with a rare surname, and a name the
dictionary knows as a common word.
"""

from __future__ import annotations

import re

from nlp.personal import NAME_FLAGS, pos_tagger

__all__ = ["SURNAMES", "mask_bare_names", "mask_plates"]

#: Common single-character surnames (the most frequent ~100), less the characters that
#: end ordinary words before a title: 向老师, 班主任, 历史老师, 甲方经理, 押金老板,
#: 工程老板, 照顾奶奶, 其余老师, 治安队长, 文书记录, 交易所长, 防洪队长, 欠钱老板 …
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
    "杜叶苏魏吕丁沈姜傅钟卢汪戴崔陆廖姚邱夏谭韦贾邹石熊孟秦阎薛侯雷龙段郝孔邵毛万"
    "赖汤尹黎常武乔贺龚庞樊殷施陶翟牛芦季俞章鲁葛覃莫柯裴"
)
#: Forms of address after a surname: 大妈, 师傅, 经理 … (longest first in the pattern).
_TITLES = (
    "大妈",
    "大爷",
    "大娘",
    "大婶",
    "大叔",
    "大哥",
    "大姐",
    "阿姨",
    "阿婆",
    "师傅",
    "老师",
    "医生",
    "大夫",
    "护士",
    "经理",
    "主任",
    "书记",
    "老板",
    "老板娘",
    "队长",
    "站长",
    "所长",
    "村长",
    "组长",
    "科长",
    "局长",
    "院长",
    "老太太",
    "老太",
    "老头",
    "奶奶",
    "爷爷",
    "婆婆",
    "叔叔",
    "婶婶",
)
_SURNAME_CLASS = "[" + "".join(sorted(SURNAMES)) + "]"
_ADDRESSED = re.compile(
    rf"(?P<surname>{_SURNAME_CLASS})(?:"
    + "|".join(sorted(map(re.escape, _TITLES), key=len, reverse=True))
    + r")"
)
#: Ordinary words the tagger reads as names although they start with a surname.
_NOT_NAMES = frozenset(
    {
        "孙子",
        "孙女",
        "杨柳",
        "柳树",
        "朱红",
        "钟楼",
        "何时",
        "何时能",
        "高峰",
        "黄金",
        "金山",
        "江山",
        "高明",
        "文明",
        "方向",
        "石林",
        "龙头",
        "马上",
        "周到",
        "常年",
        "安全",
        "武警",
        "万一",
        "余下",
        "陆续",
        "黎明",
        "雷雨",
        "程度",
        "高中",
        "高速",
        "田园",
        "石头",
        "钱包",
        "毛病",
        "万世",
        "林密",
        "高达",
        "高一",
        "高二",
        "高三",
        "唐氏",
        "许可",
        "谢谢",
        "万家",
        "何以",
        "何原",
        "何存",
        "何在",
        "施之",
        "施工",
        "罗卜",
    }
)
#: A tagged "name" ending in a place word is a place (王府井, 张家界, 向阳路, 金桥村).
_PLACE_END = tuple(
    "路街井界楼村镇山桥湖港园苑庄屯沟湾岭坡寺庙店门场站城河江区县乡里巷弄坊家冲塘渡坪洲厅队堡岗"
)
#: A tagged "name" followed by these is the name of a place or a body (王家小区, 李村).
_PLACE_NEXT = re.compile(
    r"^(?:小区|社区|花园|新村|公司|集团|医院|学校|小学|中学|大学|幼儿园|超市|商场|广场|大道|"
    r"市场|大厦|家园|工地|厂|路|街|村|镇|乡|县|区|市|省|山|河|湖|桥|楼|栋|号)"
)
#: A surname character that ends an ordinary word with the one before it (允许医生,
#: 如何, 提高, 感谢, 设施, 盖章, 分钟 …) starts no name there.
_WORD_ENDS = frozenset(
    {
        "允许",
        "也许",
        "或许",
        "期许",
        "些许",
        "如何",
        "为何",
        "任何",
        "以何",
        "奈何",
        "几何",
        "提高",
        "最高",
        "较高",
        "升高",
        "增高",
        "身高",
        "感谢",
        "多谢",
        "致谢",
        "道谢",
        "凋谢",
        "实施",
        "设施",
        "措施",
        "盖章",
        "公章",
        "文章",
        "规章",
        "印章",
        "千万",
        "百万",
        "一万",
        "上万",
        "数万",
        "分钟",
        "点钟",
        "农田",
        "种田",
        "蛋黄",
        "发黄",
        "枯黄",
        "出马",
        "人马",
        "兵马",
        "大陆",
        "登陆",
        "着陆",
        "内蒙",
        "启蒙",
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "西门",
        "独孤",
        "慕容",
        "公孙",
        "长孙",
        "夏侯",
        "皇甫",
        "尉迟",
    }
)
#: A tagged name is a person's when the dictionary knows it at most this often: the
#: tagger's ordinary words (许可证 351, 谢谢 1089, 叶子 1205, 毛巾 466, 戴帽子 14) are
#: common, a person's name is rare or unknown (张伟 0, 刘建国 3, 李建国 9, 陈建华 3).
_NAME_FREQ = 10
#: The given name after a surname the tagger split off (秀英 18, 桂兰).
_SPLIT_GIVEN_FREQ = 40
#: A Chinese licence plate: province, letter, a separator or not, five or six characters.
_PLATE = re.compile(
    r"(?<![A-Za-z0-9Ａ-Ｚａ-ｚ０-９])"
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]"
    r"\s*[A-Za-zＡ-Ｚａ-ｚ]\s*[·•・.\-－\s]?\s*"
    r"[A-Za-z0-9Ａ-Ｚａ-ｚ０-９]{4,5}[A-Za-z0-9Ａ-Ｚａ-ｚ０-９挂学警港澳]"
    r"(?![A-Za-z0-9Ａ-Ｚａ-ｚ０-９])"
)


def mask_plates(text: str) -> str:
    """``text`` with every licence plate replaced by stars (one per character)."""
    return _PLATE.sub(lambda m: "*" * len(re.sub(r"[\s·•・.\-－]", "", m.group(0))), text)


def mask_bare_names(text: str) -> str:
    """``text`` with surnames-with-a-title and tagged full names as 王某 (see the module)."""
    if not text:
        return text
    out = _ADDRESSED.sub(_addressed, text)
    tagger = pos_tagger()
    freq = tagger.tokenizer.FREQ
    words = [(pair.word, pair.flag) for pair in tagger.cut(out)]
    parts: list[str] = []
    at = 0
    skip = False
    for i, (word, flag) in enumerate(words):
        at += len(word)
        if skip:
            skip = False
            continue
        rest = out[at:]
        before = out[at - len(word) - 1 : at - len(word)]
        if (before + word[:1]) in _WORD_ENDS:
            parts.append(word)
            continue
        if _full_name(word, flag, freq, rest):
            parts.append(word[0] + "某")
            continue
        # The tagger may split a name it does not know: 王 / 秀英, 赵 / 桂兰.
        if word in SURNAMES and flag in NAME_FLAGS and i + 1 < len(words):
            given, given_flag = words[i + 1]
            after = out[at + len(given) :]
            if (
                1 <= len(given) <= 2
                and (word + given)[:2] not in _NOT_NAMES
                and given_flag in (*NAME_FLAGS, "ns")
                and (freq.get(given) or 0) <= _SPLIT_GIVEN_FREQ
                and not given.endswith(_PLACE_END)
                and not _PLACE_NEXT.match(after)
            ):
                parts.append(word + "某")
                at += len(given)
                skip = True
                continue
        parts.append(word)
    return "".join(parts)


def _addressed(match: re.Match[str]) -> str:
    """王大妈 → 王某, unless the surname ends a word with the character before it (允许医生)."""
    start = match.start()
    before = match.string[start - 1 : start] if start else ""
    if before + match.group("surname") in _WORD_ENDS:
        return match.group(0)
    return match.group("surname") + "某"


def _full_name(word: str, flag: str, freq: dict[str, int], rest: str) -> bool:
    """Whether a tagged word is a person's full name (see the module)."""
    return (
        flag in NAME_FLAGS
        and 2 <= len(word) <= 3
        and word[0] in SURNAMES
        and "某" not in word
        and (freq.get(word) or 0) <= _NAME_FREQ
        and word not in _NOT_NAMES
        and word[:2] not in _NOT_NAMES
        and not word.endswith(_PLACE_END)
        and not _PLACE_NEXT.match(rest)
    )
