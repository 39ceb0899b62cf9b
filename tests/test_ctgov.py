"""ClinicalTrials.gov client against a real HTTP server on 127.0.0.1 (tests/fake_ctgov.py)."""
from __future__ import annotations

import json
import logging
import socket
import time

import pytest

from actions.ctgov import CtGovClient, CtGovError, parse_studies
from tests.fake_ctgov import FIXTURES, FakeCtGov

BUDGET_LIMIT_S = 3.5  # the product promises 3 s; allow for a slow test machine


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def api(fake_ctgov):
    """The shared fake API (tests/conftest.py), reset to normal answers."""
    fake_ctgov.mode = "ok"
    fake_ctgov.requests.clear()
    return fake_ctgov


def _client(api: FakeCtGov, **kwargs) -> CtGovClient:
    return CtGovClient(api.url, **kwargs)


async def test_recorded_answer_gives_three_recruiting_studies_in_france(api):
    studies = await _client(api).recruiting_studies("breast cancer", sender_id="s1")
    assert [s.nct_id for s in studies] == ["NCT09990001", "NCT09990002", "NCT09990005"]
    assert studies[0].cities == ("Villejuif", "Bordeaux", "Lyon"), "only French sites"
    assert studies[0].city_near({"bordeaux"}) == "Bordeaux"
    assert studies[0].city_near(set()) == "Villejuif"
    (request,) = api.requests
    assert request["path"] == ["/api/v2/studies"]
    assert request["query.cond"] == ["breast cancer"]
    assert request["query.locn"] == ["France"]
    assert request["filter.overallStatus"] == ["RECRUITING"]
    assert request["format"] == ["json"]
    assert 3 <= int(request["pageSize"][0]) <= 10
    assert set(request["fields"][0].split(",")) >= {"NCTId", "BriefTitle", "LocationCity", "LocationCountry"}


async def test_results_are_cached_for_the_ttl(api):
    clock = FakeClock()
    client = _client(api, cache_ttl_s=60, clock=clock)
    first = await client.recruiting_studies("lung cancer")
    second = await client.recruiting_studies("Lung Cancer ")
    assert first == second and len(api.requests) == 1
    clock.now += 61
    await client.recruiting_studies("lung cancer")
    assert len(api.requests) == 2


async def test_empty_results_are_an_empty_list(api):
    api.mode = "empty"
    assert await _client(api).recruiting_studies("mesothelioma") == []


@pytest.mark.parametrize(("mode", "reason"), [("error", "HTTP 500"), ("malformed", "malformed JSON")])
async def test_http_error_and_malformed_json_fall_back(api, caplog, mode, reason):
    api.mode = mode
    with caplog.at_level(logging.WARNING, logger="actions.ctgov"):
        assert await _client(api).recruiting_studies("melanoma", sender_id="user-42") is None
    assert reason in caplog.text and "user-42" in caplog.text


async def test_slow_api_falls_back_within_the_budget(api, caplog):
    api.mode = "slow"
    client = _client(api, budget_s=2.5)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="actions.ctgov"):
        result = await client.recruiting_studies("sarcoma", sender_id="slow-user")
    elapsed = time.monotonic() - started
    assert result is None
    assert elapsed < BUDGET_LIMIT_S, f"fallback took {elapsed:.2f} s"
    assert "timeout" in caplog.text and "slow-user" in caplog.text


async def test_connection_refused_falls_back_quickly(caplog):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="actions.ctgov"):
        result = await CtGovClient(f"http://127.0.0.1:{port}").recruiting_studies("lymphoma", "u1")
    assert result is None
    assert time.monotonic() - started < BUDGET_LIMIT_S
    assert "network error" in caplog.text


async def test_unknown_path_is_an_http_error(api):
    assert await CtGovClient(api.url + "/nowhere").recruiting_studies("leukemia") is None


async def test_after_a_failure_the_api_rests_then_is_tried_again(api):
    clock = FakeClock()
    client = _client(api, failure_backoff_s=30, clock=clock)
    api.mode = "error"
    assert await client.recruiting_studies("bladder cancer") is None
    api.mode = "ok"
    assert await client.recruiting_studies("bladder cancer") is None, "no new call so soon"
    assert len(api.requests) == 1
    clock.now += 31
    assert await client.recruiting_studies("bladder cancer")
    assert len(api.requests) == 2


def test_budget_is_capped_at_three_seconds():
    assert CtGovClient("http://127.0.0.1:1", budget_s=10).budget_s == 3.0


def test_parse_rejects_a_wrong_shape_and_skips_bad_records():
    for payload in ([], {"studies": "none"}, {"nothing": []}, None):
        with pytest.raises(CtGovError):
            parse_studies(payload)
    odd = {"studies": [None, 3, {"protocolSection": "x"}, {"protocolSection": {
        "identificationModule": {"nctId": "NCT123", "briefTitle": "bad id"},
        "contactsLocationsModule": {"locations": [{"city": "Lyon", "country": "France"}]}}}]}
    assert parse_studies(odd) == []
    recorded = json.loads((FIXTURES / "studies_recruiting_france.json").read_text())
    assert len(parse_studies(recorded)) == 4  # 7 records: no French site, completed, no id
    assert parse_studies(json.loads((FIXTURES / "studies_empty.json").read_text())) == []
