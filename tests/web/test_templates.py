"""`bot.web.templates`: the one Jinja2 setup of both web edges escapes every value and
makes a missing one an error, never an empty spot on a page."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from bot.web.templates import environment


def test_values_are_escaped_and_a_missing_one_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<p>{{ name }}</p>\n", encoding="utf-8")
    template = environment(tmp_path).get_template("page.html")
    assert template.render(name="<script>") == "<p>&lt;script&gt;</p>"
    with pytest.raises(jinja2.UndefinedError):
        template.render()


def test_block_tags_leave_no_lines_or_indentation_behind(tmp_path: Path) -> None:
    (tmp_path / "list.html").write_text(
        "<ul>\n  {% for item in items %}\n  <li>{{ item }}</li>\n  {% endfor %}\n</ul>\n",
        encoding="utf-8",
    )
    html = environment(tmp_path).get_template("list.html").render(items=["a", "b"])
    assert html == "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>"
