"""Configuration of the action server, read from the environment in one place.

Every variable is documented in `.env.example`; defaults suit a local run.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on", "oui"}


def _float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Settings:
    content_dir: Path
    catalogue_dir: Path
    ctgov_enabled: bool
    ctgov_base_url: str
    ctgov_timeout_s: float
    ctgov_cache_ttl_s: float
    ctgov_failure_backoff_s: float = 30.0


def load_settings() -> Settings:
    return Settings(
        content_dir=Path(os.environ.get("CONTENT_DIR") or ROOT / "data" / "content"),
        catalogue_dir=Path(os.environ.get("CATALOGUE_DIR") or ROOT / "data" / "catalogue"),
        ctgov_enabled=_bool("CTGOV_ENABLED", True),
        ctgov_base_url=os.environ.get("CTGOV_BASE_URL", "https://clinicaltrials.gov").rstrip("/"),
        ctgov_timeout_s=_float("CTGOV_TIMEOUT_S", 2.5),
        ctgov_cache_ttl_s=_float("CTGOV_CACHE_TTL_S", 3600.0),
        # after a failed look-up, links alone for this long (users never wait on a dead API twice)
        ctgov_failure_backoff_s=_float("CTGOV_FAILURE_BACKOFF_S", 30.0),
    )
