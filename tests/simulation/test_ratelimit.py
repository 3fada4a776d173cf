"""The rolling-window rate limiter and its vendor-specific 429 answers."""

from __future__ import annotations

import json

from adapters.simulation import LimitState, RateLimiter, SimRequest, SimResponse


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def request(client: str = "10.0.0.1") -> SimRequest:
    return SimRequest(method="GET", path="/x", client=(client, 5000))


def test_window_rolls_and_429_says_when_to_retry() -> None:
    clock = Clock()
    limiter = RateLimiter(3, 10.0, clock=clock)
    for step in range(3):
        clock.now = step
        assert limiter.check(request()) is None
    clock.now = 4.0
    refused = limiter.check(request())
    assert refused is not None and refused.status == 429
    assert dict(refused.headers)["Retry-After"] == "6"  # the first hit leaves at t=10
    assert limiter.check(request("10.0.0.2")) is None  # keys are separate
    clock.now = 10.0  # the hit at t=0 has left the window; refusals never counted
    assert limiter.check(request()) is None
    assert limiter.check(request()) is not None


async def test_wrapped_handler_carries_the_vendors_headers_and_body() -> None:
    clock = Clock()

    def refused(state: LimitState) -> SimResponse:
        return SimResponse.json({"error": "rate limited", "limit": state.limit}, status=429)

    limiter = RateLimiter(
        2,
        60.0,
        key=lambda r: "tenant",
        refused=refused,
        every_answer_headers=lambda s: (("X-RateLimit-Remaining", str(s.remaining)),),
        clock=clock,
    )
    served: list[str] = []

    def handler(req: SimRequest) -> SimResponse:
        served.append(req.path)
        return SimResponse.json({"ok": True})

    wrapped = limiter.wrap(handler)
    first = await wrapped(request())
    assert dict(first.headers)["X-RateLimit-Remaining"] == "1"
    second = await wrapped(request())
    assert dict(second.headers)["X-RateLimit-Remaining"] == "0"
    third = await wrapped(request("10.9.9.9"))
    assert third.status == 429
    assert json.loads(third.body_bytes()) == {"error": "rate limited", "limit": 2}
    assert dict(third.headers) == {"X-RateLimit-Remaining": "0", "Retry-After": "60"}
    assert served == ["/x", "/x"]
