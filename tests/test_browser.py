"""The web app in a real browser: Playwright drives Debian's chromium (never one Playwright downloads).

A server over the bundled corpus is started on a free 127.0.0.1 port; the tests ask a question and see
the figure with its citation, open the 来源 and 计算核对 boxes, reload and still see the citations,
type HTML and see it as text, search the catalog, open the documents page; at a desktop size
(1280×900) and a phone size (390×844). Screenshots go to artifacts/screenshots/*.png.
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
XINFANG = "晋城市信访局2024年度部门预算"
ANSWER_TIMEOUT_MS = 60_000
ADMIN = "管理员口令-browser"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

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
    return load_settings(
        store_dir=store_dir, embedder="hash", max_concurrency=2, max_queue=8, admin_password=ADMIN
    )


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


def open_page(browser: Any, url: str, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    page.wait_for_selector("#question textarea")
    return page


@pytest.fixture()
def page(browser: Any, url: str) -> Iterator[Any]:
    page = open_page(browser, url, DESKTOP)
    try:
        yield page
    finally:
        page.context.close()


@pytest.fixture()
def phone(browser: Any, url: str) -> Iterator[Any]:
    page = open_page(browser, url, PHONE)
    try:
        yield page
    finally:
        page.context.close()


def page_scroll_width(page: Any) -> int:
    return int(page.evaluate("() => document.documentElement.scrollWidth"))


def shot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def shot_element(locator: Any, name: str) -> Path:
    """A screenshot of one element (e.g. a box inside the scrolling chat)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    locator.scroll_into_view_if_needed()
    locator.screenshot(path=str(path))
    return path


def wait_for_answer(page: Any, count: int = 1) -> None:
    """Wait until the chat holds `count` questions and the last answer is complete (no cursor)."""
    page.wait_for_function(
        "n => { const chat = document.querySelector('#chatbot');"
        " return chat.querySelectorAll('.bqa-question').length === n && !chat.innerText.includes('▌'); }",
        arg=count,
        timeout=ANSWER_TIMEOUT_MS,
    )


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
    assert "[1]" in text and GONGXIN in text and "原文第569行" in text
    assert ".txt" not in sources.inner_text()  # the document's title, never its file name
    assert "4.70万元" in first.locator("blockquote").inner_text()
    shot(page, "chat_answer_sources")

    # a click on the answer's 来源 opens the cited lines of the source in the page
    view = page.locator("#source-view")
    view.locator(".bqa-cited").first.wait_for()
    cited = view.locator(".bqa-cited").first.inner_text()
    assert "569" in cited and "4.70万元" in cited
    assert GONGXIN in view.inner_text() and ".txt" not in view.inner_text()
    shot(page, "chat_source_view")

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


INJECTIONS = (
    "<img src=x onerror=window.__pwned=1>",
    "<b>粗体</b>",
    "<script>window.__pwned=2</script>",
)
NO_INJECTED_ELEMENTS = """() => {
  const chat = document.querySelector('#chatbot');
  const questions = [...chat.querySelectorAll('.bqa-question')];
  return {
    questions: questions.map(q => q.innerText),
    elements: questions.reduce((n, q) => n + q.querySelectorAll('*').length, 0)
      - questions.reduce((n, q) => n + q.querySelectorAll('br').length, 0),
    images: chat.querySelectorAll('img').length,
    scripts: chat.querySelectorAll('script').length,
    bold: [...chat.querySelectorAll('b, strong')].filter(b => b.innerText.includes('粗体')).length,
    pwned: window.__pwned === undefined ? null : window.__pwned,
  };
}"""


def test_typed_html_is_shown_as_text_also_after_a_reload(page: Any) -> None:
    for number, typed in enumerate(INJECTIONS, start=1):
        page.fill("#question textarea", typed)
        page.click("#send")
        wait_for_answer(page, number)
    state = page.evaluate(NO_INJECTED_ELEMENTS)
    assert state["questions"] == list(INJECTIONS)  # exactly what was typed, as text
    assert state == {**state, "elements": 0, "images": 0, "scripts": 0, "bold": 0, "pwned": None}
    shot(page, "chat_typed_html")
    page.reload()
    page.wait_for_selector("#chatbot .bqa-question")
    page.wait_for_function("() => document.querySelectorAll('#chatbot .bqa-question').length === 3")
    state = page.evaluate(NO_INJECTED_ELEMENTS)
    assert state["questions"] == list(INJECTIONS)
    assert state == {**state, "elements": 0, "images": 0, "scripts": 0, "bold": 0, "pwned": None}


