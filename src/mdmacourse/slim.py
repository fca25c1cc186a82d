"""Ship only what the book's pages use (run on the HTML output at the end of every build).

The theme loads Font Awesome twice over: a 1.5 MB script that swaps icons for SVG, and the icon fonts its
stylesheet already draws them with. A reader's first page then weighs over a megabyte, most of it icons that no
page shows. This module, run by the course's Sphinx extension once the HTML is written:

- removes the Font Awesome script tag from every page (the stylesheet's web fonts still draw the icons);
- subsets the three Font Awesome web fonts to the icons the pages use (fontTools), and drops the stylesheet's
  rules for icons no page uses;
- gives the theme's sidebar a landmark role and bibliography entries a valid ARIA role (axe findings);
- keeps the search scripts and the search index on the search page only (the search box on every other page
  submits to it; search-as-you-type is off);
- lets the browser fetch the chapters' chart images lazily, so that they do not compete with the stylesheet
  and text the reader sees first;
- replaces the root index.html, which Jupyter Book writes as an instant redirect to the first page, with a
  copy of that page whose links are rebased (a redirect costs the reader a whole round trip);
- joins each page's stylesheets into one file (resolving the theme's @import and rewriting relative url()s),
  inlines the tiny documentation_options.js and defers the other head scripts, and drops the preload hints
  for scripts that load at the end of the page anyway, so that one stylesheet is all that blocks rendering;
- loads the deferred scripts only after the page has loaded and painted, in their order, so that no script
  delays the text a reader came for (largest contentful paint); they are not joined into one file, because
  separate classic scripts and one concatenated script differ (a top-level ``const`` of a later file would be
  in its temporal dead zone for the earlier files, as Sphinx's search showed);
- drops sphinx-design's tab script when no page has tabs; embeds the subset icon fonts (a few KiB) in the
  joined stylesheet as data: URLs, and loads the launch menu's hidden logo lazily;
- stores the charts (PNG files in ``_images/``) with a palette of 128 colours, which looks the same for flat
  charts and roughly halves to thirds their bytes (Pillow; an image with real transparency keeps it).

Each step is checked by tests/test_slim.py; the effect is measured by benchmarks/pages.py.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
from pathlib import Path

#: Accessibility repairs, as plain replacements: the theme's primary sidebar is a plain <div>, so the book's title
#: link sits outside every landmark (axe "region"); docutils marks bibliography entries with the deprecated role
#: doc-biblioentry inside a role="list" container (axe aria-deprecated-role, aria-required-children).
ACCESSIBLE_HTML = {
    'class="bd-sidebar-primary bd-sidebar': 'role="complementary" aria-label="Book navigation" class="bd-sidebar-primary bd-sidebar',
    'role="doc-biblioentry"': 'role="listitem"',
}
FA_SCRIPT = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
SEARCH_SCRIPTS = re.compile(r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"></script>')
ICON_CLASS = re.compile(r"\bfa-([a-z0-9-]+)")
#: A stylesheet rule that only gives icon classes their glyph: `.fa-x:before,.fa-y:before{content:"\f0c9"}`.
GLYPH_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:before,?)+)\{content:"\\([0-9a-f]{4,5})"\}')
FONTS = ("fa-solid-900.woff2", "fa-regular-400.woff2", "fa-brands-400.woff2")


LINK = re.compile(r'\s*<link (?:href="(?P<a>[^"]+)" rel="stylesheet"|rel="stylesheet" type="text/css" href="(?P<b>[^"]+)") />')
PRELOAD = re.compile(r'\s*<link rel="preload" as="script" href="[^"]+" />')
SCRIPT = re.compile(r'<script((?: [\w-]+(?:="[^"]*")?)*) src="([^"]+)"((?: [\w-]+(?:="[^"]*")?)*)></script>')
IMPORT = re.compile(r'@import\s+(?:url\()?"([^"]+)"\)?\s*;')
URL = re.compile(r'url\(\s*([\'"]?)([^)\'"]+)\1\s*\)')


def _local(page: Path, href: str, outdir: Path) -> Path | None:
    if re.match(r"^[a-z]+:|^//", href):
        return None
    path = (page.parent / href.split("?")[0].split("#")[0]).resolve()
    return path if path.is_file() and outdir.resolve() in path.parents else None


def _rebase(css: str, source_dir: Path, target_dir: Path) -> str:
    """Rewrite the relative url()s of a stylesheet moved from source_dir to target_dir."""
    def fix(match: re.Match) -> str:
        url = match.group(2)
        if re.match(r"^(data:|[a-z]+:|/|#)", url):
            return match.group(0)
        path, _, rest = url.partition("?")
        new = os.path.relpath((source_dir / path).resolve(), target_dir.resolve())
        return f'url("{new}{"?" + rest if rest else ""}")'
    return URL.sub(fix, css)


def _flatten(path: Path, target_dir: Path) -> str:
    """A stylesheet's text with its @imports inlined, every url() relative to target_dir."""
    css = path.read_text(encoding="utf-8")

    def inline(match: re.Match) -> str:
        imported = (path.parent / match.group(1)).resolve()
        return _flatten(imported, target_dir) if imported.is_file() else match.group(0)
    css = IMPORT.sub(inline, css)
    return _rebase(css, path.parent, target_dir)


