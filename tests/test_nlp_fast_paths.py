"""Shortcuts of the classifier's hot path give the answers of what they replace: clause
and sentence bounds found by two searches, head counts read again, normalisation
steps skipped when a search in C finds nothing they could change."""

from __future__ import annotations

import random

from nlp.clauses import SENTENCE_ENDS, clause_around, sentence_of
from nlp.features import message_features, whole_words
from nlp.headcount import head_count, head_counts
from nlp.normalize import _NOISE_RE, _NOISE_START_RE, danger_text, normalize
from nlp.segment import cut

_CLAUSE_ENDS = "，。；！？、,.;!? \n"


def _clause_by_finds(text: str, start: int) -> str:
    """``clause_around`` as written until stop 27: one ``find`` per separator."""
    lo = max(text.rfind(c, 0, start) for c in _CLAUSE_ENDS) + 1
    his = [text.find(c, start) for c in _CLAUSE_ENDS]
    hi = min((h for h in his if h >= 0), default=len(text))
    return text[lo:hi]


def _sentence_by_finds(text: str, start: int, end: int) -> tuple[int, int]:
    """``sentence_of`` as written until stop 27."""
    lo = max(text.rfind(c, 0, start) for c in SENTENCE_ENDS) + 1
    his = [text.find(c, end) for c in SENTENCE_ENDS]
    hi = min((h for h in his if h >= 0), default=len(text))
    return lo, hi


def test_bounds_match_the_per_separator_definitions() -> None:
    # Every separator, Chinese characters, a letter and a character outside the
    # BMP (a four-byte string), at every place including negative ones.
    alphabet = [*"有人着火了我们", *_CLAUSE_ENDS, *SENTENCE_ENDS, "\U0001f600", "a"]
    rng = random.Random(27)
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        for start in range(-len(text) - 2, len(text) + 3):
            end = start + rng.randint(0, 3)
            assert clause_around(text, start) == _clause_by_finds(text, start), (text, start)
            assert sentence_of(text, start, end) == _sentence_by_finds(text, start, end), (
                text,
                start,
                end,
            )


def test_bounds_of_a_letter_sentence() -> None:
    text = "小区门口堵了三天。今天上午，三百多名业主聚集在售楼部！没人管"
    at = text.index("三百")
    assert clause_around(text, at) == "三百多名业主聚集在售楼部"
    lo, hi = sentence_of(text, at, at + 2)
    assert text[lo:hi] == "今天上午，三百多名业主聚集在售楼部"
    lo, hi = sentence_of(text, text.index("没人"), text.index("没人") + 2)
    assert text[lo:hi] == "没人管"


def test_head_counts_read_again_are_the_same_and_not_shared() -> None:
    text = "现有住户522户，人口约2400人，我们几百户居民将依法组织到政府进行上访"
    first = head_counts(text)
    assert [v for v, _, _ in first] == [522, 2400, 300]
    first.clear()  # a caller's list is its own: the next reader gets every count
    assert [v for v, _, _ in head_counts(text)] == [522, 2400, 300]
    assert head_count(text) == (2400, text.index("2400人") + len("2400人"))
    assert head_counts("今天没人来") == []


def test_noise_start_covers_every_character_a_url_or_pictograph_starts_with() -> None:
    # _NOISE_RE ignores case: whatever folds to h or w (or is a pictograph) must be
    # in the search that decides whether it runs at all.
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        starts = any(_NOISE_RE.match(ch + rest) for rest in ("", "ttp://a", "ttps://a", "ww.a"))
        if starts:
            assert _NOISE_START_RE.match(ch), hex(cp)


def test_normalize_still_removes_urls_emoji_and_whitespace_runs() -> None:
    assert normalize("看 HTTPS://x.cn/a?b=1 这里\U0001f600😀好") == "看 这里 好"
    assert normalize("第一行  \r\n\n  第二行\t\t末尾 ") == "第一行\n第二行 末尾"
    assert normalize("没有空格也没有网址") == "没有空格也没有网址"


def test_danger_text_from_the_classifiers_normalised_text_is_the_same() -> None:
    # classify() hands danger_text the text it normalised for its words; the answer
    # is what danger_text finds on its own, markup, long texts and traditional script included.
    long = "物业不管，" * 700 + "现在楼下有人拿刀砍人"
    for text in (
        "我家煤氣泄漏了，快來人",
        "下水道堵了<img src=x onerror=alert(1)>，有人被困",
        "  第一行\r\n\n  第二行\t有人晕倒  ",
        long,
        "网址 https://x.cn/a 打不开 😀",
    ):
        assert danger_text(text, normalize(text)) == danger_text(text), text
    assert danger_text(long).endswith("现在楼下有人拿刀砍人")


def test_whole_words_of_a_message_with_a_lead_are_its_cut_words() -> None:
    # The reasons shown read the words message_features cut (title and body kept
    # together); they are the whole words of both parts, as a fresh cut gives them.
    texts = [
        "小区门口的路灯坏了好几个月了，晚上出门很不方便，老人孩子经常摔倒，物业说不归他们管，社区也说没有钱，希望有关部门尽快派人来修好",
        "标题：楼上漏水\n楼上卫生间漏水已经一个月了，物业一直不管，墙皮都泡掉了",
        "公司拖欠我三个月工资不发，老板一直找借口，我们十几个工人都没拿到钱，去公司找过好几次都没人管，打电话也不接，希望劳动部门帮帮我们",
    ]
    for text in texts:
        norm = normalize(text)
        assert "\n" in norm or len(norm) > 60, text  # a title line or a lead, and a body
        message_features(norm, 2.0, 30)
        head, body = (norm[:30], norm[30:]) if "\n" not in norm else norm.split("\n", 1)
        assert whole_words(norm, 30) == frozenset(cut(head)) | frozenset(cut(body)), text