def test_empty_and_over_long_questions_get_a_message(page: Any) -> None:
    page.click("#send")
    hint = page.locator("#question-hint")
    hint.get_by_text("请输入问题").wait_for()
    page.fill("#question textarea", "问" * 501)
    page.click("#send")
    hint.get_by_text("问题太长：最多 500 个字，现在 501 个字").wait_for()
    assert page.locator("#question textarea").input_value() == "问" * 501  # kept, to be shortened
    assert page.locator("#chatbot .bqa-question").count() == 0  # nothing was sent
    shot(page, "chat_long_question")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_first_screen_has_the_input_what_is_held_and_examples(browser: Any, url: str, size: str) -> None:
    viewport = DESKTOP if size == "desktop" else PHONE
    page = open_page(browser, url, viewport)
    try:
        page.wait_for_timeout(500)  # layout settled
        box = page.locator("#question textarea").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]  # visible, no scrolling
        send = page.locator("#send").bounding_box()
        assert send["y"] + send["height"] <= viewport["height"]
        held = page.locator("#held")
        assert "已收录 4 个部门" in held.inner_text() and "孝义市财政局（2026年）" in held.inner_text()
        assert page_scroll_width(page) <= viewport["width"]  # nothing sticks out sideways
        if size == "desktop":  # beside the input on a wide screen
            held_box = held.bounding_box()
            assert held_box["x"] > box["x"] + box["width"] and held_box["y"] < viewport["height"]
            first_example = page.locator("#examples button").first.bounding_box()
            assert first_example["y"] + first_example["height"] <= viewport["height"]
        # the public sees neither the upload tab nor the evaluator examples
        assert page.get_by_role("tab", name="上传").count() == 0
        assert not page.get_by_text("评估人员示例问题").is_visible()
        shot(page, f"first_screen_{size}")
    finally:
        page.context.close()


def test_an_example_question_is_sent_on_click(page: Any) -> None:
    page.locator("#examples button", has_text="柳林县工业和信息化局2024年“三公”经费是多少？").click()
    wait_for_answer(page)
    chat = page.locator("#chatbot")
    assert chat.locator(".bqa-question").inner_text() == "柳林县工业和信息化局2024年“三公”经费是多少？"
    assert "4.70万元" in chat.inner_text()
    assert page.locator("#question textarea").input_value() == ""


