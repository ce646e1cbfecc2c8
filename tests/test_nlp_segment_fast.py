"""nlp.segment.cut gives exactly jieba's own ``lcut(text, HMM=False)`` tokens."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from nlp import classify, normalize
from nlp.segment import cut, tokenizer

DATA = Path(__file__).parent / "data"


def _jieba(text: str) -> list[str]:
    return list(tokenizer().lcut(text, HMM=False))


def _texts() -> list[str]:
    out: list[str] = []
    for path in sorted(DATA.glob("*.tsv")):
        with path.open(encoding="utf-8") as f:
            rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        for row in rows[1:]:
            if row and any("\u4e00" <= ch <= "\u9fff" for ch in row[0]):
                out.append(row[0])
    return out


def test_every_test_message_segments_as_jieba_does() -> None:
    classify("路灯坏了")  # the lexicon's phrases are in the dictionary, as in service
    texts = _texts()
    assert len(texts) > 1000
    differ = [t for t in texts for v in (t, normalize(t)) if cut(v) != _jieba(v)]
    assert differ == []


def test_letters_digits_symbols_and_spaces_segment_as_jieba_does() -> None:
    for text in (
        "",
        " ",
        "C++和C#程序员3.5%的工资涨了",
        "我在ABC公司上班, 工号A12345 \r\n 明天10点见",
        "红绿灯-坏了_两天 ~ 《通知》……",
        "a b\tc\u3000d",
        "😀路灯坏了😀😀",
        "1号楼2单元301室",
    ):
        assert cut(text) == _jieba(text), text


_ALPHABET = st.sampled_from(
    list("路灯坏了小区物业费拖欠工资宅基地征地补偿法院判决执行的了是在有人打架着火")
    + list("abcXYZ019+#&._%- \n\t，。！？、")
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_any_text_segments_as_jieba_does(text: str) -> None:
    assert cut(text) == _jieba(text)
