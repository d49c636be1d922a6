"""The web app in a real browser: Playwright drives Debian's chromium (never one Playwright downloads).

A server over the bundled corpus is started on a free 127.0.0.1 port; the tests ask a question and see
the figure with its citation, open the 来源 and 计算核对 boxes, reload and still see the citations,
search the catalog, and open a chart. Screenshots go to artifacts/screenshots/*.png.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
GONGXIN = "柳林县工业和信息化局2024年度部门预算"
ANSWER_TIMEOUT_MS = 60_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium is missing: run scripts/install_system_deps.sh"
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings over the bundled corpus, ingested once (the shared `corpus_store` when conftest has it)."""
    try:
        store = request.getfixturevalue("corpus_store")
        store_dir = Path(getattr(store, "store_dir", store))
    except pytest.FixtureLookupError:
        from ingest.pipeline import Ingestor

        store_dir = tmp_path_factory.mktemp("browser_store")
        Ingestor(load_settings(store_dir=store_dir, embedder="hash")).ingest([CORPUS])
    return load_settings(store_dir=store_dir, embedder="hash", max_concurrency=2, max_queue=8)


@pytest.fixture(scope="module")
def url(settings: Settings) -> Iterator[str]:
    from ui.web.app import build_app, launch

    port = free_port()
    demo = launch(build_app(settings), settings, "127.0.0.1", port, block=False)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture()
def page(browser: Any, url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    page.wait_for_selector("#question textarea")
    try:
        yield page
    finally:
        context.close()


def shot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def ask(page: Any, question: str) -> Any:
    """Type a question, send it, wait for the final answer; the last assistant message."""
    page.fill("#question textarea", question)
    page.click("#send")
    page.wait_for_function(
        "() => { const m = document.querySelectorAll('#chatbot .bqa-boxes, #chatbot .bqa-notes');"
        " return m.length > 0 && !document.querySelector('#chatbot').innerText.includes('▌'); }",
        timeout=ANSWER_TIMEOUT_MS,
    )
    return page.locator("#chatbot .message.bot, #chatbot [data-testid='bot']").last


def test_chinese_font_is_available_to_the_page(page: Any) -> None:
    assert page.evaluate("() => document.fonts.check('16px \"WenQuanYi Micro Hei\"', '部门预算问答')")
    assert page.get_by_role("tab", name="问答").is_visible()
    assert page.get_by_text("部门预算问答").first.is_visible()


def test_answer_with_figure_and_citation_then_sources_box(page: Any) -> None:
    ask(page, "柳林县工业和信息化局2024年“三公”经费是多少？")
    chat = page.locator("#chatbot")
    assert "4.70万元" in chat.inner_text()
    sources = chat.locator("details.bqa-sources").last
    assert sources.get_attribute("open") is None  # collapsed until asked for
    sources.locator("summary").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#chatbot details.bqa-sources')].some(d => d.open)"
    )
    first = sources.locator("li.bqa-citation").first
    assert first.is_visible()
    text = first.inner_text()
    assert "[1]" in text and GONGXIN in text and "第569行" in text
    assert "4.70万元" in first.locator("blockquote").inner_text()
    shot(page, "chat_answer_sources")

    page.reload()  # the history and its citations come back after a reload
    page.wait_for_selector("#chatbot details.bqa-sources")
    assert "4.70万元" in page.locator("#chatbot").inner_text()


def test_calculation_box_shows_the_expression(page: Any) -> None:
    page.click("#clear")
    ask(page, "孝义市财政局2026年人员经费占基本支出的比例是多少？")
    calcs = page.locator("#chatbot details.bqa-calcs").last
    calcs.locator("summary").click()
    expression = calcs.locator("code").first
    expression.wait_for(state="visible")
    assert expression.inner_text() == "1268.70 ÷ 1339.21 × 100% = 94.73%"
    page.locator("#chatbot details.bqa-sources").last.locator("summary").click()
    shot(page, "chat_calculation")


def test_catalog_search(page: Any) -> None:
    page.get_by_role("tab", name="目录").click()
    page.locator("#catalog-query textarea, #catalog-query input").first.fill("法律顾问")
    page.click("#catalog-search")
    hits = page.locator("#catalog-hits")
    hits.get_by_text("B0101", exact=True).first.wait_for()
    assert "法律顾问服务" in hits.inner_text()
    assert "村（居）法律顾问服务" in page.locator("#catalog-detail").inner_text()
    shot(page, "catalog_search")


def test_open_a_chart(page: Any) -> None:
    page.get_by_role("tab", name="文档").click()
    picker = page.locator("#doc-pick input").first
    picker.click()
    page.get_by_role("option", name=GONGXIN).click()
    page.wait_for_function("t => document.querySelector('#doc-summary').innerText.includes(t)", arg=GONGXIN)
    page.wait_for_function(  # the first table switched to this document's too
        "() => document.querySelector('#table-view').innerText.includes('17464.07')"
    )
    page.locator("#charts").get_by_text("图表").first.click()
    image = page.locator("#chart-function img").first
    image.wait_for(state="visible")
    page.wait_for_function(
        "() => { const i = document.querySelector('#chart-function img');"
        " return i && i.complete && i.naturalWidth > 300; }"
    )
    page.locator("#chart-sangong img").first.wait_for(state="visible")
    page.locator("#charts").scroll_into_view_if_needed()
    shot(page, "document_charts")
