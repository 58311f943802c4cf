from pathlib import Path

import pytest

from kratom_handouts.errors import ContentError, Diagnostics
from kratom_handouts.layouts import load_layout

from .conftest import REPO


def problems(name: str, root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_layout(name, root, Diagnostics())
    return [p.describe(root) for p in caught.value.problems]


def test_shipped_layouts_share_the_brand():
    layouts = {name: load_layout(name, REPO, Diagnostics()) for name in ("standard", "a4", "large-print")}
    assert {layout.clinic.name.value for layout in layouts.values()} == {"Sample Clinic (placeholder)"}
    assert round(layouts["a4"].page_width, 1) == 595.3 and layouts["standard"].page_width == 612
    assert layouts["large-print"].large_print and layouts["large-print"].body_size >= 18
    assert layouts["standard"].body_size >= 12


def test_extends_overrides_key_by_key(project):
    project.write("layouts/wide.yaml",
                  "extends: standard\npage:\n  margins: {top: 10mm, right: 10mm, bottom: 10mm, left: 10mm}\n")
    layout = load_layout("wide", project.root, Diagnostics())
    assert layout.page_width == 612  # from standard
    assert round(layout.margin_left, 2) == round(10 * 72 / 25.4, 2)


def test_extends_cycle(project):
    project.write("layouts/one.yaml", "extends: two\n")
    project.write("layouts/two.yaml", "extends: one\n")
    assert problems("one", project.root) == [
        "layouts/two.yaml:1:10: layout 'extends' goes round in a circle: one -> two -> one"]


def test_extends_unknown(project):
    project.write("layouts/one.yaml", "extends: standrd\n")
    assert problems("one", project.root) == [
        "layouts/one.yaml:1:10: unknown layout 'standrd'; the layouts are: a4, large-print, one, standard"
    ]


def test_logo_outside_the_project(project, tmp_path):
    (tmp_path / "logo.png").write_bytes((REPO / "layouts" / "sample-clinic-logo.png").read_bytes())
    project.write("layouts/evil.yaml", "extends: standard\nlogo: ../logo.png\n")
    assert problems("evil", project.root) == [
        "layouts/evil.yaml:2:7: logo: the path '../logo.png' leaves the project folder; keep files inside the project"
    ]


def test_logo_through_a_symlink_that_leaves_the_project(project, tmp_path):
    (tmp_path / "logo.png").write_bytes((REPO / "layouts" / "sample-clinic-logo.png").read_bytes())
    (project.root / "layouts" / "link.png").symlink_to(tmp_path / "logo.png")
    project.write("layouts/evil.yaml", "extends: standard\nlogo: layouts/link.png\n")
    assert problems("evil", project.root) == [
        "layouts/evil.yaml:2:7: logo: the path 'layouts/link.png' leaves the project folder; keep files inside the "
        "project"
    ]


def test_bad_values_are_located_in_the_file_that_has_them(project):
    project.write("layouts/odd.yaml", """\
        extends: standard
        colors:
          text: black
        footer:
          right: "{page} of {total}"
        fonts:
          body: arial
        """)
    assert problems("odd", project.root) == [
        "layouts/odd.yaml:7:9: body font 'arial' is not known; expected one of: ibm-plex-sans-arabic, "
        "noto-sans, noto-sans-kr, "
         "noto-sans-sc, noto-sans-tc",
        "layouts/odd.yaml:3:9: colour 'text' must be written #rrggbb, found 'black'",
        "layouts/odd.yaml:5:10: footer right has an unknown placeholder {total}; use one of: {title}, {page}, {pages}, "
        "{page_of}, {id}, {reviewed}, {next_review}, {lang}, {clinic}, {clinic_phone}, {clinic_website}",
    ]


def test_a_wide_logo_keeps_its_proportions(project):
    from PIL import Image

    from kratom_handouts.render.document import logo_size

    Image.new("RGB", (600, 150), "#0b4f6c").save(project.root / "layouts" / "wide.png")
    project.write("layouts/wide.yaml", "extends: standard\nlogo: layouts/wide.png\nlogo_height: 0.5in\n")
    width, height = logo_size(load_layout("wide", project.root, Diagnostics()))
    assert (width, height) == (4 * 36.0, 36.0)
    Image.new("RGB", (3000, 100), "#0b4f6c").save(project.root / "layouts" / "wide.png")
    width, height = logo_size(load_layout("wide", project.root, Diagnostics()))
    frame = load_layout("wide", project.root, Diagnostics()).frame_width
    assert width == frame / 3 and height == pytest.approx(frame / 3 / 30)


UNPAIRED = ("a '{' or '}' without its pair: a placeholder is written with one brace on each side, like {title}, "
            "and a brace cannot be printed as text")


@pytest.mark.parametrize("template,message", [
    # A format spec passed check once and printed literally: check and the footer now read placeholders alike.
    ("Page {page:>2} of {pages}", "an unknown placeholder {page:>2}"),
    ("Page {page!r}", "an unknown placeholder {page!r}"),
    ("Page {page", UNPAIRED),
    ("Page } {page}", UNPAIRED),
    ("Page {{page}}", UNPAIRED),
])
def test_a_placeholder_that_would_print_literally_is_refused(project, template, message):
    project.write("layouts/odd.yaml", f'extends: standard\nfooter:\n  right: "{template}"\n')
    found = problems("odd", project.root)
    assert len(found) == 1 and f"footer right has {message}" in found[0], found