SMALL_FONT = 8 * 1024
WOFF2_URL = re.compile(r'url\("([^"]+\.woff2)"\)')


def inline_fonts(css: str, styles_dir: Path) -> str:
    """Put the (subset) icon fonts into the stylesheet as data: URLs when they are small, so that a first visit
    does not open a request per font file; larger fonts stay files."""
    import base64

    def embed(match: re.Match) -> str:
        path = (styles_dir / match.group(1)).resolve()
        if not path.is_file() or path.stat().st_size > SMALL_FONT:
            return match.group(0)
        return f'url("data:font/woff2;base64,{base64.b64encode(path.read_bytes()).decode()}")'
    return WOFF2_URL.sub(embed, css)


def bundle_styles(page: Path, text: str, outdir: Path, written: dict[str, str], words: set[str] | None = None,
                  inline: bool = False) -> str:
    """Replace the page's stylesheet links with one link to a joined copy (one file per distinct set), or with
    the joined stylesheet itself in a <style> element (``inline``), its url()s rebased to the page."""
    head, sep, body = text.partition("</head>")
    links = list(LINK.finditer(head))
    files = [_local(page, m.group("a") or m.group("b"), outdir) for m in links]
    if len(links) < 2 or any(f is None for f in files):
        return text
    styles = outdir / "_static" / "styles"
    key = "|".join(str(f) for f in files)
    if key not in written:
        css = "\n".join(f"/* {f.relative_to(outdir)} */\n" + _flatten(f, styles) for f in files)
        if words:
            css = purge_css(css, words)
        css = inline_fonts(minify_css(css), styles)
        name = f"bundle-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
        (styles / name).write_text(css, encoding="utf-8")
        written[key] = name
    if inline:
        css = _rebase((styles / written[key]).read_text(encoding="utf-8"), styles, page.parent)
        element = f"\n  <style>{css}</style>"
    else:
        element = f'\n  <link rel="stylesheet" href="{os.path.relpath(styles / written[key], page.parent)}" />'
    pieces, position = [], 0
    for i, match in enumerate(links):
        pieces.append(head[position:match.start()])
        if i == 0:
            pieces.append(element)
        position = match.end()
    pieces.append(head[position:])
    return "".join(pieces) + sep + body


def defer_scripts(page: Path, text: str, outdir: Path) -> str:
    """Inline documentation_options.js (inline scripts after it use its variable at once), defer every other
    script in the head, and drop the preload hints."""
    head, sep, body = text.partition("</head>")
    head = PRELOAD.sub("", head)

    def change(match: re.Match) -> str:
        before, src, after = match.groups()
        if "documentation_options.js" in src:
            local = _local(page, src, outdir)
            if local is not None:
                return "<script>" + local.read_text(encoding="utf-8").strip() + "</script>"
        attributes = before + after
        if re.search(r"\b(defer|async)\b", attributes) or 'type="module"' in attributes:
            return match.group(0)
        return f'<script{before} defer src="{src}"{after}></script>'
    return SCRIPT.sub(change, head) + sep + body


