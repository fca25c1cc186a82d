"""The HTML output's slimming steps, each on a small hand-made case (quick); their effect on real pages is
checked by the browser tests and measured by benchmarks/pages.py."""
from __future__ import annotations

import re
from pathlib import Path

from fontTools.ttLib import TTFont

from mdmacourse import slim


def test_icon_names_map_to_code_points_and_unused_glyph_rules_go():
    css = '.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}.fa-rocket:before{content:"\\f135"}.x{color:red}'
    assert slim.glyph_map(css) == {"bars": 0xF0C9, "navicon": 0xF0C9, "rocket": 0xF135}
    pruned = slim.prune_css(css, {"bars"})
    assert "f0c9" in pruned and "f135" not in pruned and ".x{color:red}" in pruned


def test_a_subset_font_keeps_the_used_glyph_and_is_much_smaller(tmp_path: Path):
    source = slim.theme_static() / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2"
    target = tmp_path / "fa.woff2"
    slim.subset_font(source, target, {0xF0C9})
    cmap = TTFont(str(target)).getBestCmap()
    assert 0xF0C9 in cmap and 0xF135 not in cmap
    assert target.stat().st_size < source.stat().st_size / 20


def test_purge_keeps_used_selectors_at_rules_and_media_blocks():
    css = ("/* c */.used,.unused{color:red}.gone{margin:0}@media (max-width:10px){.used{x:1}.gone{y:2}}"
           "@font-face{font-family:F}a:hover{z:1}:is(.used,.gone) b{w:1}")
    out = slim.purge_css(css, {"used"})
    assert ".used{color:red}" in out and ".unused" not in out and ".gone{" not in out
    assert "@media (max-width:10px){.used{x:1}}" in out and "@font-face{font-family:F}" in out
    assert "a:hover{z:1}" in out
    assert ":is(.used,.gone) b" not in out  # a selector naming any unused class is dropped


def test_an_inlined_stylesheet_has_its_urls_rebased_to_the_page(tmp_path: Path):
    styles = tmp_path / "_static" / "styles"
    styles.mkdir(parents=True)
    (styles / "a.css").write_text('.a{background:url("../img/x.png")}')
    (styles / "b.css").write_text(".b{color:red}")
    page = tmp_path / "book" / "ch" / "p.html"
    page.parent.mkdir(parents=True)
    text = ('<head><link rel="stylesheet" type="text/css" href="../../_static/styles/a.css" />\n'
            '<link href="../../_static/styles/b.css" rel="stylesheet" /></head><body></body>')
    out = slim.bundle_styles(page, text, tmp_path, {}, inline=True)
    assert '<style>' in out and "<link" not in out
    assert 'url("../../_static/img/x.png")' in out and ".b{color:red}" in out


def test_small_fonts_are_embedded_in_the_stylesheet_and_large_ones_stay_files(tmp_path: Path):
    styles = tmp_path / "_static" / "styles"
    fonts = tmp_path / "_static" / "fonts"
    styles.mkdir(parents=True)
    fonts.mkdir()
    (fonts / "small.woff2").write_bytes(b"wOF2" + b"\0" * 100)
    (fonts / "large.woff2").write_bytes(b"wOF2" + b"\0" * (slim.SMALL_FONT + 1))
    css = ('@font-face{src:url("../fonts/small.woff2") format("woff2"),url("../fonts/small.ttf")}'
           '@font-face{src:url("../fonts/large.woff2") format("woff2")}')
    out = slim.inline_fonts(css, styles)
    assert 'url("data:font/woff2;base64,d09GMg' in out and 'url("../fonts/small.ttf")' in out
    assert 'url("../fonts/large.woff2")' in out


