"""The coverage matrix in a real Chromium: reached from the directive page's link, no console
errors, every cell shows its count, every local link answers 200, a screenshot kept."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from browser import assert_local_links_answer, chromium, console_errors, screenshot
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser

MATRIX = "/coverage/ttg/qd/2024/1639"
DIRECTIVE_PAGE = "/id/doc/ttg/qd/2024/1639"  # the IRI: 303 to its document, in HTML


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def test_matrix_opened_from_the_directive_page(browser, api_url):
    browser.get(urljoin(api_url, DIRECTIVE_PAGE))
    assert console_errors(browser) == []
    browser.find_element(By.CSS_SELECTOR, "a.coverage-link").click()
    WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.ID, "coverage-matrix")))
    assert urlsplit(browser.current_url).path == MATRIX
    assert console_errors(browser) == []
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"

    expected = httpx.get(urljoin(api_url, MATRIX + ".json"), timeout=30).json()
    shown = {
        (cell.get_attribute("data-task-group"), cell.get_attribute("data-plan")): cell.text.split()[0]
        for cell in browser.find_elements(By.CSS_SELECTOR, "#coverage-matrix td[data-count]")
    }
    assert len(shown) == len(expected["task_groups"]) * len(expected["plans"]) == 10
    for i, group in enumerate(expected["task_groups"]):
        for j, plan in enumerate(expected["plans"]):
            assert shown[(group["task_group"], plan["plan"])] == str(expected["counts"][i][j])
    # A shaded cell is shaded: the heat map is not plain white.
    first = browser.find_element(By.CSS_SELECTOR, "#coverage-matrix td[data-count]")
    assert first.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    screenshot(browser, "coverage")

    assert_local_links_answer(browser, api_url)


def test_every_province_in_force_today_is_shown_and_those_without_a_plan_stand_out(browser, api_url):
    browser.get(urljoin(api_url, "/coverage"))
    assert console_errors(browser) == []
    index = httpx.get(urljoin(api_url, "/coverage.json"), timeout=30).json()
    rows = browser.find_elements(By.CSS_SELECTOR, "#coverage-provinces tbody tr")
    assert len(rows) == len(index["rows"][0]["provinces_with_plan"]) + len(index["rows"][0]["provinces_without_plan"])
    assert len(rows) == 34
    without = browser.find_elements(By.CSS_SELECTOR, "#coverage-provinces td.no-plan")
    assert len(without) == sum(len(row["provinces_without_plan"]) for row in index["rows"])
    assert all(cell.text == "Chưa có kế hoạch" for cell in without)
    # Marked by colour too: a cell without a plan is not plain white like one with a plan.
    with_plan = browser.find_element(By.CSS_SELECTOR, "#coverage-provinces td[data-plans]:not(.no-plan)")
    assert without[0].value_of_css_property("color") != with_plan.value_of_css_property("color")

    browser.get(urljoin(api_url, MATRIX + "?lang=en"))
    assert console_errors(browser) == []
    matrix = httpx.get(urljoin(api_url, MATRIX + ".json"), params={"lang": "en"}, timeout=30).json()
    rows = browser.find_elements(By.CSS_SELECTOR, "#coverage-provinces tbody tr")
    assert [row.get_attribute("data-province") for row in rows] == [p["province"] for p in matrix["provinces"]]
    marked = browser.find_elements(By.CSS_SELECTOR, "#coverage-provinces tr.no-plan")
    assert len(marked) == matrix["provinces_without_plan"]
    assert all(row.text.endswith("No plan") for row in marked)
    browser.find_element(By.ID, "provinces").location_once_scrolled_into_view  # noqa: B018 (scrolls)
    screenshot(browser, "coverage-provinces")