def _split_rules(css: str) -> list[tuple[str, str]]:
    """Top-level (prelude, block) pairs of a stylesheet, with comments removed; a block keeps its braces' content."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules, i, n = [], 0, len(css)
    while i < n:
        brace = css.find("{", i)
        semi = css.find(";", i)
        if brace == -1:
            break
        if semi != -1 and semi < brace:  # a statement such as @charset or @import
            rules.append((css[i:semi + 1].strip(), None))
            i = semi + 1
            continue
        depth, j = 1, brace + 1
        while j < n and depth:
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        rules.append((css[i:brace].strip(), css[brace + 1:j - 1]))
        i = j
    return rules


def _selectors(prelude: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(prelude):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(prelude[start:k])
            start = k + 1
    parts.append(prelude[start:])
    return [p.strip() for p in parts if p.strip()]


def purge_css(css: str, vocabulary: set[str]) -> str:
    """Drop the selectors whose class names never occur in the site's pages or scripts (a conservative check:
    any word in any page or script counts as used), and the rules left with no selector."""
    out = []
    for prelude, block in _split_rules(css):
        if block is None:
            out.append(prelude)
        elif prelude.startswith("@media") or prelude.startswith("@supports") or prelude.startswith("@layer"):
            inner = purge_css(block, vocabulary)
            if inner.strip():
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{block}}}")
        else:
            kept = [s for s in _selectors(prelude)
                    if all(c in vocabulary for c in re.findall(r"[.#](-?[_a-zA-Z][\w-]*)", s))]
            if kept:
                out.append(f"{','.join(kept)}{{{block}}}")
    return "".join(out)


CLASS_ATTRIBUTE = re.compile(r'\b(?:class|id)="([^"]*)"')
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)


def vocabulary(outdir: Path, pages: dict[Path, str]) -> set[str]:
    """The class names and ids the pages use, and every word of the scripts they load, inline or from a file (a
    class a script adds must survive the purge). Words of the pages' text do not count: a rule for ``.related``
    is not needed because a page says "related"."""
    words: set[str] = set()
    scripts: set[Path] = set()
    for page, text in pages.items():
        for value in CLASS_ATTRIBUTE.findall(text):
            words.update(value.split())
        for body in INLINE_SCRIPT.findall(text):
            words.update(re.findall(r"[\w-]+", body))
        for src in re.findall(r'<script[^>]* src="([^"]+)"', text):
            local = _local(page, src, outdir)
            if local is not None:
                scripts.add(local)
    for script in scripts:
        words.update(re.findall(r"[\w-]+", script.read_text(encoding="utf-8", errors="ignore")))
    return words


STRING_OR_SPACE = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|\s+""")


def minify_css(css: str) -> str:
    """Collapse the whitespace of a stylesheet outside its strings, and drop it around braces, semicolons and
    commas (safe in selectors and values alike; a space before ':' is kept, as in 'a :hover')."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = STRING_OR_SPACE.sub(lambda m: m.group(1) or " ", css)
    pieces = re.split(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""", css)
    for i in range(0, len(pieces), 2):
        pieces[i] = re.sub(r"\s*([{};,])\s*", r"\1", pieces[i])
    return "".join(pieces).replace(";}", "}").strip()


REDIRECT = re.compile(r'^<meta http-equiv="Refresh" content="0; url=([^"]+)" />\s*$')
ATTRIBUTE_URL = re.compile(r'\b(href|src|action)="([^"]*)"')
CONTENT_IMAGE = re.compile(r'<img (?![^>]*\bloading=)([^>]*src="[^"]*(?:_images/|_static/images/logo_binder\.svg)[^"]*")')