def test_the_vocabulary_is_class_names_ids_and_script_words_not_page_text(tmp_path: Path):
    (tmp_path / "s.js").write_text('el.classList.add("shown")')
    page = tmp_path / "p.html"
    text = ('<html><head><script src="s.js"></script><script>var k = "inline-class";</script></head>'
            '<body><div class="a b" id="main"><p>related sidebar words</p></div></body></html>')
    words = slim.vocabulary(tmp_path, {page: text})
    assert {"a", "b", "main", "shown", "inline-class"} <= words
    assert "related" not in words and "sidebar" not in words
    css = ".related{x:1}#main{y:2}#other{z:3}.shown{w:4}"
    assert slim.purge_css(css, words) == "#main{y:2}.shown{w:4}"


def test_minified_css_keeps_strings_and_descendant_pseudo_classes():
    css = "a :hover , b  {  color : red ;  content: \"a  ,  b\" ; }\n/* note */ @media (max-width: 10px) { .x { margin: 0 auto } }"
    assert slim.minify_css(css) == 'a :hover,b{color : red;content: "a  ,  b"}@media (max-width: 10px){.x{margin: 0 auto}}'


def test_stylesheets_are_joined_with_imports_inlined_and_urls_rebased(tmp_path: Path):
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "basic.css").write_text(".b{background:url(file.png)}")
    (static / "styles" / "theme.css").write_text('@import "../basic.css";')
    (static / "own.css").write_text(".o{color:blue}")
    page = tmp_path / "book" / "p.html"
    page.parent.mkdir()
    page.write_text('<html><head>\n<link href="../_static/styles/theme.css?digest=1" rel="stylesheet" />\n'
                    '<link rel="stylesheet" type="text/css" href="../_static/own.css?v=2" />\n</head><body></body></html>')
    written: dict[str, str] = {}
    out = slim.bundle_styles(page, page.read_text(), tmp_path, written)
    assert out.count('rel="stylesheet"') == 1
    bundle = static / "styles" / next(iter(written.values()))
    css = bundle.read_text()
    assert 'url("../file.png")' in css and ".o{color:blue}" in css and "@import" not in css


def test_head_scripts_are_deferred_and_the_options_inlined(tmp_path: Path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "documentation_options.js").write_text("const DOCUMENTATION_OPTIONS = {};")
    page = tmp_path / "p.html"
    text = ('<head><link rel="preload" as="script" href="_static/b.js" />\n'
            '<script src="_static/documentation_options.js?v=1"></script>\n<script src="_static/doctools.js?v=2"></script>\n'
            '<script>DOCUMENTATION_OPTIONS.pagename = "p";</script>\n<script defer src="_static/x.js"></script></head>'
            '<body><script src="_static/late.js"></script></body>')
    out = slim.defer_scripts(page, text, tmp_path)
    assert "<script>const DOCUMENTATION_OPTIONS = {};</script>" in out
    assert '<script defer src="_static/doctools.js?v=2"></script>' in out
    assert "preload" not in out and out.count("defer") == 2
    assert '<script src="_static/late.js"></script>' in out  # body scripts are left alone


def test_deferred_scripts_load_in_order_after_the_page_has_loaded():
    text = ('<head><script defer src="../_static/a.js?v=1"></script>\n<script>var inline = 1;</script>\n'
            '<script defer src="../_static/b.js"></script>\n<script async src="x.js"></script></head>'
            '<body><p>text</p>\n<script defer src="../_static/c.js"></script></body>')
    out = slim.late_scripts(text)
    assert "<script defer" not in out and '<script async src="x.js"></script>' in out
    assert "<script>var inline = 1;</script>" in out
    loader = re.search(r'<script>addEventListener\("load".*?</script>\n</body>', out, re.S).group(0)
    assert '["../_static/a.js?v=1", "../_static/b.js", "../_static/c.js"]' in loader and "e.async=false" in loader
    assert slim.late_scripts("<head></head><body></body>") == "<head></head><body></body>"


def test_search_scripts_stay_only_on_the_search_page(tmp_path: Path):
    tags = '<script src="_static/searchtools.js"></script><script src="searchindex.js"></script>'
    (tmp_path / "a.html").write_text(f"<head>{tags}</head>")
    (tmp_path / "search.html").write_text(f"<head>{tags}</head>")
    slim.slim(tmp_path)
    assert "searchindex" not in (tmp_path / "a.html").read_text()
    assert "searchindex" in (tmp_path / "search.html").read_text()


