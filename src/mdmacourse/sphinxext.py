"""The course's Sphinx extension (listed in `_config.yml`).

* Editions: ``course_edition`` ("student" or "instructor"). In the student edition every
  instructor-only block is removed from each page's source before parsing, and the page sources
  copied for download (``_sources/``) are rewritten the same way. The edition is added as a Sphinx
  tag and named in the HTML title and on the PDF title page.
* Evidence date: each page's ``evidence_reviewed`` front-matter date is shown under its title.
* Checks: the chapter skeleton and the table of contents (``mdmacourse.pages``), and the evidence data
  (``mdmacourse.data``); each problem is a warning naming the file (and for data the table, line, field,
  value and rule), so a ``-W`` build stops.
* Data download: before reading, the validated data package is written as one archive
  (``mdmacourse.archive``), which the data page links.
* ``{data-dictionary}``: the data dictionary, generated from ``book/data/datapackage.json``.
"""
from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import archive, data, dictionary, editions, pages, slim

logger = logging.getLogger(__name__)

EDITION_LABEL = {"student": "Student edition", "instructor": "Instructor edition"}


def _config_inited(app: Sphinx, config) -> None:
    edition = config.course_edition
    if edition not in editions.EDITIONS:
        raise ValueError(f"_config.yml: course_edition must be one of {editions.EDITIONS}, not {edition!r}")
    app.tags.add(edition)
    label = EDITION_LABEL[edition]
    config.html_title = f"{config.html_title or config.project} ({label})"


def _drop_instructor_guide(app: Sphinx, config) -> None:
    """The student edition leaves out the instructor guide's part of the table of contents (lesson plans,
    question bank): its pages are removed from the site map and excluded, so they reach no output at all."""
    if config.course_edition != "student":
        return
    site_map = getattr(config, "external_site_map", None)
    if site_map is None:
        return
    dropped = []
    for document in list(site_map.values()):
        kept = []
        for tree in document.subtrees:
            guide = [name for name in tree.files() if pages.is_instructor_page(name)]
            if guide and len(guide) == len(tree.files()):
                dropped += guide
            else:
                kept.append(tree)
        document.subtrees = kept
    for name in dropped:
        if name in site_map:
            del site_map[name]
    config["exclude_patterns"] = list(config["exclude_patterns"]) + [f"{pages.INSTRUCTOR_DIR}/**"]


def _title_page(app: Sphinx, env, docnames) -> None:
    """Name the edition on the PDF title page.

    Jupyter Book fills ``latex_documents`` after Sphinx has started, so this runs when reading begins.
    """
    label = EDITION_LABEL[app.config.course_edition]
    docs = []
    for entry in app.config.latex_documents or []:
        entry = list(entry)
        if len(entry) > 2 and label not in entry[2]:
            entry[2] = f"{entry[2]}\\\\[2ex]\\Large {label}"
        docs.append(tuple(entry))
    app.config.latex_documents = docs


def _source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    try:
        source[0] = editions.strip_for(app.config.course_edition, source[0])
    except ValueError as error:
        logger.warning(f"{app.env.doc2path(docname)}: {error}", type="course", subtype="edition")


def _builder_inited(app: Sphinx) -> None:
    root = Path(app.srcdir)
    for problem in pages.check_book(root):
        logger.warning(str(problem), type="course", subtype="skeleton")
    folder = root / "book" / "data"
    if (folder / "datapackage.json").is_file():
        problems = data.validate(folder)
        for problem in problems:
            logger.warning(f"book/data/{problem}", type="course", subtype="data")
        if not problems:
            archive.write_archive(root)  # the data page offers it with {download}


class DataDictionary(SphinxDirective):
    """Render the data dictionary from the data package's schema."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        folder = Path(self.env.srcdir) / "book" / "data"
        page_dir = (Path(self.env.srcdir) / self.env.docname).parent
        prefix = Path(os.path.relpath(folder, page_dir)).as_posix()
        self.env.note_dependency(str(folder / "datapackage.json"))
        for csv in folder.glob("*.csv"):
            self.env.note_dependency(str(csv))
        text = dictionary.dictionary_markdown(folder, prefix)
        container = nodes.container()
        self.state.nested_parse(StringList(text.splitlines(), source=self.env.docname), 0, container, match_titles=True)
        return container.children


class review_date(nodes.paragraph, nodes.Invisible):
    """The "Evidence last reviewed" line. It renders as a paragraph (Sphinx's writers dispatch along the class
    hierarchy), but counts as invisible to page summarisers, so that a page's description and social-preview
    text start with its real first paragraph rather than this line."""


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    meta = app.env.metadata.get(docname, {})
    date, _reason = pages.review_date(meta)
    if date is None:
        return  # reported by the skeleton check, naming the file
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    title = next(iter(section.findall(nodes.title)), None)
    note = review_date(classes=["evidence-reviewed"])
    note += nodes.strong(text="Evidence last reviewed: ")
    note += nodes.Text(f"{date.day} {date:%B %Y}")
    note += nodes.Text(". Check later sources before relying on it.")
    if title is not None:
        section.insert(section.index(title) + 1, note)
    else:
        section.insert(0, note)


def write_sitemap(outdir: Path, baseurl: str, docnames: list[str]) -> Path:
    """A sitemap of every page, for search engines, when the book's public address is configured."""
    base = baseurl.rstrip("/") + "/"
    urls = "".join(f"  <url><loc>{escape(base + name)}.html</loc></url>\n" for name in sorted(docnames))
    target = outdir / "sitemap.xml"
    target.write_text('<?xml version="1.0" encoding="UTF-8"?>\n'
                      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n",
                      encoding="utf-8")
    return target


def _build_finished(app: Sphinx, exception) -> None:
    """Slim and repair the HTML output (mdmacourse.slim), write the sitemap; rewrite the copied page sources of the student edition without
    instructor-only blocks."""
    if exception is not None or app.builder.format != "html":
        return
    if getattr(app.config, "html_baseurl", ""):
        write_sitemap(Path(app.outdir), app.config.html_baseurl, list(app.env.found_docs))
    report = slim.slim(Path(app.outdir))
    logger.info(f"[course] slimmed {report['pages']} pages: {report['icons']} icons kept, "
                f"{report.get('bundles', 0)} stylesheet bundle(s)")
    if app.config.course_edition == "instructor":
        return
    sources = Path(app.outdir) / "_sources"
    for docname in app.env.found_docs:
        original = Path(app.env.doc2path(docname))
        for copied in (sources / original.relative_to(app.srcdir)).parent.glob(original.name + "*"):
            text = original.read_text(encoding="utf-8") if original.suffix == ".md" else None
            if text is not None:
                copied.write_text(editions.strip_for(app.config.course_edition, text), encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.add_config_value("course_edition", "student", "env", [str])
    app.add_config_value("course_license_content", "CC-BY-4.0", "env", [str])
    app.add_config_value("course_license_code", "MIT", "env", [str])
    app.add_directive("data-dictionary", DataDictionary)
    app.connect("config-inited", _config_inited)
    # after sphinx-external-toc (priority 900) has read _toc.yml into the site map
    app.connect("config-inited", _drop_instructor_guide, priority=950)
    app.connect("builder-inited", _builder_inited)
    app.connect("env-before-read-docs", _title_page)
    app.connect("source-read", _source_read)
    app.connect("doctree-read", _doctree_read)
    # after the theme's own build-finished handlers (pydata-sphinx-theme rewrites pygments.css there)
    app.connect("build-finished", _build_finished, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
