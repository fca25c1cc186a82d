"""Page-weight and speed benchmark for readers (run by hand, not by the tests).

Serves the built student HTML with Debian's nginx on 127.0.0.1 with gzip on, as real static hosts do, then:

1. loads the landing page in Chromium with an empty cache and counts requests and bytes (compressed, as
   transferred, and uncompressed);
2. loads a second page in the same browser, with the shared assets cached, and counts what it adds beyond its
   own images;
3. runs Lighthouse (npm package, driving Debian's Chromium offline) on the landing page, a prose chapter and
   the heaviest evidence page: mobile performance, largest contentful paint and accessibility.

    .venv/bin/python benchmarks/pages.py            # uses _build/html (run scripts/build first)

Lighthouse runs three times per page (--runs) and the median run is reported, as Lighthouse's documentation
advises, because single runs vary by a few hundred milliseconds.

Budgets (issue 7): landing <= 250 KiB compressed and <= 800 KiB uncompressed; second page <= 60 KiB compressed
beyond its own images; Lighthouse mobile performance >= 98, LCP <= 1.5 s, accessibility 100. The script prints a
table and exits 1 if a budget is missed. It installs nginx (apt-get) and Lighthouse (npm, into
benchmarks/.node, git-ignored) when they are missing.
"""
from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE = ROOT / "benchmarks" / ".node"
LIGHTHOUSE_VERSION = "12.8.2"  # the newest release line that supports the machine's Node 20
PAGES = {"landing": "/index.html", "prose chapter": "/book/protocol/preparation.html",
         "heaviest evidence page": "/book/evidence/efficacy.html"}
SECOND_PAGE = "/book/protocol/screening.html"
BUDGET = {"landing_kib_gz": 250, "landing_kib_raw": 800, "second_kib_gz": 60, "performance": 98, "lcp_s": 1.5,
          "accessibility": 100}
NGINX_CONF = """
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    gzip on;
    gzip_min_length 256;
    gzip_types text/css application/javascript text/javascript application/json image/svg+xml text/plain application/xml;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{ add_header Cache-Control "public, max-age=3600"; }}
    }}
}}
"""


def ensure_tools() -> Path:
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        subprocess.run(["apt-get", "install", "-y", "nginx-light"], check=True)
    lighthouse = NODE / "node_modules" / ".bin" / "lighthouse"
    if not lighthouse.exists():
        NODE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(NODE), "--no-audit", "--no-fund",
                        f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)
    return lighthouse


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_nginx(html: Path, tmp: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, root=html))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen([nginx, "-c", str(conf), "-p", str(tmp)])
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return process, f"http://127.0.0.1:{port}"


def weigh(base: str) -> dict:
    """Bytes and requests for the landing page (cold cache) and the second page (warm cache), via the DevTools
    protocol: encodedDataLength is what crossed the wire; a cache hit transfers nothing."""
    from playwright.sync_api import sync_playwright

    def visit(page, cdp, url):
        records = {}
        cdp.on("Network.responseReceived", lambda e: records.setdefault(e["requestId"], {}).update(
            url=e["response"]["url"], mime=e["response"]["mimeType"],
            cached=e["response"].get("fromDiskCache") or e["response"].get("fromServiceWorker")))
        cdp.on("Network.requestServedFromCache", lambda e: records.setdefault(e["requestId"], {}).update(cached=True))
        cdp.on("Network.loadingFinished", lambda e: records.setdefault(e["requestId"], {}).update(gz=e["encodedDataLength"]))
        page.goto(url, wait_until="networkidle")
        fetched = [r for r in records.values() if not r.get("cached") and "gz" in r]
        images = sum(r["gz"] for r in fetched if r.get("mime", "").startswith("image/") and "/_images/" in r.get("url", ""))
        return {"requests": len(fetched), "gz": sum(r["gz"] for r in fetched), "images_gz": images,
                "largest": sorted(((r["gz"], r["url"].split("/")[-1]) for r in fetched), reverse=True)[:5]}

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                             args=["--headless", "--no-sandbox"])
        context = browser.new_context()
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        landing = visit(page, cdp, base + PAGES["landing"])
        page.close()
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        second = visit(page, cdp, base + SECOND_PAGE)
        browser.close()
    return {"landing": landing, "second": second}


