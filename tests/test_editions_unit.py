"""Removing instructor-only blocks from the student edition's sources (quick)."""
from __future__ import annotations

import pytest

from mdmacourse.editions import answer_phrases, instructor_blocks, strip_for

TEXT = """# Page

````{exercise}
:label: ex-1

Question one?
````

````{solution} ex-1
:class: dropdown

The first secret answer sentence is long enough.

```python
print("code inside a solution")
```
````

:::{exercise}
:label: ex-2
Question two?
:::

```{solution-start} ex-2
:class: dropdown
```
The second secret answer sentence is long enough.
```{solution-end}
```

:::{only} instructor
Teaching note that students must not see at all.
:::

:::{only} html
Shown to everyone.
:::

Closing text.
"""


def test_student_text_keeps_questions_and_drops_every_answer():
    student = strip_for("student", TEXT)
    assert "Question one?" in student and "Question two?" in student
    assert "Shown to everyone." in student and "Closing text." in student
    for secret in ("first secret", "code inside a solution", "second secret", "Teaching note", "solution"):
        assert secret not in student


def test_instructor_text_is_unchanged():
    assert strip_for("instructor", TEXT) == TEXT


def test_blocks_and_phrases_are_found():
    kinds = [block.kind for block in instructor_blocks(TEXT)]
    assert kinds == ["solution", "gated-solution", "only"]
    phrases = answer_phrases(TEXT)
    assert "The first secret answer sentence is long enough" in phrases
    assert "The second secret answer sentence is long enough" in phrases


def test_an_unclosed_solution_is_an_error():
    with pytest.raises(ValueError, match="never closed"):
        strip_for("student", "```{solution} ex-1\nanswer\n")


def test_a_gated_solution_without_its_end_is_an_error():
    with pytest.raises(ValueError, match="without a matching"):
        strip_for("student", "```{solution-start} ex-1\n```\nanswer\n")


def test_an_unknown_edition_is_an_error():
    with pytest.raises(ValueError, match="unknown edition"):
        strip_for("teacher", TEXT)


def test_no_answer_phrase_is_repeated_in_the_student_text_of_any_page(root):
    """Quick form of the edition leak test: an answer sentence that also stands in a page's visible prose would
    reach the student edition through the prose."""
    import re

    from mdmacourse import editions, pages

    squash = lambda s: re.sub(r"[^0-9a-z]", "", s.lower())  # noqa: E731  (as the built-output search does)
    visible = {}
    for page in pages.toc_pages(root, "student"):
        text = pages.source_path(root, page.docname).read_text(encoding="utf-8")
        visible[page.docname] = squash(editions.strip_for("student", text))
    phrases = editions.instructor_only_phrases(root)
    assert any(pages.is_instructor_page(d) for d, _ in phrases), "the instructor guide gives no phrase to search for"
    leaks = [f"{d}: {p!r} also appears in {k}" for d, p in phrases for k, v in visible.items() if squash(p) in v]
    assert not leaks, "\n".join(leaks)


def test_page_phrases_take_prose_and_exercise_text_but_not_code_options_or_front_matter():
    from mdmacourse.editions import page_phrases

    text = ("---\nevidence_reviewed: \"2026-01-01\"\n---\n(teach-x)=\n# Teaching a chapter about something\n\n"
            "Students compare the two trials and explain why the primary endpoint differs.\n\n"
            "```{code-cell} python\nprint('a long line of code that is not prose at all, really')\n```\n\n"
            "````{exercise} Multiple choice\n:label: qb-x-1\n\nWhich statement about expectancy effects is right?\n````\n"
            "| 0–10 | Opening question about what students already believe |\n")
    assert page_phrases(text) == [
        "Students compare the two trials and explain why the primary endpoint differs",
        "Which statement about expectancy effects is right",
        "Opening question about what students already believe",
    ]


def test_table_cells_can_be_left_out_of_the_phrases():
    from mdmacourse.editions import page_phrases

    text = ("Some prose long enough to count as a distinctive phrase here.\n\n"
            "```{list-table}\n:header-rows: 1\n\n* - Minutes\n  - A table cell long enough to be a phrase as well\n```\n"
            "| 0–5 | A pipe table cell that is also long enough to count |\n")
    assert len(page_phrases(text)) == 3
    assert page_phrases(text, tables=False) == ["Some prose long enough to count as a distinctive phrase here"]
