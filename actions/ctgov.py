"""ClinicalTrials.gov API v2 client: a few recruiting studies in France for a condition.

`GET {base}/api/v2/studies?query.cond=...&query.locn=France&filter.overallStatus=RECRUITING
&fields=NCTId,BriefTitle,OverallStatus,LocationCity,LocationCountry&pageSize=10&format=json`.
The whole look-up has one time budget (CTGOV_TIMEOUT_S, at most 3 s). On a timeout, an HTTP
error, malformed JSON or no network it returns None and logs why with the sender id: the
answer then gives the links alone. Results are cached in memory for CTGOV_CACHE_TTL_S; after a
failure the API is not called again for `failure_backoff_s`, so users never wait on a dead
service twice in a row (CTGOV_FAILURE_BACKOFF_S).
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import aiohttp

from actions.catalogue import normalize
from actions.settings import Settings

logger = logging.getLogger(__name__)

MAX_BUDGET_S = 3.0
MAX_BODY_BYTES = 2_000_000
PAGE_SIZE = 10
FIELDS = "NCTId,BriefTitle,OverallStatus,LocationCity,LocationCountry"
_NCT = re.compile(r"^NCT\d{8}$")


@dataclass(frozen=True)
class Study:
    nct_id: str
    title: str
    cities: tuple[str, ...]  # cities of its sites in France, in the API's order

    def city_near(self, preferred: Iterable[str] = ()) -> str | None:
        """A French site city, one of `preferred` (normalised names) when possible."""
        wanted = set(preferred)
        return next((c for c in self.cities if normalize(c) in wanted), None) or (
            self.cities[0] if self.cities else None
        )


class CtGovError(Exception):
    """Why the look-up fell back to links alone (logged, never shown to users)."""


def parse_studies(payload: Any) -> list[Study]:
    """Recruiting studies with at least one site in France; raises CtGovError on a bad shape."""
    if not isinstance(payload, dict) or not isinstance(payload.get("studies"), list):
        raise CtGovError("unexpected JSON shape: no 'studies' list")
    studies = []
    for item in payload["studies"]:
        section = item.get("protocolSection") if isinstance(item, dict) else None
        if not isinstance(section, dict):
            continue
        ident = section.get("identificationModule") or {}
        status = (section.get("statusModule") or {}).get("overallStatus", "RECRUITING")
        nct_id, title = ident.get("nctId"), ident.get("briefTitle")
        if not (isinstance(nct_id, str) and _NCT.match(nct_id) and isinstance(title, str)):
            continue
        if status != "RECRUITING":
            continue
        locations = (section.get("contactsLocationsModule") or {}).get("locations") or []
        cities = []
        for location in locations if isinstance(locations, list) else []:
            if not isinstance(location, dict) or location.get("country") != "France":
                continue
            city = location.get("city")
            if isinstance(city, str) and city.strip() and city.strip() not in cities:
                cities.append(city.strip())
        if cities:
            studies.append(Study(nct_id, " ".join(title.split()), tuple(cities)))
    return studies


class CtGovClient:
    def __init__(
        self,
        base_url: str,
        budget_s: float = 2.5,
        cache_ttl_s: float = 3600.0,
        failure_backoff_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.budget_s = max(0.1, min(budget_s, MAX_BUDGET_S))
        self.cache_ttl_s = cache_ttl_s
        self.failure_backoff_s = failure_backoff_s
        self._clock = clock
        self._cache: dict[str, tuple[float, list[Study]]] = {}
        self._failed_at: float | None = None

    def _params(self, condition: str) -> dict[str, str]:
        return {
            "query.cond": condition,
            "query.locn": "France",
            "filter.overallStatus": "RECRUITING",
            "fields": FIELDS,
            "pageSize": str(PAGE_SIZE),
            "format": "json",
        }

    async def _fetch(self, condition: str) -> list[Study]:
        timeout = aiohttp.ClientTimeout(total=self.budget_s, sock_connect=min(1.0, self.budget_s))
        url = f"{self.base_url}/api/v2/studies"
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.get(url, params=self._params(condition),
                                   headers={"Accept": "application/json"}) as response:
                if response.status != 200:
                    raise CtGovError(f"HTTP {response.status}")
                body = await response.content.read(MAX_BODY_BYTES + 1)
        if len(body) > MAX_BODY_BYTES:
            raise CtGovError("answer too large")
        try:
            payload = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise CtGovError(f"malformed JSON ({error.__class__.__name__})") from error
        return parse_studies(payload)

    async def recruiting_studies(self, condition: str, sender_id: str = "-", limit: int = 3) -> list[Study] | None:
        """Up to `limit` recruiting studies in France, [] when none, None on any failure."""
        key = condition.strip().lower()
        now = self._clock()
        cached = self._cache.get(key)
        if cached and now - cached[0] < self.cache_ttl_s:
            return cached[1][:limit]
        if self._failed_at is not None and now - self._failed_at < self.failure_backoff_s:
            logger.warning("ctgov fallback for sender %s: skipped, API failed %.0f s ago",
                           sender_id, now - self._failed_at)
            return None
        started = time.monotonic()
        try:
            studies = await asyncio.wait_for(self._fetch(condition), timeout=self.budget_s + 0.2)
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError):
            reason = f"timeout after {self.budget_s:.1f} s"
        except aiohttp.ClientError as error:
            reason = f"network error ({error.__class__.__name__}: {error})"
        except CtGovError as error:
            reason = str(error)
        except Exception as error:  # an unexpected failure must not cost the answer
            reason = f"unexpected error ({error!r})"
        else:
            self._failed_at = None
            self._cache[key] = (self._clock(), studies)
            logger.info("ctgov: %d studies for %r (sender %s, %.2f s)", len(studies), condition,
                        sender_id, time.monotonic() - started)
            return studies[:limit]
        self._failed_at = self._clock()
        logger.warning("ctgov fallback for sender %s: %s (condition %r, %.2f s)", sender_id,
                       reason, condition, time.monotonic() - started)
        return None


@lru_cache(maxsize=4)
def _client(base_url: str, budget_s: float, cache_ttl_s: float, backoff_s: float) -> CtGovClient:
    return CtGovClient(base_url, budget_s, cache_ttl_s, backoff_s)


def get_client(settings: Settings) -> CtGovClient:
    """The process-wide client for these settings (keeps its cache between requests)."""
    return _client(settings.ctgov_base_url, settings.ctgov_timeout_s, settings.ctgov_cache_ttl_s,
                   settings.ctgov_failure_backoff_s)
