"""Trial 34 #22: the sandbox's clock endpoint answered 500 to hours NaN or infinity.

``{"hours": "NaN"}`` and ``{"hours": 1e400}`` (JSON's infinity) are floats that no time
span holds: the endpoint failed with a traceback. Now they get the same 400 as any
other bad value, and the clock does not move. ``minqing sandbox`` as a subprocess.
"""

from __future__ import annotations

from pathlib import Path

import aiohttp

from tests.sandboxkit import running_sandbox

BOUNDS = "hours must be between 0 and 720"


async def test_nan_and_infinity_are_refused_like_any_bad_hours(tmp_path: Path) -> None:
    async with running_sandbox(tmp_path) as url, aiohttp.ClientSession() as http:
        bodies = [
            '{"hours": "NaN"}',
            '{"hours": "nan"}',
            '{"hours": NaN}',
            '{"hours": "Infinity"}',
            '{"hours": "-inf"}',
            '{"hours": 1e400}',
            '{"hours": -1e400}',
            '{"hours": 721}',
        ]
        for body in bodies:
            async with http.post(
                f"{url}sandbox/advance",
                data=body,
                headers={"Content-Type": "application/json"},
            ) as r:
                assert r.status == 400, body
                assert (await r.json()) == {"error": BOUNDS}, body
        # None of them moved the clock: the first good jump is the first hour.
        async with http.post(f"{url}sandbox/advance", json={"hours": 1}) as r:
            assert r.status == 200
            assert (await r.json())["offset_hours"] == 1.0
        async with http.get(f"{url}healthz") as r:
            assert r.status == 200
