"""A real headless Chromium (Debian's), driven by Playwright; the tests skip, saying why, where there is none."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kratom_handouts.cli import main

from ..conftest import REPO

CHROMIUM = os.environ.get("KRATOM_HANDOUTS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if CHROMIUM is None:
        pytest.skip("no Chromium here: install Debian's 'chromium' (CI does) to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The shipped library built as staff would: PDFs in two layouts, the web edition and the catalog
    (English and Spanish: what the counts below are written for, and quicker than all six languages)."""
    out = tmp_path_factory.mktemp("site")
    result = CliRunner().invoke(main,
                                ["build", "--project", str(REPO), "--layout", "standard", "--layout", "large-print",
                                "--lang", "en", "--lang", "es", "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def page(browser):
    context = browser.new_context()
    opened = context.new_page()
    opened.requests = []  # every request the page makes, to prove none leaves the disk
    opened.on("request", lambda request: opened.requests.append(request.url))
    yield opened
    context.close()
