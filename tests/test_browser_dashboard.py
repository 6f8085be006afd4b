"""Browser tests of the monitoring pages: a real Chromium on a server of their own over the bundled
data and the example reports. Each page is checked for console errors, every local link on it
answers 200, and a screenshot is kept as a test artefact ("dashboard", "targets")."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from browser import assert_local_links_answer, chromium, console_errors, screenshot
from selenium.webdriver.common.by import By

pytestmark = pytest.mark.browser

LANG_SON = "lang-son/ubnd/kh/2025/de-an-1639"


@pytest.fixture(scope="module")
def url(examples_url):
    """The real app over the bundled data and the example reports (the session's server: the pages only read)."""
    return examples_url


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def open_page(driver, base_url: str, path: str) -> None:
    driver.get(urljoin(base_url, path))
    assert console_errors(driver) == []


def test_dashboard_page(browser, url):
    open_page(browser, url, f"/dashboard/{LANG_SON}")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
    assert browser.find_element(By.CSS_SELECTOR, "aside.example-data").is_displayed()
    overall = browser.find_element(By.CSS_SELECTOR, "#plan-progress svg.bar")
    assert overall.size["width"] > 100 and overall.get_attribute("role") == "img"
    assert browser.find_elements(By.CSS_SELECTOR, "#sections svg.bar rect")  # the bars have filled parts
    assert browser.find_elements(By.CSS_SELECTOR, "#missing li")
    assert browser.find_elements(By.CSS_SELECTOR, "table.items tbody tr")
    screenshot(browser, "dashboard")
    assert_local_links_answer(browser, url)


def test_dashboard_index_page(browser, url):
    open_page(browser, url, "/dashboard?lang=en")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    rows = browser.find_elements(By.CSS_SELECTOR, "#dashboards tbody tr")
    assert rows and browser.find_element(By.CSS_SELECTOR, "#dashboards progress")
    assert_local_links_answer(browser, url)


def test_targets_page(browser, url):
    open_page(browser, url, f"/targets/{LANG_SON}")
    chart = browser.find_element(By.CSS_SELECTOR, "figure.chart svg")
    assert chart.size["width"] > 300 and chart.get_attribute("role") == "img"
    assert chart.find_element(By.TAG_NAME, "title").get_attribute("textContent")
    assert chart.find_elements(By.CSS_SELECTOR, "circle.value-mark")
    screenshot(browser, "targets")
    assert_local_links_answer(browser, url)
