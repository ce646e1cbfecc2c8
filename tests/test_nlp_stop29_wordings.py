"""Stop 29 (branch i13ff): wordings of danger now, and their look-alikes.

Each class of the issue-13 trial failures is shown with wordings written for this test (never a
probe's or a set's sentence), beside look-alikes that must stay silent. The last test guards
probe R (240 ordinary requests, released as tuning data): few rated critical.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nlp.classify import classify
from nlp.emergency import DV_HOTLINE, detect

DATA = Path(__file__).parent / "data"


def _line(text: str) -> tuple[str, ...]:
    found = detect(text)
    return found.services if found is not None else ()


# --- 1. Violence at home, now ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "他又在打我",
        "我老公又开始打我了",
        "老公喝多了用皮带抽我和女儿",
        "我被家暴了，现在躲在卫生间里",
        "男朋友一直在打我，我跑不出去",
        "我爸又喝醉了在打我妈",
        "丈夫拿衣架抽孩子，孩子一直在哭",
    ],
)
def test_violence_at_home_now_is_critical_with_110_first(text: str) -> None:
    found = detect(text)
    assert found is not None and found.services[0] == "110", (text, found)
    assert classify(text).severity == "critical", text


@pytest.mark.parametrize(
    "text", ["我老公又打我了", "我被家暴了", "前夫拿皮带抽我，我现在躲在邻居家"]
)
def test_violence_at_home_names_the_womens_hotline_after_110(text: str) -> None:
    found = detect(text)
    assert found is not None
    assert found.hotline == DV_HOTLINE
    line = found.line
    assert line.index("110") < line.index(DV_HOTLINE), line


def test_a_stranger_beating_gets_no_womens_hotline() -> None:
    found = detect("楼下有两个人在打架，有人拿着刀")
    assert found is not None and found.hotline == ""
    assert DV_HOTLINE not in found.line


@pytest.mark.parametrize(
    "text",
    [
        "去年被家暴过，现在想咨询离婚的事",
        "反家暴法规定的保护令怎么申请",
        "护士抽我的血抽了三管，正常吗",
        "老师扇了我家孩子一个耳光，孩子回家才说，想问问怎么投诉",
        "我儿子因为打架被刑事拘留了，什么时候能见家属",
    ],
)
def test_violence_at_home_look_alikes_get_no_line(text: str) -> None:
    assert detect(text) is None, text


# --- 2. Someone else's talk of suicide ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "我哥经常说想死",
        "我妈这阵子总念叨活着没意思",
        "我表弟昨晚又跟我说他不想活了",
        (
            "我妹妹今年二十六岁，去年研究生没考上以后就一直待在家里，不出门也不上班，"
            "手机也不怎么看，每天就是躺着，爸妈说她几句她就哭，我们全家都很着急，"
            "带她去医院看过一次她也不肯吃药，前两天她跟我妈说活着没意思，昨天晚上她又说她想死"
        ),
    ],
)
def test_someone_elses_talk_of_suicide_is_critical_with_the_line(text: str) -> None:
    found = detect(text)
    assert found is not None and found.kind == "self_harm", (text, found)
    assert {"110", "120"} <= set(found.services)
    assert classify(text).severity == "critical", text


@pytest.mark.parametrize(
    "text",
    [
        "前天说要喝药的那个大妈，今天去看了，她说是气话，情绪稳定了",
        "我爸以前说过不想活了，现在好多了，想问问心理咨询哪里有",
    ],
)
def test_talk_of_suicide_told_over_gets_no_line(text: str) -> None:
    assert detect(text) is None, text


# --- 3. A cry for help at the end of a long message -----------------------------------------


def test_a_cry_for_help_ending_a_long_message_gets_110() -> None:
    text = (
        "我们这栋楼的楼道灯坏了快半年了，晚上黑乎乎的什么都看不见，物业说要等业委会批钱，"
        "业委会说要等物业出方案，两边互相推，老人晚上下楼都得拿手电筒，打了好几次热线也没人来修，"
        "刚才我下楼倒垃圾，有个男的一直跟在我后面。救命"
    )
    assert "110" in _line(text)


# --- 4. A danger retold or feared is no danger now -------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "那天晚上隔壁仓库着火了，烧了一整夜",
        "有一回村里小孩掉进河里了，幸好被人捞上来",
        "那天下午楼下有人拿刀砍人，后来被抓了",
        "楼道里电线乱拉，迟早会着火",
        "河边连个护栏都没有，总有一天会有孩子掉下去",
        "这个危房早晚要塌",
    ],
)
def test_a_danger_retold_or_foretold_is_neither_now_nor_critical(text: str) -> None:
    assert detect(text) is None, text
    assert classify(text).severity != "critical", text


@pytest.mark.parametrize(
    "text",
    [
        "隔壁仓库着火了，火很大",
        "有个小孩掉进河里了",
        "楼下有人拿刀砍人",
        "他迟早会想不开，现在站在楼顶边上",
    ],
)
def test_a_danger_now_keeps_its_line(text: str) -> None:
    assert _line(text), text
    assert classify(text).severity == "critical", text


# --- 5. The paperwork of a death ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["请问死亡登记在几楼办", "老人走了，去哪开死亡医学证明", "户口死亡注销要带什么材料"],
)
def test_the_paperwork_of_a_death_is_no_emergency(text: str) -> None:
    assert detect(text) is None, text
    assert classify(text).severity != "critical", text


def test_a_death_now_keeps_120() -> None:
    assert "120" in _line("工地上有人从楼上摔下来了，好像已经死亡了")


# --- 6. Fallen into a manhole, a well or a pit --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "窨井盖被人偷了，一个小孩掉进去了",
        "村头那口枯井里掉下去一个老人",
        "化粪池盖子碎了，有个男的掉了进去",
    ],
)
def test_fallen_into_a_manhole_gets_119_and_120(text: str) -> None:
    services = _line(text)
    assert "119" in services and "120" in services, (text, services)
    assert classify(text).severity == "critical", text


@pytest.mark.parametrize(
    "text",
    [
        "井盖松了，差点掉进去",
        "路上井盖丢了 晚上好几个人掉进去了 赶紧来修",
        "小区井盖坏了，有个轮子掉进去了",
    ],
)
def test_a_manhole_hazard_gets_no_line(text: str) -> None:
    assert detect(text) is None, text


# --- 7. Past injuries in letters -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        (
            "尊敬的领导：我是本镇居民，前年在镇上的砖厂干活时被机器砸断了手指，厂里当时说好给赔偿，"
            "结果拖了两年一分钱也没给，老板还换了法人，说跟他没关系。我家里上有老下有小，现在干不了重活，"
            "想请劳动部门帮我讨个公道，看看这个赔偿到底应该找谁要。"
        ),
        (
            "您好，我母亲上个月在小区门口被一辆电动车撞倒，摔断了腿，骑车的人跑了，监控也没拍清楚，"
            "派出所说找不到人没办法，现在住院已经花了三万多，我们想问问这种情况能不能申请什么救助，"
            "或者小区物业有没有责任，谢谢。"
        ),
    ],
)
def test_a_past_injury_in_a_letter_gets_no_line(text: str) -> None:
    assert detect(text) is None, text


# --- 8. Ordinary requests -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "我哥因为打架被逮捕了，羁押快一年还没开庭，家属能申请什么",
        "孩子被猥亵的案子已经移送检察院了，我们怎么查进展",
        "镇上那家铸造厂的烟囱一直冒黑烟，衣服都晒不了",
        "旁边有人收旧电瓶拆了卖，酸水流进菜地里，庄稼都黄了",
        "我想在自己家院子里搭个棚子，要不要办许可",
        "上个月孩子半夜发烧去医院，排队排了三个小时",
        "下班时间厂门口的车把路堵死了，能不能多派几个交警",
        "夜里总闻到烧塑料的臭味，窗户都不敢开",
        "我爸骑车摔了住院做了手术，医药费能申请什么救助吗",
    ],
)
def test_ordinary_requests_are_not_critical(text: str) -> None:
    assert classify(text).severity != "critical", text
    assert detect(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "山体滑坡了，埋了一辆车，车里还有人",
        "厂门口被一百多个工人堵死了，现在还在",
        "烟囱旁边冒黑烟，原来是锅炉房着火了",
    ],
)
def test_dangers_beside_those_requests_stay_critical(text: str) -> None:
    assert classify(text).severity == "critical", text


def test_probe_r_rates_few_ordinary_requests_critical() -> None:
    with (DATA / "probe_r_citizen_messages.tsv").open(encoding="utf-8") as f:
        texts = [row["text"] for row in csv.DictReader(f, delimiter="\t")]
    assert len(texts) == 240
    critical = [t for t in texts if classify(t).severity == "critical"]
    # 12 of 240 before stop 29 (docs/severity.md, "Stop 29: wordings"), none after.
    assert critical == []


@pytest.mark.parametrize(
    "text",
    ["小区里私拉电线给电动车充电，迟早会着火", "塔吊吊着钢管从幼儿园上空过，万一掉下来怎么办"],
)
def test_a_harm_foretold_gets_no_line_from_the_model_either(text: str) -> None:
    assert detect(text) is None, text


@pytest.mark.parametrize(
    "text",
    ["我爸出车祸了，现在还在医院昏迷，想问问有没有救助", "刚才我妈被车撞了，躺在路上起不来"],
)
def test_an_accident_still_going_on_stays_critical(text: str) -> None:
    assert classify(text).severity == "critical", text


def test_every_channel_reads_the_same_lines() -> None:
    # bot, web form and Open311 take the line from bot.services.triage.emergency_of.
    from bot.services.triage import emergency_of

    home = emergency_of("老公喝醉了拿皮带抽我和孩子")
    assert home is not None and home.services[0] == "110" and DV_HOTLINE in home.line
    talk = emergency_of("我弟弟经常说想死")
    assert talk is not None and talk.services[0] == "110", talk


# --- A fight or a crime over, asked about ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "上个月有人揍了我弟弟，派出所已经处理过了，想问问医药费找谁要",
        "去年小区里发生过抢劫，现在加了路灯，想问问监控什么时候装",
        "我侄子跟同学打架的事学校已经处理了，请问还要赔钱吗",
    ],
)
def test_a_fight_over_asked_about_is_medium(text: str) -> None:
    assert classify(text).severity == "medium", text
    assert detect(text) is None, text


@pytest.mark.parametrize(
    "text", ["我男朋友喝了酒就打我，上周还把我眼睛打肿了，我现在住在朋友家，想问问怎么办"]
)
def test_violence_between_partners_is_never_lowered_as_over(text: str) -> None:
    assert classify(text).severity in ("high", "critical"), text
