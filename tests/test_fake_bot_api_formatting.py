"""The fake Bot API's text formatting: HTML, MarkdownV2 and Markdown parsed into text and
entities as Telegram does.
"""

from __future__ import annotations

import pytest

from bot.fakeapi.formatting import EntityParseError, parse_text


@pytest.mark.parametrize(
    ("text", "mode", "plain", "entities"),
    [
        ("<b>粗</b>和<i>斜</i>", "HTML", "粗和斜", [("bold", 0, 1), ("italic", 2, 1)]),
        ("😀<u>a</u>", "HTML", "😀a", [("underline", 2, 1)]),
        ('<a href="https://x.cn">链接</a>', "HTML", "链接", [("text_link", 0, 2)]),
        ('<pre><code class="language-py">x</code></pre>', "HTML", "x", [("pre", 0, 1)]),
        ("*粗* _斜_ __下__ ~删~ ||隐||", "MarkdownV2", "粗 斜 下 删 隐", None),
        (r"1\. 事项 \(二\)", "MarkdownV2", "1. 事项 (二)", []),
        ("[链接](https://x.cn/a\\)b)", "MarkdownV2", "链接", [("text_link", 0, 2)]),
        ("`co*de`", "MarkdownV2", "co*de", [("code", 0, 5)]),
        (">引用\n正文", "MarkdownV2", "引用\n正文", [("blockquote", 0, 2)]),
        ("*粗* _斜_", "Markdown", "粗 斜", [("bold", 0, 1), ("italic", 2, 1)]),
    ],
)
def test_parse_modes(
    text: str, mode: str, plain: str, entities: list[tuple[str, int, int]] | None
) -> None:
    got_plain, got_entities = parse_text(text, mode)
    assert got_plain == plain
    if entities is not None:
        assert [(e["type"], e["offset"], e["length"]) for e in got_entities] == entities
    else:
        assert len(got_entities) == 5


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("<b>x", "HTML"),
        ("<x>y</x>", "HTML"),
        ("a.b", "MarkdownV2"),
        ("*x", "MarkdownV2"),
        ("_x", "Markdown"),
    ],
)
def test_parse_errors(text: str, mode: str) -> None:
    with pytest.raises(EntityParseError):
        parse_text(text, mode)


def test_entity_dict_shape_for_text_link() -> None:
    _, entities = parse_text('<a href="https://x.cn">a</a>', "HTML")
    assert entities == [{"type": "text_link", "url": "https://x.cn", "offset": 0, "length": 1}]
