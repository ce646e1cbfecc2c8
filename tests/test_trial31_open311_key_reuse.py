"""Trial 31 #10: an ``Idempotency-Key`` reused with another request answered the first one.

A partner posted 路灯坏了三天 with ``Idempotency-Key: abc1``, then, with the same key, a
fire with people trapped and a knife attack: each got 201 with the street-light case's
number, and neither was filed. Now a retry with the same fields still answers the first
request; the same key with another ordinary request is refused 422 with a message that
names the key and the first request (nothing filed); the same key with a danger report
files it (a danger report is never dropped), with the emergency line first.
"""

from __future__ import annotations

from tests.emergencykit import tells_to_call
from tests.open311kit import URL, Open311Api
from tests.test_open311 import api  # noqa: F401 (fixture)

LAMP = {"description": "路灯坏了三天", "address_string": "和平路"}


async def test_a_key_reused_with_another_request_is_refused_or_files_danger(
    api: Open311Api,  # noqa: F811
) -> None:
    headers = {"Idempotency-Key": "abc1"}
    first = await api.client.post(URL, data={"api_key": api.key, **LAMP}, headers=headers)
    assert first.status == 201
    lamp = (await first.json())[0]["service_request_id"]

    # A retry of the same request: the same answer, nothing filed again.
    again = await api.client.post(URL, data={"api_key": api.key, **LAMP}, headers=headers)
    assert again.status == 201
    assert (await again.json())[0]["service_request_id"] == lamp
    assert await api.case_count() == 1

    # The same key with another ordinary request: 422, named, nothing filed.
    other = {"description": "小区垃圾三天没人清运", "address_string": "和平路"}
    refused = await api.client.post(URL, data={"api_key": api.key, **other}, headers=headers)
    assert refused.status == 422
    [error] = await refused.json()
    assert "Idempotency-Key" in error["description"] and lamp in error["description"]
    assert "未登记" in error["description"]
    assert await api.case_count() == 1

    # The same key with a fire: filed as a new request, the emergency line first.
    fire = {"description": "小区门口着火了有人被困", "address_string": "和平路"}
    filed = await api.client.post(URL, data={"api_key": api.key, **fire}, headers=headers)
    assert filed.status == 201, await filed.text()
    [answer] = await filed.json()
    number = answer["service_request_id"]
    assert number != lamp
    assert tells_to_call(answer["service_notice"], "119")
    assert lamp in answer["service_notice"]  # the partner learns its key was reused
    case = await api.case(number)
    assert case.original_text == fire["description"]
    assert case.severity == "critical"
    # Its own retry is still filed once.
    retry = await api.client.post(URL, data={"api_key": api.key, **fire}, headers=headers)
    assert (await retry.json())[0]["service_request_id"] == number
    # A knife attack to the police under the same key is filed too.
    knife = {"service_code": "police", "description": "有人拿刀砍人"}
    knifed = await api.client.post(URL, data={"api_key": api.key, **knife}, headers=headers)
    assert knifed.status == 201
    assert (await knifed.json())[0]["service_request_id"] not in (lamp, number)
    assert await api.case_count() == 3
