"""pf29 defect 5: Open311 masks names that nothing introduces, and licence plates.

Names were masked after 叫 / 姓, but 张伟在门口…, 王大妈说… and the plates 湘A12345,
粤B·D1234 were shown to every key holder in the public service requests. Now a name
reads 张某 / 王某 and a plate is all stars, in the list, the single request and XML;
the case the units read keeps the words.
"""

from __future__ import annotations

from bot.web.open311_names import mask_bare_names, mask_plates
from tests.open311kit import Open311Api
from tests.test_open311 import api  # noqa: F401 (fixture)

DESCRIPTION = (
    "张伟在门口堆了很多建筑垃圾，王大妈说他的车湘A12345天天停在消防通道，"
    "粤B·D1234那辆也是，李建国和刘芳也反映过"
)
SECRETS = ("张伟", "王大妈", "湘A12345", "A12345", "粤B·D1234", "D1234", "李建国", "刘芳")


async def test_bare_names_and_plates_are_masked_in_public_requests(
    api: Open311Api,  # noqa: F811
) -> None:
    number = await api.file(
        service_code="construction",
        description=DESCRIPTION,
        lat="30.27412",
        long="120.15515",
    )
    record, views = await api.public_views(number)
    for shown in views:
        for secret in SECRETS:
            assert secret not in shown, (secret, shown)
    assert record["description"] == (
        "张某在门口堆了很多建筑垃圾，王某说他的车*******天天停在消防通道，"
        "*******那辆也是，李某和刘某也反映过"
    )
    # The units' case keeps the words as written.
    case = await api.case(number)
    assert case.original_text == DESCRIPTION


def test_ordinary_words_and_places_are_left() -> None:
    for text in (
        "张家界的路坏了",
        "王府井小区门口的红绿灯坏了",
        "孙子上学难，向老师反映过",
        "历史老师体罚学生",
        "谢谢您，何时能修好",
        "允许医生私自收费吗",
        "行政许可证在哪办",
        "施工队的工号A12345",
        "电话13912345678",
    ):
        assert mask_bare_names(mask_plates(text)) == text, text


def test_plates_in_their_written_forms() -> None:
    for plate in ("湘A12345", "粤B·D1234", "京A 12345", "沪C8888Q", "粤BD12345"):
        masked = mask_plates(f"车牌{plate}的车")
        assert plate not in masked and masked.startswith("车牌*") and masked.endswith("的车")
