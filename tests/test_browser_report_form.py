"""A real Chromium files a progress report: it opens the form, is sent to sign in, signs in with a
province token, chooses statuses, types a narrative, files the report, lands on the report's page,
and finds it counted on the plan's dashboard. Without any script (the form needs none). Screenshots:
"report-form" (the filled form, at a phone's width) and "report-filed" (the dashboard).

A server of its own over a store of its own (the form writes) and a tokens file of its own.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote, urljoin

import pytest
from api_server import running_server
from browser import chromium, console_errors, screenshot, wait_for_url
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from bioplan import layout
from bioplan.loading.loader import load
from bioplan.settings import Settings
from bioplan.store.embedded import OxigraphStore
from bioplan.writes.auth import TokenFile

pytestmark = pytest.mark.browser

PLAN = "https://w3id.org/vn-bioplan/id/doc/lang-son/ubnd/kh/2025/de-an-1639"
PLAN_KEY = "lang-son/ubnd/kh/2025/de-an-1639"
AGENCY = "https://w3id.org/vn-bioplan/id/org/lang-son/so-khoa-hoc-va-cong-nghe"
NARRATIVE = "Đã phối hợp xây dựng kế hoạch đầu tư phòng thí nghiệm trọng điểm."


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(URL, a Lạng Sơn token)."""
    folder = tmp_path_factory.mktemp("browser-report-form")
    store = OxigraphStore(folder / "store")
    load(
        store,
        layout.expand([layout.ONTOLOGY_DIR, layout.DATA_DIR / "national", layout.DATA_DIR / "provinces" / "lang-son"]),
    )
    tokens = folder / "tokens.json"
    _, token = TokenFile(tokens).add("lang-son", "ls-browser")
    settings = Settings(store=str(folder / "store"), tokens_file=str(tokens), query_workers=1)
    try:
        with running_server(settings, store) as url:
            yield url, token
    finally:
        store.close()


def test_an_official_files_a_report_and_sees_it_counted(server):
    url, token = server
    year = date.today().year
    with chromium() as driver:
        driver.get(urljoin(url, "/reports/new?plan=" + quote(PLAN, safe="")))
        assert "/sign-in?next=" in driver.current_url
        field = driver.find_element(By.ID, "token")
        assert field.get_attribute("type") == "password" and field.get_attribute("autocomplete") == "off"
        field.send_keys(token)
        field.submit()
        wait_for_url(driver, lambda now: now.startswith(urljoin(url, "/reports/new?plan=")))
        assert token not in driver.current_url and token not in driver.page_source
        cookie = driver.get_cookie("bioplan_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and token not in cookie["value"]

        # Choose the reporting agency: the form reloads with its items.
        Select(driver.find_element(By.ID, "choose-agency")).select_by_value(AGENCY)
        driver.find_element(By.CSS_SELECTOR, "form.choose-agency button").click()
        # A click does not wait for the page it leads to: wait for it.
        wait_for_url(driver, lambda now: "agency=" in now)
        statuses = driver.find_elements(By.CSS_SELECTOR, "form.report select[name^='status.']")
        assert len(statuses) >= 2
        chosen = [s.get_attribute("name").removeprefix("status.") for s in statuses[:2]]
        Select(statuses[0]).select_by_visible_text("Đang triển khai")
        Select(statuses[1]).select_by_visible_text("Hoàn thành")
        for key in chosen:
            driver.find_element(By.ID, f"narrative.{key}").send_keys(NARRATIVE)
        driver.find_element(By.ID, f"evidence.{chosen[0]}").send_keys("https://example.org/bao-cao/phong-thi-nghiem")
        assert Select(driver.find_element(By.ID, "year")).first_selected_option.text == str(year)

        # Usable on a phone: every input as wide as its form, nothing wider than the window.
        driver.set_window_size(390, 900)
        form = driver.find_element(By.CSS_SELECTOR, "form.report")
        narrative = driver.find_element(By.ID, f"narrative.{chosen[0]}")
        assert narrative.size["width"] >= 0.8 * form.size["width"]
        assert driver.execute_script("return document.documentElement.scrollWidth") <= 390
        driver.execute_script("window.scrollTo(0, 0)")  # the test's own script: the page runs none
        screenshot(driver, "report-form")
        driver.set_window_size(1280, 1000)

        driver.find_element(By.CSS_SELECTOR, "form.report button[type=submit]").click()
        wait_for_url(driver, lambda now: "/report/lang-son/ubnd/kh/2025/de-an-1639/" in now)
        assert f"Báo cáo năm {year}" in driver.find_element(By.TAG_NAME, "h1").text
        assert console_errors(driver) == []

        driver.get(urljoin(url, f"/dashboard/{PLAN_KEY}?year={year}"))
        rows = driver.find_elements(By.CSS_SELECTOR, "#reports table tbody tr")
        assert any("Sở Khoa học và Công nghệ" in row.text for row in rows)
        # The store held no report: the two items just reported on are the plan's only ones.
        reported = driver.find_element(By.CSS_SELECTOR, "section.overall .figure strong").text
        assert int(reported.split("/")[0]) == 2
        screenshot(driver, "report-filed")
        assert console_errors(driver) == []
