"""Stop 28 (branch i13cc): ordinary requests rated critical by the learned model or a family word.

Probe Q (``probe_q_citizen_messages.tsv``, 240 ordinary requests) and probes O and P are tuning
data: each class below is shown with wordings written for this test, never a probe's sentence,
beside real dangers that must stay critical. The last test guards the probes' counts.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nlp.classify import classify
from nlp.emergency import detect

DATA = Path(__file__).parent / "data"


# --- The model alone, with no family, nobody named, no now word and no harm --------------


@pytest.mark.parametrize(
    "text",
    [
        "印染厂的水排进河道 下游一段河水都变红了",
        "社区诊所挂个号要五十块 比大医院还贵 这正常吗",
        "小区地库每逢大雨必积水 电动车泡坏了好几辆",
        "工地出来的泥头车把路面弄得全是泥 下雨就打滑",
        "楼下饭馆把后墙拆了往外接了一间 占了消防通道",
        "废品站在空地上拆旧电池 地上一滩一滩的酸水",
    ],
)
def test_a_complaint_naming_nobody_harmed_is_not_critical(text: str) -> None:
    assert classify(text).severity != "critical", text
    assert detect(text) is None, text


def test_a_habit_without_harm_is_not_critical_by_the_model() -> None:
    # 天天 tells how things are; a minor on a line is for labour inspection, not 120.
    text = "厂里招了几个十五岁的孩子在车间装配 每天干十一个小时"
    assert classify(text).severity != "critical"
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "工厂排的废气把好几个工人熏倒了",
        "河里漂着死鱼还有人喝了井水住院了",
        "化工厂排的废气熏得人直吐，已经有两个老人送医院了",
        "孩子掉化粪池里了",
        "女生坐到五楼护栏上",
        "冷库那边有人倒在地上不动了",
        "排污沟里掉下去一个小孩",
    ],
)
def test_a_danger_to_people_stays_critical(text: str) -> None:
    assert classify(text).severity == "critical", text


# --- Smoke every day is a chimney's habit, no fire ---------------------------------------


@pytest.mark.parametrize(
    "text",
    ["镇上铸造厂的烟囱每天冒黑烟 衣服都不敢晒", "那个锅炉房经常冒黑烟 能不能管一管"],
)
def test_habitual_black_smoke_is_no_fire(text: str) -> None:
    assert detect(text) is None, text
    assert classify(text).severity != "critical", text


@pytest.mark.parametrize(
    "text", ["楼道里冒黑烟了 有股焦味", "对面仓库冒黑烟 好像着火了", "车库里一辆车在冒黑烟"]
)
def test_black_smoke_now_keeps_the_fire_line(text: str) -> None:
    found = detect(text)
    assert found is not None and "119" in found.services, (text, found)


# --- Dirty water let out is no flood ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["修车铺的脏水直接往下水道倒 流得满街都是", "菜市场的污水直接往雨水管里排 臭得很"],
)
def test_dirty_water_let_out_gets_no_line(text: str) -> None:
    assert detect(text) is None, text
    assert classify(text).severity != "critical", text


@pytest.mark.parametrize(
    "text", ["井盖没了 一个小孩掉进去了", "下雨积水把地下室淹了 老人还困在里面出不来"]
)
def test_people_in_water_keep_the_line(text: str) -> None:
    assert detect(text) is not None, text
    assert classify(text).severity == "critical", text


def test_a_child_in_a_sewer_stays_critical() -> None:
    # 污水 is no nuisance word: only letting dirty water out (直接往…排) is.
    assert classify("污水井盖没了 一个小孩掉进去了").severity == "critical"


# --- The probes' counts (tuning data since stop 28) -------------------------------------

LIMITS = {"o": 6, "p": 2, "q": 3}
"""Critical ratings after branch i13cc (before: 12, 6 and 14)."""


@pytest.mark.parametrize("probe", sorted(LIMITS))
def test_probes_rate_few_ordinary_requests_critical(probe: str) -> None:
    path = DATA / f"probe_{probe}_citizen_messages.tsv"
    with path.open(encoding="utf-8") as f:
        texts = [row["text"] for row in csv.DictReader(f, delimiter="\t")]
    critical = [t for t in texts if classify(t).severity == "critical"]
    assert len(critical) <= LIMITS[probe], critical
