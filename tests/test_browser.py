"""Browser tests: a real Chromium on the running service. Each page is checked for console
errors, every link on it answers 200, and a screenshot is kept as a test artefact."""

from __future__ import annotations

from datetime import date
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from browser import assert_local_links_answer, chromium, console_errors, links_of, screenshot
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def open_page(driver, base_url: str, path: str):
    driver.get(urljoin(base_url, path))
    assert console_errors(driver) == []


def test_query_page_runs_an_example_and_shows_its_table(browser, api_url):
    open_page(browser, api_url, "/sparql")
    assert browser.find_element(By.CSS_SELECTOR, ".CodeMirror")  # the editor replaced the textarea
    example = browser.find_element(By.CSS_SELECTOR, '#examples a[data-example="plans-implementing"]')
    example.click()
    editor_text = browser.execute_script("return document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert "ensures_implementation_of" in editor_text
    highlighted = browser.find_elements(By.CSS_SELECTOR, ".CodeMirror .cm-keyword")
    assert highlighted  # SPARQL syntax highlighting
    browser.find_element(By.ID, "run").click()
    table = WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.ID, "result-table")))
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    expected = httpx.post(api_url + "/sparql", data={"query": editor_text}).json()["results"]["bindings"]
    assert len(rows) == len(expected) > 0
    assert console_errors(browser) == []
    screenshot(browser, "query-page")
    assert_local_links_answer(browser, api_url)


ID = "/id/"
LANG_SON_PLAN = "doc/lang-son/ubnd/kh/2025/de-an-1639"
QN_SCIENCE = "org/quang-ngai/so-khoa-hoc-va-cong-nghe"


def test_home_page(browser, api_url):
    open_page(browser, api_url, "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
    assert browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_element(By.CSS_SELECTOR, "form[role=search] input[name=q]")
    screenshot(browser, "home")
    assert_local_links_answer(browser, api_url)


def test_plan_page_reads_like_the_plan(browser, api_url):
    open_page(browser, api_url, ID + LANG_SON_PLAN)  # the IRI: 303 to the document, in HTML
    assert urlsplit(browser.current_url).path == "/doc/" + LANG_SON_PLAN
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "Lạng Sơn" in text and "Sở Khoa học và Công nghệ" in text
    screenshot(browser, "plan")
    assert_local_links_answer(browser, api_url)


def test_agency_page_lists_its_tasks(browser, api_url):
    open_page(browser, api_url, ID + QN_SCIENCE)
    assert "Sở Khoa học và Công nghệ" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_elements(By.CSS_SELECTOR, "main a[href*='/item/']")  # the tasks it has a role in
    screenshot(browser, "agency")
    assert_local_links_answer(browser, api_url)


def test_search_without_diacritics_from_the_home_page(browser, api_url):
    open_page(browser, api_url, "/")
    box = browser.find_element(By.CSS_SELECTOR, "form[role=search] input[name=q]")
    box.send_keys("xu ly chat thai y te")
    box.submit()
    WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "ol.results")))
    assert console_errors(browser) == []
    marked = [m.text.lower() for m in browser.find_elements(By.CSS_SELECTOR, "ol.results mark")]
    assert "chất thải" in " ".join(marked) and "y tế" in " ".join(marked)
    screenshot(browser, "search")
    assert_local_links_answer(browser, api_url)


def test_language_switch(browser, api_url):
    open_page(browser, api_url, ID + QN_SCIENCE)
    vietnamese = browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.CSS_SELECTOR, "header a.lang").click()
    WebDriverWait(browser, 30).until(
        lambda driver: driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    )
    assert console_errors(browser) == []
    english = browser.find_element(By.TAG_NAME, "h1").text
    assert english != vietnamese and "Department of Science and Technology" in english
    # Links keep the reader in English.
    local = [link for link in links_of(browser) if "/id/" in link]
    assert local and all("lang=en" in link for link in local)
    screenshot(browser, "agency-en")
    assert_local_links_answer(browser, api_url)


def test_calendar_shows_upcoming_and_overdue_deadlines(browser, api_url):
    year = date.today().year
    open_page(browser, api_url, f"/calendar?year={year - 1}&years=2")
    rows = browser.find_elements(By.CSS_SELECTOR, "main tbody tr")
    expected = httpx.get(
        urljoin(api_url, "/calendar"), params={"year": year - 1, "years": 2, "format": "json"}, timeout=60
    ).json()["deadlines"]
    assert len(rows) == len(expected) > 0
    assert [row.get_attribute("class") for row in rows] == [d["status"] for d in expected]
    assert {"overdue", "upcoming"} <= {d["status"] for d in expected}
    # The recipient dissolved in 2025 is routed to its successors.
    assert browser.find_elements(By.CSS_SELECTOR, "main tbody .routed a")
    screenshot(browser, "calendar")
    assert_local_links_answer(browser, api_url)


def test_the_content_security_policy_is_in_force_and_the_pages_keep_to_it(browser, api_url):
    """The query page (its editor running a query) and a plan page log no violation of the
    Content-Security-Policy (Chromium reports each as a console error), and the policy is in
    force: a script injected inline, as an XSS would, does not run and is reported."""
    open_page(browser, api_url, "/sparql")
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.ID, "result-table")))
    assert console_errors(browser) == []
    for path in ("/sparql", ID + LANG_SON_PLAN):
        open_page(browser, api_url, path)
        injected = browser.execute_script(
            "const s = document.createElement('script'); s.textContent = 'window.injectedRan = true';"
            "document.body.appendChild(s); return window.injectedRan === true;"
        )
        assert injected is False
        assert any("Content Security Policy" in message for message in console_errors(browser))


def test_the_query_page_shows_a_javascript_iri_of_an_answer_as_text(browser, api_url):
    """The editor's table (sparql.js) links only http, https and mailto IRIs, as the server does."""
    open_page(browser, api_url, "/sparql")
    query = "SELECT ?x WHERE { VALUES ?x { <javascript:alert(1)> <JaVaScRiPt:alert(2)> <https://example.org/> } }"
    browser.execute_script("document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0])", query)
    browser.find_element(By.ID, "run").click()
    table = WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.ID, "result-table")))
    cells = table.find_elements(By.CSS_SELECTOR, "tbody td a")
    assert {a.text: a.get_attribute("href") for a in cells} == {
        "javascript:alert(1)": None,
        "JaVaScRiPt:alert(2)": None,
        "https://example.org/": "https://example.org/",
    }
    assert console_errors(browser) == []
