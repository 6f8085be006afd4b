"""Browser tests: a real Chromium on the running service. Each page is checked for console
errors, every link on it answers 200, and a screenshot is kept as a test artefact."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from browser import chromium, console_errors, screenshot
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def links_of(driver) -> set[str]:
    return {a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a[href]")}


def assert_links_answer(base_url: str, links: set[str]) -> None:
    """Every link into the service answers 200 (external IRIs are not followed: offline machines)."""
    local = {link.split("#")[0] for link in links if urlsplit(link).netloc == urlsplit(base_url).netloc}
    assert local
    with httpx.Client(timeout=60, follow_redirects=True) as client:
        broken = {link: client.get(link).status_code for link in sorted(local)}
    assert {link: status for link, status in broken.items() if status != 200} == {}


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
    assert_links_answer(api_url, links_of(browser))
