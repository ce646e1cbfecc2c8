"""Normalisation, masking and segmentation."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp import mask_sensitive, normalize, segment


def test_traditional_becomes_simplified() -> None:
    assert normalize("我們社區的醫院") == "我们社区的医院"


def test_full_width_ascii_becomes_half_width_but_chinese_punctuation_stays() -> None:
    assert normalize("ＡＢＣ１２３＠ｘ，好！") == "ABC123@x，好！"


def test_ideographic_space_collapses() -> None:
    assert normalize("小区\u3000\u3000物业  乱收费") == "小区 物业 乱收费"


def test_urls_emoji_and_control_characters_are_removed() -> None:
    text = "看这里https://example.com/a?b=1😡😡\x00\u200b物业\x07不管👍🏻"
    assert normalize(text) == "看这里 物业不管"


def test_line_breaks_collapse_to_one() -> None:
    assert normalize("  标题\r\n\r\n\n  正文  ") == "标题\n正文"


def test_empty_and_noise_only() -> None:
    assert normalize("") == ""
    assert normalize(" 😀 https://x.cn \t") == ""


def test_mask_mobile_keeps_first_three_and_last_four() -> None:
    assert mask_sensitive("电话13812345678") == "电话138****5678"
    assert mask_sensitive("打+86 138-1234-5678找我") == "打+86 138-****-5678找我"


def test_mask_a_number_followed_by_a_word_that_is_a_numeral() -> None:
    # 一直 / 三天 after the digits made them 12 digits in the numerals' view (pf30).
    assert mask_sensitive("老板电话13812345678一直不接") == "老板电话138****5678一直不接"
    assert mask_sensitive("身份证110105199001011234一张") == "身份证110*************34一张"
    assert mask_sensitive("座机0731-84512345三天没人接") == "座机0731-****2345三天没人接"


def test_mask_landline_keeps_area_code_and_last_four() -> None:
    assert mask_sensitive("座机0731-84512345") == "座机0731-****2345"


def test_mask_identity_number_keeps_first_three_and_last_two() -> None:
    assert mask_sensitive("身份证11010519900101123X。") == "身份证110*************3X。"
    assert mask_sensitive("老证110105900101123") == "老证110**********23"


def test_mask_leaves_other_numbers_alone() -> None:
    text = "订单号12345678901234567890，金额8000元，2023年5月，12345热线"
    assert mask_sensitive(text) == text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_mask_never_leaves_a_mobile_number(prefix: str) -> None:
    masked = mask_sensitive(f"{prefix} 13912345678 ")
    assert "13912345678" not in masked
    assert len(masked) == len(prefix) + 13


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=20), st.text(alphabet="一二三四五六七八九零〇幺直天个不接，。 ", max_size=10)
)
def test_mask_never_leaves_a_mobile_number_between_words(before: str, after: str) -> None:
    # Words after it, numerals among them (一直, 三天): never a digit, which would
    # make it another number.
    masked = mask_sensitive(f"{before}电话13912345678{after}")
    assert "13912345678" not in masked


def test_segment_keeps_domain_terms_whole() -> None:
    tokens = segment("老板拖欠工资，我还想办准生证和宅基地证")
    assert "拖欠工资" in tokens
    assert "准生证" in tokens
    assert "宅基地" in tokens


def _not_called(*_args: object) -> None:
    raise AssertionError("jieba built its dictionary although the cache had it")


def test_prefix_dictionary_cache_matches_jieba_and_survives_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jieba

    from nlp.segment import _load_prefix_dictionary

    cache = tmp_path / "cache" / "minqing"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("MINQING_CACHE", "1")
    reference = jieba.Tokenizer()
    reference.initialize()
    # The first tokenizer builds the dictionary as jieba does and keeps it.
    first = jieba.Tokenizer()
    _load_prefix_dictionary(first)
    assert [e.name for e in cache.glob("jieba-*.marshal")] != []
    # The second reads it back without jieba's loader: the same words, counts
    # and total as jieba's own.
    second = jieba.Tokenizer()
    with monkeypatch.context() as patch:
        patch.setattr(jieba.Tokenizer, "initialize", _not_called)
        _load_prefix_dictionary(second)
    assert second.initialized
    assert second.total == reference.total
    assert second.FREQ == reference.FREQ
    text = "老板拖欠工资三个月，劳动监察大队在哪里"
    assert second.lcut(text, HMM=False) == reference.lcut(text, HMM=False)
    # A damaged entry is rebuilt, never half-read.
    for entry in cache.glob("jieba-*.marshal"):
        entry.write_bytes(entry.read_bytes()[:1000])
    third = jieba.Tokenizer()
    _load_prefix_dictionary(third)
    assert third.FREQ == reference.FREQ


def test_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jieba

    from nlp.segment import _load_prefix_dictionary

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("MINQING_CACHE", "0")
    tok = jieba.Tokenizer()
    _load_prefix_dictionary(tok)
    assert tok.initialized and len(tok.FREQ) > 100_000
    assert not (tmp_path / "cache").exists()


def test_no_home_directory_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    from nlp import diskcache

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("MINQING_CACHE", "1")
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert diskcache.cache_path("lexicon", b"x") is None
    diskcache.store("lexicon", b"x", {"a": 1})
    assert diskcache.load("lexicon", b"x") is None
