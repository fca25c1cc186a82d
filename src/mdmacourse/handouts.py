"""Key-points handouts: one printable page per chapter, for handing out in class.

    python -m mdmacourse.handouts      # after the student HTML build; writes _build/handouts/

Each handout is taken from the built student HTML (so glued numbers and citations read exactly as in the
book): the chapter's number, title, review date and its "Key points" section, with the learning objectives
as a reminder of what the chapter asks, and a footer naming the course, edition, licence and the page's path.
Debian's Chromium prints each one to PDF (A4). A handout must fit one page: it is printed at full size, then
at smaller scales down to ``MIN_SCALE``; one that still runs over is an error naming the chapter, so no
handout is silently cut. ``key-points-all.pdf`` joins them (poppler's ``pdfunite``), one chapter per page.
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from . import pages
from .project import ROOT, read_config

OUT = Path("_build") / "handouts"
SCALES = (1.0, 0.93, 0.86, 0.8)
MIN_SCALE = SCALES[-1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

STYLE = """
@page { size: A4; margin: 16mm 17mm 18mm 17mm; }
html { font-family: "FreeSerif", "DejaVu Serif", serif; font-size: 11.5pt; line-height: 1.38; color: #111; }
body { margin: 0; }
.course { font-family: "FreeSans", "DejaVu Sans", sans-serif; font-size: 9pt; letter-spacing: .04em;
          text-transform: uppercase; color: #333; border-bottom: 1.5pt solid #1f4e79; padding-bottom: 4pt; }
h1 { font-family: "FreeSans", "DejaVu Sans", sans-serif; font-size: 19pt; margin: 10pt 0 2pt; color: #1f4e79; }
.date { font-size: 9.5pt; color: #333; margin: 0 0 10pt; }
h2 { font-family: "FreeSans", "DejaVu Sans", sans-serif; font-size: 12.5pt; margin: 12pt 0 4pt; color: #1f4e79; }
ul { margin: 0; padding-left: 15pt; }
li { margin: 0 0 5pt; }
.objectives li { margin-bottom: 2pt; font-size: 10.5pt; }
footer { margin-top: 14pt; border-top: .6pt solid #999; padding-top: 5pt; font-size: 8.5pt; color: #333; }
"""


class HandoutError(RuntimeError):
    pass


def chapters(root: Path) -> list[pages.Page]:
    return [page for page in pages.toc_pages(root, "student") if page.role == "chapter"]


def document(sheets: list[str]) -> str:
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Key points</title>"
            f"<style>{STYLE}</style></head><body>" + "\n".join(sheets) + "</body></html>")


def _plain(node) -> str:
    """A node's inner HTML with links, anchors and header links reduced to their text (a handout has no links)."""
    for link in node.select("a.headerlink"):
        link.decompose()
    for link in node.find_all("a"):
        link.unwrap()
    for span in node.select("span[id]"):
        del span["id"]
    return node.decode_contents().strip()


def sheet(html_dir: Path, page: pages.Page, config: dict) -> str:
    """The body of one chapter's handout (an HTML fragment)."""
    path = html_dir / f"{page.docname}.html"
    if not path.is_file():
        raise HandoutError(f"{page.docname}: {path} not found; build the student HTML first (scripts/build)")
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article") or soup
    h1 = article.find("h1")
    key_points = article.select_one("section#key-points")
    objectives = article.select_one("section#learning-objectives")
    date = article.select_one("p.evidence-reviewed")
    if h1 is None or key_points is None:
        raise HandoutError(f"{page.docname}: the built page has no title or no 'Key points' section")
    number = h1.select_one(".section-number")
    number_text = number.get_text().strip().rstrip(".") if number else ""
    if number:
        number.decompose()
    title = h1.get_text().replace("#", "").strip()
    points = key_points.find(["ul", "ol"])
    if points is None:
        raise HandoutError(f"{page.docname}: the 'Key points' section has no list")
    aims = objectives.find(["ul", "ol"]) if objectives else None
    date_text = re.sub(r"\s*Check later sources.*$", "", date.get_text()).strip() if date else ""
    licence = config.get("sphinx", {}).get("config", {}).get("course_license_content", "CC-BY-4.0")
    label = f"Chapter {number_text}" if number_text else "Chapter"
    parts = [
        '<section class="sheet">',
        f'<div class="course">{html.escape(config["title"])} · Key points</div>',
        f"<h1>{label}. {html.escape(title)}</h1>",
        f'<p class="date">{html.escape(date_text)}</p>' if date_text else "",
        "<h2>Key points</h2>",
        f"<ul>{_plain(points)}</ul>",
    ]
    if aims is not None:
        parts += ["<h2>What the chapter asks you to be able to do</h2>",
                  f'<ul class="objectives">{_plain(aims)}</ul>']
    parts += [
        f"<footer>{html.escape(config['title'])}, {label.lower()}: {html.escape(title)}. "
        f"Full text, sources and exercises: {page.docname}.html in the book. Student edition. "
        f"Licence {html.escape(licence)}. Education only: not medical or legal advice.</footer>",
        "</section>",
    ]
    return "\n".join(p for p in parts if p)


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _print(browser, markup: str, target: Path, scale: float) -> None:
    page = browser.new_page()
    # a handout needs nothing from the network: block every request, so none can be made
    page.route("**/*", lambda route: route.abort())
    page.set_content(markup, wait_until="load")
    page.pdf(path=str(target), format="A4", scale=scale, print_background=True, prefer_css_page_size=True)
    page.close()


def write_handouts(root: Path = ROOT, html_dir: Path | None = None, out: Path | None = None) -> list[Path]:
    """Write one PDF (and its HTML) per chapter and the joined PDF; return the paths of the PDFs."""
    from playwright.sync_api import sync_playwright

    html_dir = html_dir or root / "_build" / "html"
    out = out or root / OUT
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    config = read_config(root)
    executable = shutil.which("chromium")
    if not executable:
        raise HandoutError("Debian's chromium is not installed (scripts/build --handouts installs it with apt-get)")
    made = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            for index, page in enumerate(chapters(root), start=1):
                body = sheet(html_dir, page, config)
                name = f"key-points-{index:02d}-{Path(page.docname).name}"
                markup = document([body])
                (out / f"{name}.html").write_text(markup, encoding="utf-8")
                target = out / f"{name}.pdf"
                for scale in SCALES:
                    _print(browser, markup, target, scale)
                    if pdf_pages(target) == 1:
                        break
                else:
                    raise HandoutError(f"{page.docname}: the key points run over one page even at scale "
                                       f"{MIN_SCALE}; shorten them")
                made.append(target)
            joined = out / "key-points-all.pdf"
            subprocess.run(["pdfunite", *map(str, made), str(joined)], check=True)
            if pdf_pages(joined) != len(made):
                raise HandoutError(f"{joined}: {pdf_pages(joined)} pages for {len(made)} chapters")
            made.append(joined)
        finally:
            browser.close()
    return made


def main() -> int:
    try:
        made = write_handouts()
    except HandoutError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{len(made) - 1} key-points handouts and the joined file in {made[-1].parent}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
