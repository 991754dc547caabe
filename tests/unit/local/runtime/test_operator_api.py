"""The local stand-in's copy of API Gateway's authorizer result cache: an answer per
Authorization header, for 60 s, and no longer (the bound on revocation)."""

from __future__ import annotations

from local.runtime import operator_api
from local.runtime.operator_api import AUTHORIZER_CACHE_S, AuthorizerCache


def test_an_answer_is_kept_per_header_for_the_ttl_and_then_asked_again(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(operator_api.time, "monotonic", lambda: now[0])
    cache = AuthorizerCache()
    cache.put("Bearer a", {"principal": "a"})
    assert cache.get("Bearer a") == {"principal": "a"} and cache.get("Bearer b") is None
    now[0] += AUTHORIZER_CACHE_S - 0.001
    assert cache.get("Bearer a") == {"principal": "a"}
    now[0] += 0.001
    assert cache.get("Bearer a") is None
    assert AUTHORIZER_CACHE_S == 60


def test_the_oldest_answers_are_forgotten_past_its_size():
    cache = AuthorizerCache(size=2)
    for name in ("a", "b", "c"):
        cache.put(name, {"principal": name})
    assert cache.get("a") is None and cache.get("c") == {"principal": "c"}
