import pytest

from kratom_handouts import inline


def test_markup_is_escaped_and_only_our_tags_are_made():
    source = 'Use **less**, *slowly*: [help](https://findtreatment.gov) <img src="/etc/passwd"> <b>x</b> AT&T a<b'
    assert inline.to_markup(source, "#123456") == (
        'Use <b>less</b>, <i>slowly</i>: <a href="https://findtreatment.gov" color="#123456" underline="1">help</a> '
        '&lt;img src="/etc/passwd"&gt; &lt;b&gt;x&lt;/b&gt; AT&amp;T a&lt;b'
    )


def test_plain_text_drops_markers_only():
    assert inline.plain_text("a **b** *c* [d](https://e.org) 5 * 3") == "a b c d 5 * 3"


def test_unsafe_links_are_found_and_not_linked():
    source = "[x](javascript:alert(1)) [y](file:///etc/passwd)"
    assert inline.links(source) == ["javascript:alert(1)", "file:///etc/passwd"]
    assert "<a" not in inline.to_markup(source, "#000000")


def test_unpaired_markers_print_as_written():
    assert inline.plain_text("un*closed and **half") == "un*closed and **half"


@pytest.mark.parametrize("source,unclosed", [
    ("**Call 911** now", False), ("**Call 911 now", True), ("Call 911 now**", True), ("*Call* now", False),
    ("a * b", False), ("**bold** and **more", True), ("[**Call**](tel:911)", False), ("*one* **two**", False),
])
def test_a_bold_never_closed_is_found(source, unclosed):
    assert inline.unclosed_bold(source) is unclosed
