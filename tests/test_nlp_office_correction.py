"""A reply to an office proposal that corrects the office, or says more (dfx21)."""

from __future__ import annotations

import pytest

from nlp.office_correction import MAX_CORRECTION, is_office_correction

CORRECTIONS = [
    "不对",
    "不是这个部门",
    "换一个",
    "换一个部门",
    "换个部门吧",
    "部门不对",
    "部门选错了",
    "分错部门了",
    "搞错了",
    "不是",
    "不是这里管的",
    "这个不归你们管",
    "不是住建局的事",
    "不对，应该是劳动局",
    "应该找城管",
    "不是這個部門",
    "換一個",
]
DETAILS = [
    "地址是和平路3号",
    "漏水三天了",
    "物业不管",
    "没人管",
    "找了社区也不管",
    "不是一天两天了",
    "不对劲，水越来越大",
    "不对，水还在漏",
    "不是漏水，是渗水",
    "不对，是3号楼不是5号楼",
    "我不是本地人",
    "应该是上周开始的",
    "要找老板要钱",
]


@pytest.mark.parametrize("text", CORRECTIONS)
def test_a_correction_of_the_office(text: str) -> None:
    assert is_office_correction(text)


@pytest.mark.parametrize("text", DETAILS)
def test_a_detail_is_no_correction(text: str) -> None:
    assert not is_office_correction(text)


def test_a_long_message_is_no_correction() -> None:
    text = "不对不对，" + "这个" * MAX_CORRECTION
    assert not is_office_correction(text)
    assert not is_office_correction("") and not is_office_correction("，。")
