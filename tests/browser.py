"""A real Chromium (Debian's chromium and chromium-driver), driven by Selenium, for browser tests.

Screenshots go to var/test-artifacts/screenshots/; console errors are collected per page.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from bioplan import layout

SCREENSHOTS = layout.PROJECT_ROOT / "var" / "test-artifacts" / "screenshots"
CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
DRIVER = "/usr/bin/chromedriver"


def chromium_binary() -> str:
    for candidate in CHROMIUM:
        if Path(candidate).is_file():
            return candidate
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise RuntimeError("Chromium is missing: apt-get install chromium chromium-driver (.ci/run does)")
    return found


@contextmanager
def chromium(
    lang: str = "vi", switches: tuple[str, ...] = (), window_size: tuple[int, int] | None = None
) -> Iterator[webdriver.Chrome]:
    """A headless Chromium; ``switches`` are more command-line switches (e.g. --host-resolver-rules);
    ``window_size`` (width, height) resizes the window once started, e.g. to a phone's 390 px: the
    --window-size switch stops at 500 px, and mobile emulation would zoom out of a too-wide page."""
    options = webdriver.ChromeOptions()
    options.binary_location = chromium_binary()
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        f"--lang={lang}",
        *switches,
    ):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": lang})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or DRIVER))
    driver.set_page_load_timeout(60)
    if window_size is not None:
        driver.set_window_size(*window_size)
    try:
        yield driver
    finally:
        driver.quit()


def console_errors(driver: webdriver.Chrome) -> list[str]:
    """Console messages of level SEVERE since the last call (the log empties as it is read)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def links_of(driver) -> set[str]:
    return {a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a[href]")}


def assert_local_links_answer(driver, base_url: str) -> None:
    """Every link of the page into the service answers 200 (external IRIs are not followed: offline machines)."""
    links = links_of(driver)
    local = {link.split("#")[0] for link in links if urlsplit(link).netloc == urlsplit(base_url).netloc}
    assert local
    with httpx.Client(timeout=60, follow_redirects=True) as client:
        status = {link: client.get(link).status_code for link in sorted(local)}
    assert {link: code for link, code in status.items() if code != 200} == {}


def wait_for_url(driver: webdriver.Chrome, condition: Callable[[str], bool], timeout_s: float = 60) -> str:
    """The current URL once ``condition`` holds for it: a click or a submit does not always wait for
    the page it leads to (a form's navigation starts after the click returns)."""
    WebDriverWait(driver, timeout_s).until(lambda d: condition(d.current_url))
    return driver.current_url