def test_a_sitemap_lists_every_page_under_the_site_address(tmp_path: Path):
    from mdmacourse.sphinxext import write_sitemap

    sitemap = write_sitemap(tmp_path, "https://example.org/course", ["book/about", "index"])
    text = sitemap.read_text()
    assert "<loc>https://example.org/course/book/about.html</loc>" in text
    assert "<loc>https://example.org/course/index.html</loc>" in text


def test_the_root_redirect_becomes_a_copy_of_the_first_page_with_rebased_links(tmp_path: Path):
    (tmp_path / "book").mkdir()
    (tmp_path / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=book/index.html" />\n')
    (tmp_path / "book" / "index.html").write_text(
        '<html data-content_root="../"><link href="../_static/s.css"><a href="about.html#x">a</a>'
        '<a href="#top">t</a><a href="https://example.org/">e</a><img src="../_images/f.png"></html>')
    assert slim.unredirect_root(tmp_path)
    text = (tmp_path / "index.html").read_text()
    assert 'data-content_root="./"' in text and 'href="_static/s.css"' in text
    assert 'href="book/about.html#x"' in text and 'href="#top"' in text
    assert 'href="https://example.org/"' in text and 'src="_images/f.png"' in text
    # a later (incremental) build copies the first page again, so the root page never keeps an old copy
    (tmp_path / "book" / "index.html").write_text('<html data-content_root="../"><p>new text</p></html>')
    assert slim.unredirect_root(tmp_path)
    text = (tmp_path / "index.html").read_text()
    assert "new text" in text and "about.html" not in text and text.count("root page copied from") == 1


def test_chart_images_get_a_palette_keep_their_look_and_transparency(tmp_path: Path):
    from PIL import Image, ImageDraw

    images = tmp_path / "_images"
    images.mkdir()
    chart = Image.new("RGB", (300, 200), "white")
    draw = ImageDraw.Draw(chart)
    for i in range(40):
        draw.line((0, 5 * i, 300, 200 - 5 * i), fill=(0, 114, 178), width=2)
    chart.save(images / "chart.png")
    see_through = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    ImageDraw.Draw(see_through).ellipse((5, 5, 45, 45), fill=(213, 94, 0, 255))
    see_through.save(images / "icon.png")
    before = (images / "chart.png").stat().st_size
    assert slim.palette_images(tmp_path) > 0
    assert (images / "chart.png").stat().st_size < before
    with Image.open(images / "chart.png") as small:
        assert small.mode == "P" and small.convert("RGB").getpixel((150, 100)) == chart.getpixel((150, 100))
    with Image.open(images / "icon.png") as icon:
        assert icon.convert("RGBA").getpixel((0, 0))[3] == 0, "transparency lost"
    assert slim.palette_images(tmp_path) == 0  # already stored with a palette: left alone


def test_chart_images_load_lazily_but_theme_images_do_not():
    text = '<img alt="a" src="../_images/f.png"><img alt="b" src="../_static/logo.svg"><img loading="eager" src="_images/g.png">'
    out = slim.lazy_images(text)
    assert '<img loading="lazy" decoding="async" alt="a" src="../_images/f.png">' in out
    assert '<img alt="b" src="../_static/logo.svg">' in out and 'loading="eager"' in out


def test_sidebar_gets_a_landmark_and_bibliography_entries_a_valid_role(tmp_path: Path):
    (tmp_path / "a.html").write_text('<div id="s" class="bd-sidebar-primary bd-sidebar"></div>'
                                     '<div class="citation" role="doc-biblioentry"></div>')
    slim.slim(tmp_path)
    text = (tmp_path / "a.html").read_text()
    assert 'role="complementary" aria-label="Book navigation" class="bd-sidebar-primary' in text
    assert 'role="listitem"' in text and "doc-biblioentry" not in text
