"""The key cache of ``api/auth.py``: a hit still checks the token; entries expire; a revoked key is forgotten."""

from __future__ import annotations

import time

import pytest

from api.auth import KeyCache, hash_token, keys_changed, keys_generation, new_token


@pytest.fixture
def cached():
    cache = KeyCache(ttl=0.3)
    key_id, token, stored = new_token()
    cache.put(key_id, stored, "info", keys_generation())
    return cache, key_id, token, stored


def test_a_cached_key_answers_only_its_own_token(cached):
    cache, key_id, token, _ = cached
    assert cache.get(token) == "info"
    assert cache.get(f"sk_{key_id}_not-the-secret") is None
    assert cache.get("sk_otherid_secret") is None
    assert cache.get("not a token") is None


@pytest.mark.parametrize("forget", ["expiry", "revoked in this process"])
def test_a_cached_key_is_forgotten(cached, forget):
    cache, _, token, _ = cached
    if forget == "expiry":
        time.sleep(0.35)
    else:
        keys_changed()
    assert cache.get(token) is None


def test_a_lookup_that_raced_a_revocation_is_not_cached():
    cache = KeyCache(ttl=30)
    key_id, token, stored = new_token()
    before = keys_generation()  # read before the lookup ...
    keys_changed()  # ... a revocation commits meanwhile
    cache.put(key_id, stored, "info", before)
    assert cache.get(token) is None


def test_ttl_zero_caches_nothing():
    cache = KeyCache(ttl=0)
    key_id, token, stored = new_token()
    cache.put(key_id, stored, "info", keys_generation())
    assert cache.get(token) is None
    assert hash_token(token) == stored