def uncompressed(html: Path, base: str) -> int:
    """The landing page's bytes before compression: the sizes on disk of what it fetched (cold cache)."""
    from playwright.sync_api import sync_playwright

    total = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                             args=["--headless", "--no-sandbox"])
        page = browser.new_page()
        urls = []
        page.on("requestfinished", lambda r: urls.append(r.url))
        page.goto(base + PAGES["landing"], wait_until="networkidle")
        browser.close()
    for url in set(urls):
        path = html / url.split(base, 1)[1].split("?")[0].split("#")[0].lstrip("/")
        if path.is_file():
            total += path.stat().st_size
    return total


def lighthouse_median(tool: Path, url: str, runs: int) -> dict:
    """Lighthouse's own advice: scores vary from run to run, so report the median of several runs."""
    results = [lighthouse(tool, url) for _ in range(runs)]
    middle = sorted(results, key=lambda r: r["lcp_s"])[len(results) // 2]
    return {**middle, "lcp_runs": [round(r["lcp_s"], 2) for r in results]}


def lighthouse(tool: Path, url: str) -> dict:
    out = subprocess.run([str(tool), url, "--quiet", "--output=json", "--only-categories=performance,accessibility",
                          f"--chrome-path={shutil.which('chromium') or '/usr/bin/chromium'}",
                          "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                         capture_output=True, text=True, check=True)
    report = json.loads(out.stdout)
    return {"performance": round(report["categories"]["performance"]["score"] * 100),
            "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
            "lcp_s": report["audits"]["largest-contentful-paint"]["numericValue"] / 1000,
            "failed_a11y": [ref["id"] for ref in report["categories"]["accessibility"]["auditRefs"]
                            if report["audits"][ref["id"]].get("score") == 0]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median is reported")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").exists():
        print(f"no built book at {args.html}: run scripts/build first", file=sys.stderr)
        return 2
    tool = ensure_tools()
    with tempfile.TemporaryDirectory() as tmp:
        process, base = start_nginx(args.html.resolve(), Path(tmp))
        try:
            weights = weigh(base)
            raw = uncompressed(args.html, base)
            scores = {name: lighthouse_median(tool, base + path, args.runs) for name, path in PAGES.items()}
        finally:
            process.terminate()
            process.wait()
    land, second = weights["landing"], weights["second"]
    rows = [("landing, empty cache: requests", land["requests"], ""),
            ("landing, empty cache: KiB compressed", round(land["gz"] / 1024, 1), f"<= {BUDGET['landing_kib_gz']}"),
            ("landing, empty cache: KiB uncompressed", round(raw / 1024, 1), f"<= {BUDGET['landing_kib_raw']}"),
            ("second page, warm cache: requests", second["requests"], ""),
            ("second page: KiB compressed beyond its images", round((second["gz"] - second["images_gz"]) / 1024, 1),
             f"<= {BUDGET['second_kib_gz']}")]
    for name, s in scores.items():
        rows += [(f"Lighthouse {name}: performance", s["performance"], f">= {BUDGET['performance']}"),
                 (f"Lighthouse {name}: LCP s (median; runs {s['lcp_runs']})", round(s["lcp_s"], 2), f"<= {BUDGET['lcp_s']}"),
                 (f"Lighthouse {name}: accessibility", s["accessibility"], f"= {BUDGET['accessibility']}")]
    print("| measure | value | budget |\n|---|---|---|")
    for name, value, budget in rows:
        print(f"| {name} | {value} | {budget} |")
    print("\nlargest transfers on the landing page:", land["largest"])
    failed = [n for n, s in scores.items() if s["failed_a11y"]]
    for name in failed:
        print(f"Lighthouse accessibility audits failed on the {name}: {scores[name]['failed_a11y']}")
    ok = (land["gz"] / 1024 <= BUDGET["landing_kib_gz"] and raw / 1024 <= BUDGET["landing_kib_raw"]
          and (second["gz"] - second["images_gz"]) / 1024 <= BUDGET["second_kib_gz"]
          and all(s["performance"] >= BUDGET["performance"] and s["lcp_s"] <= BUDGET["lcp_s"]
                  and s["accessibility"] >= BUDGET["accessibility"] for s in scores.values()))
    print("\nwithin budget" if ok else "\nOVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