def test_phone_shows_calculations_and_sources_as_cards(phone: Any) -> None:
    ask(phone, "孝义市财政局2026年人员经费占基本支出的比例是多少？")
    for box in ("bqa-sources", "bqa-calcs"):
        phone.locator(f"#chatbot details.{box}").last.locator("summary").click()
    phone.locator("#chatbot .bqa-calc").first.wait_for(state="visible")
    phone.locator("#chatbot .bqa-calc").first.scroll_into_view_if_needed()
    assert phone.locator("#chatbot table").count() == 0  # cards, no squeezed table
    measured = phone.evaluate(
        """() => [...document.querySelectorAll('#chatbot .bqa-value, #chatbot .bqa-where, #chatbot blockquote')]
          .map(e => {
            const range = document.createRange(); range.selectNodeContents(e);
            const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
            return {text: e.innerText, width: e.getBoundingClientRect().width,
                    chars: e.innerText.length, lines,
                    font: parseFloat(getComputedStyle(e).fontSize)};
          })"""
    )
    assert measured
    for cell in measured:  # no one-character-per-line text: each line holds several characters
        assert cell["width"] >= 6 * cell["font"], cell
        assert cell["lines"] <= max(1, cell["chars"] // 4), cell
    result = next(c for c in measured if c["text"].startswith("94.73"))
    assert result["lines"] == 1  # the figure with its unit on one line
    assert page_scroll_width(phone) <= PHONE["width"]
    shot(phone, "phone_calculation_cards")
    shot_element(phone.locator("#chatbot details.bqa-calcs").last, "phone_calculation_box")
    shot_element(phone.locator("#chatbot details.bqa-sources").last, "phone_sources_box")


def test_admin_sees_upload_and_evaluator_examples_after_the_password(page: Any) -> None:
    page.locator("#admin").get_by_text("管理员登录").click()
    page.fill("#admin-password input", "wrong")
    page.click("#admin-login")
    page.get_by_text("管理员密码不正确").wait_for()
    assert page.get_by_role("tab", name="上传").count() == 0
    page.wait_for_timeout(1100)  # a wrong password makes the next try wait a second
    page.fill("#admin-password input", ADMIN)
    page.click("#admin-login")
    page.get_by_text("已进入管理员模式").wait_for()
    page.get_by_role("tab", name="上传").wait_for()
    assert page.get_by_text("评估人员示例问题").is_visible()
    assert page.locator("#admin-password input").input_value() == ""  # not kept on the page
    page.get_by_role("tab", name="上传").click()  # the page's session cookie lets the file through
    page.locator("input[type=file][accept*='.pdf']").set_input_files(
        str(CORPUS / "2024_晋城市信访局_部门预算.txt")
    )
    page.get_by_role("button", name="导入").click()
    page.locator("span", has_text="未变（已导入过）").first.wait_for(timeout=60_000)
    page.reload()  # a new session asks again
    page.wait_for_selector("#question textarea")
    assert page.get_by_role("tab", name="上传").count() == 0


def pick_document(page: Any, title: str) -> None:
    page.get_by_role("tab", name="文档").click()
    page.locator("#doc-pick input").first.click()
    page.get_by_role("option", name=title).click()
    page.wait_for_function("t => document.querySelector('#doc-summary').innerText.includes(t)", arg=title)


def test_documents_page_charts_open_rounding_apart_and_table_one_side_by_side(page: Any) -> None:
    pick_document(page, GONGXIN)
    page.wait_for_function("() => document.querySelector('#table-view').innerText.includes('17464.07')")
    summary = page.locator("#doc-summary").inner_text()
    assert "尾数差异（四舍五入）8 处" in summary and "表内算术不符" not in summary
    header = page.locator("#table-view thead").inner_text()
    assert header.index("收入项目") < header.index("支出项目")  # two sides, as printed
    page.wait_for_function(  # charts are open without a click
        "() => { const i = document.querySelector('#chart-function img');"
        " return i && i.complete && i.naturalWidth > 300; }"
    )
    assert page.locator("#chart-sangong img").first.is_visible()
    shot(page, "document_charts")
    pick_document(page, XINFANG)  # its 三公 items are all zero: a note, no empty chart
    page.get_by_text("各项均为零，不画图：三公经费构成").wait_for()
    assert page.locator("#chart-sangong").is_hidden()
    assert page.locator("#chart-function img").first.is_visible()


def test_documents_page_on_a_phone(phone: Any) -> None:
    pick_document(phone, GONGXIN)
    phone.wait_for_function("() => document.querySelector('#table-view').innerText.includes('17464.07')")
    assert page_scroll_width(phone) <= PHONE["width"]
    shot(phone, "phone_documents")


def search_catalog(page: Any, query: str) -> Any:
    page.get_by_role("tab", name="目录").click()
    hits = page.locator("#catalog-hits")
    assert hits.locator("table").count() == 0  # no empty placeholder table before a search
    page.locator("#catalog-query textarea, #catalog-query input").first.fill(query)
    page.click("#catalog-search")
    hits.locator("table").wait_for()
    return hits


def test_catalog_search(page: Any) -> None:
    hits = search_catalog(page, "法律顾问")
    hits.get_by_text("B0101", exact=True).first.wait_for()
    assert "法律顾问服务" in hits.inner_text()
    assert "村（居）法律顾问服务" in page.locator("#catalog-detail").inner_text()
    scroll = hits.locator(".bqa-scroll").evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert scroll[0] <= scroll[1] + 1  # every column, 出处 included, fits at 1280 px
    assert ".txt" not in hits.inner_text()
    shot(page, "catalog_search")


def test_catalog_exact_code_is_labelled_exact(page: Any) -> None:
    hits = search_catalog(page, "A100102")
    first = hits.locator("tbody tr").first.locator("td")
    assert first.nth(0).inner_text() == "A100102" and first.nth(2).inner_text() == "精确"


def test_catalog_scrolls_sideways_inside_its_box_on_a_phone(phone: Any) -> None:
    hits = search_catalog(phone, "法律顾问")
    scroll = hits.locator(".bqa-scroll").evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert scroll[0] > scroll[1]  # the table scrolls in its box…
    assert page_scroll_width(phone) <= PHONE["width"]  # …the page does not
    widths = hits.evaluate(
        "e => [...e.querySelectorAll('td')].map(td => [td.getBoundingClientRect().width,"
        " parseFloat(getComputedStyle(td).fontSize), td.innerText.length])"
    )
    assert all(width >= min(chars, 3) * font for width, font, chars in widths)  # no squeezed cells
    shot(phone, "phone_catalog")