def rebase_page(text: str, prefix: str) -> str:
    """A page's HTML moved up from the folder `prefix` (e.g. "book/") to the site root: relative links rebased."""
    def fix(match: re.Match) -> str:
        attribute, url = match.groups()
        if not url or re.match(r"^([a-z]+:|/|#)", url):
            return match.group(0)
        new = os.path.normpath(prefix + url).replace(os.sep, "/")
        if url.endswith("/") and not new.endswith("/"):
            new += "/"
        return f'{attribute}="{new}"'
    text = text.replace('data-content_root="../"', 'data-content_root="./"')
    return ATTRIBUTE_URL.sub(fix, text)


ROOT_COPY = re.compile(r"<!-- mdmacourse: root page copied from (\S+) -->\s*$")


def unredirect_root(outdir: Path) -> bool:
    """Replace a root index.html that only redirects with a rebased copy of the page it redirects to. The copy
    ends with a comment naming its source, so that every later build copies that page again (an incremental
    build does not rewrite the root page, which would otherwise keep an old copy)."""
    index = outdir / "index.html"
    if not index.exists():
        return False
    text = index.read_text(encoding="utf-8")
    match = REDIRECT.match(text) or ROOT_COPY.search(text)
    if not match or "/" not in match.group(1):
        return False
    target = outdir / match.group(1)
    if not target.is_file():
        return False
    prefix = match.group(1).rsplit("/", 1)[0] + "/"
    copy = rebase_page(target.read_text(encoding="utf-8"), prefix).rstrip("\n")
    index.write_text(f"{copy}\n<!-- mdmacourse: root page copied from {match.group(1)} -->\n", encoding="utf-8")
    return True


def lazy_images(text: str) -> str:
    """Charts, and the launch menu's logo (hidden until the menu opens), load only when they come into view."""
    return CONTENT_IMAGE.sub(r'<img loading="lazy" decoding="async" \1', text)


def used_icons(html_pages: list[str]) -> set[str]:
    return {name for text in html_pages for name in ICON_CLASS.findall(text)}


def glyph_map(css: str) -> dict[str, int]:
    """Icon name -> code point, from the stylesheet's glyph rules."""
    mapping = {}
    for selectors, code in GLYPH_RULE.findall(css):
        for name in re.findall(r"\.fa-([a-z0-9-]+):before", selectors):
            mapping[name] = int(code, 16)
    return mapping


def prune_css(css: str, used: set[str]) -> str:
    """Drop the glyph rules of icons no page uses."""
    def keep(match: re.Match) -> str:
        names = re.findall(r"\.fa-([a-z0-9-]+):before", match.group(1))
        return match.group(0) if used & set(names) else ""
    return GLYPH_RULE.sub(keep, css)


def theme_static() -> Path:
    """The theme's own static folder: the untouched originals, so that every build starts from them (an
    incremental build may leave the previous build's slimmed copies in the output)."""
    import pydata_sphinx_theme

    return Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"


def subset_font(source: Path, target: Path, codepoints: set[int]) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source))
    cmap = font.getBestCmap() or {}
    keep = {c for c in codepoints if c in cmap}
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    target.write_bytes(out.getvalue())


#: Put the joined stylesheet into each page instead of linking it. Off: measured with benchmarks/pages.py it did not
#: move largest contentful paint, and it repeats about 25 KiB (compressed) in every page.
INLINE_STYLES = False

DESIGN_TABS = re.compile(r'\s*<script[^>]* src="[^"]*_static/design-tabs\.js[^"]*"[^>]*></script>')
DEFERRED = re.compile(r'\s*<script defer src="([^"]+)"></script>')
LOADER = ('<script>addEventListener("load",function(){{var h=document.documentElement,s={srcs},n=s.length;'
          'h.dataset.scripts="loading";setTimeout(function(){{s.forEach(function(u){{var e=document.createElement("script");'
          'e.src=u;e.async=false;e.onload=e.onerror=function(){{if(!--n)h.dataset.scripts="loaded"}};'
          'document.body.appendChild(e)}})}})}})</script>')


