"""Check every URL of data/catalogue and data/content (`make check-links`).

Each URL gets a HEAD request (GET when HEAD is refused) with a short timeout. Offline, the
check prints "skipped (offline)" and exits 0; online it exits 1 when a link is broken.
Templates ("{cond}") are checked with a sample value. CHECK_LINKS_PROBE (host:port) sets the
host used to detect the network (default clinicaltrials.gov:443).
"""
from __future__ import annotations

import os
import re
import socket
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "data" / "catalogue", ROOT / "data" / "content")
TIMEOUT_S = 8.0
SAMPLES = {"{cond}": "breast%20cancer", "{nct_id}": "NCT00000102"}
_URL = re.compile(r"https?://[^\s\"'<>)\]]+")
USER_AGENT = "oncologie-info-fr link checker (+https://www.e-cancer.fr)"


def collect_urls(sources: tuple[Path, ...] = SOURCES) -> list[str]:
    urls: set[str] = set()
    for source in sources:
        for path in sorted(source.rglob("*.yml")) + sorted(source.rglob("*.yaml")):
            for url in _URL.findall(path.read_text(encoding="utf-8")):
                url = url.rstrip(".,;:")
                for placeholder, sample in SAMPLES.items():
                    url = url.replace(placeholder, sample)
                urls.add(url)
    return sorted(urls)


def online(probe: str) -> bool:
    host, _, port = probe.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=3):
            return True
    except (OSError, ValueError):
        return False


def check(url: str) -> tuple[str, str | None]:
    """(url, None) when the link answers, else (url, reason)."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                if response.status < 400:
                    return url, None
                reason = f"HTTP {response.status}"
        except urllib.error.HTTPError as error:
            reason = f"HTTP {error.code}"
            if method == "HEAD" and error.code in (403, 405, 501):
                continue  # some servers refuse HEAD: try GET
        except (urllib.error.URLError, OSError) as error:
            reason = f"{error.__class__.__name__}: {getattr(error, 'reason', error)}"
        return url, reason
    return url, reason


def main() -> int:
    urls = collect_urls()
    if not online(os.environ.get("CHECK_LINKS_PROBE", "clinicaltrials.gov:443")):
        print(f"check-links: {len(urls)} URLs, skipped (offline)")
        return 0
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(check, urls))
    broken = [(url, reason) for url, reason in results if reason]
    for url, reason in results:
        print(f"{'BROKEN' if reason else 'ok':>6}  {url}" + (f"  ({reason})" if reason else ""))
    print(f"check-links: {len(urls) - len(broken)}/{len(urls)} URLs answer")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