PALETTE_COLOURS = 128


def palette_images(outdir: Path) -> int:
    """Re-save every full-colour PNG in ``_images/`` with a palette of ``PALETTE_COLOURS`` colours (smaller files;
    a chart's flat colours survive); images already stored with a palette are left alone. Returns bytes saved."""
    from PIL import Image

    saved = 0
    for path in sorted((outdir / "_images").glob("*.png")):
        with Image.open(path) as image:
            if image.mode not in ("RGB", "RGBA"):
                continue
            image.load()
        before = path.stat().st_size
        if image.mode == "RGBA" and image.getextrema()[3][0] < 255:
            small = image.quantize(colors=PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE)
        else:
            small = image.convert("RGB").quantize(colors=PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT)
        buffer = io.BytesIO()
        small.save(buffer, "PNG", optimize=True)
        if len(buffer.getvalue()) < before:
            path.write_bytes(buffer.getvalue())
            saved += before - len(buffer.getvalue())
    return saved


def late_scripts(text: str) -> str:
    """Load the page's deferred scripts only once the page has loaded and painted, in their order (inserted scripts
    with async=false run in insertion order). The text a reader came for is painted before any script runs; the
    theme's buttons start working a moment later (every script here waits for the document to be ready, whenever it
    runs). The loader marks <html data-scripts="loaded"> when all have run, for the browser tests."""
    srcs = DEFERRED.findall(text)
    if not srcs:
        return text
    import json

    text = DEFERRED.sub("", text)
    return text.replace("</body>", LOADER.format(srcs=json.dumps(srcs)) + "\n</body>", 1)


def slim(outdir: Path) -> dict[str, int]:
    """Apply every step to a built HTML folder; return what was done (for the build log and the tests)."""
    pages = sorted(outdir.rglob("*.html"))
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    report = {"pages": len(pages), "scripts_removed": 0, "icons": 0, "font_bytes_saved": 0}
    tabs_used = any("sd-tab-set" in text for text in texts.values())
    for page, text in texts.items():
        new = FA_SCRIPT.sub("", text)
        for old, fixed in ACCESSIBLE_HTML.items():
            new = new.replace(old, fixed)
        if page.name != "search.html":
            new = SEARCH_SCRIPTS.sub("", new)
        if not tabs_used:
            new = DESIGN_TABS.sub("", new)  # sphinx-design's tab script, and no page has tabs
        if new != text:
            report["scripts_removed"] += 1
        texts[page] = new
    css_path = outdir / "_static" / "styles" / "pydata-sphinx-theme.css"
    if not css_path.exists():
        for page, text in texts.items():
            page.write_text(text, encoding="utf-8")
        return report
    originals = theme_static()
    used = used_icons(list(texts.values()))
    css = (originals / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    mapping = glyph_map(css)
    codepoints = {mapping[name] for name in used if name in mapping}
    report["icons"] = len(codepoints)
    css_path.write_text(prune_css(css, used), encoding="utf-8")
    for name in FONTS:
        source = originals / "vendor" / "fontawesome" / "webfonts" / name
        target = outdir / "_static" / "vendor" / "fontawesome" / "webfonts" / name
        if source.exists() and target.exists():
            subset_font(source, target, codepoints)
            report["font_bytes_saved"] += source.stat().st_size - target.stat().st_size
    written: dict[str, str] = {}
    words = vocabulary(outdir, texts)
    for page, text in texts.items():
        text = lazy_images(bundle_styles(page, text, outdir, written, words, inline=INLINE_STYLES))
        text = late_scripts(defer_scripts(page, text, outdir))
        page.write_text(text, encoding="utf-8")
    report["bundles"] = len(written)
    if INLINE_STYLES:
        for name in written.values():
            (outdir / "_static" / "styles" / name).unlink(missing_ok=True)
    report["root_page"] = unredirect_root(outdir)
    if (outdir / "_images").is_dir():
        report["image_bytes_saved"] = palette_images(outdir)
    return report
