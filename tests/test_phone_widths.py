"""Browser tests of the site on a phone (issue 16): at 390 px no page is wider than the screen, the
menu folds into a <details> that opens without JavaScript, and wide screens show the whole menu.

The pages are found by following links from the home page, as a reader would (a hard-coded address
only where no link leads: the 404 page). Every page kind is measured in Vietnamese and in English,
and a screenshot of each is kept ("phone-<kind>", "phone-<kind>-en").
"""

from __future__ import annotations

from urllib.parse import quote, urljoin, urlsplit

import pytest
from browser import chromium, console_errors, screenshot, wait_for_url
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser

PHONE = (390, 844)
WIDE = (1280, 1000)

# Every element of the page whose box pokes out of the screen, except inside a box that scrolls
# sideways itself (whose own edges are measured like any other's), and but for the part that a box
# with overflow hidden cuts off (the editor's own inner scroller). A block's content counts as its
# own: a long word running out of its paragraph makes the paragraph an offender. The bound is the width the page
# can use: the window less its scroll bar (clientWidth), stricter than window.innerWidth.
OFFENDERS_JS = """
const limit = document.documentElement.clientWidth;
// The horizontal extent of an element that can be seen: none inside a box that scrolls sideways
// (null: that box is measured itself), cut at the edges of the boxes that clip it (overflow hidden).
function seenExtent(element, box) {
  let left = box.left, right = box.right;
  for (let outer = element.parentElement; outer && outer !== document.body; outer = outer.parentElement) {
    const overflow = getComputedStyle(outer).overflowX;
    if (overflow === "auto" || overflow === "scroll") return null;
    if (overflow === "hidden" || overflow === "clip") {
      const frame = outer.getBoundingClientRect();
      left = Math.max(left, frame.left);
      right = Math.min(right, frame.right);
    }
  }
  return [left + window.scrollX, right + window.scrollX];
}
const found = [];
for (const element of document.body.querySelectorAll("*")) {
  const rect = element.getBoundingClientRect();
  if (rect.width === 0 || rect.height === 0) continue;
  // Text running out of its block (an unbroken word) is no box of its own: the block's content is.
  const spills = element.clientWidth > 0 && getComputedStyle(element).overflowX === "visible";
  const contentRight = spills ? rect.left + element.clientLeft + element.scrollWidth : rect.right;
  const box = {left: rect.left, right: Math.max(rect.right, contentRight), width: rect.width};
  const seen = seenExtent(element, box);
  if (seen === null || seen[1] <= seen[0]) continue;
  const [left, right] = seen;
  if (right > limit + 0.5 || left < -0.5) {
    const name = element.tagName.toLowerCase()
      + (typeof element.className === "string" && element.className.trim()
         ? "." + element.className.trim().split(/\\s+/).join(".") : "")
      + (element.id ? "#" + element.id : "");
    found.push(`${name} (left ${Math.round(left)}, width ${Math.round(box.width)}, right ${Math.round(right)})`);
  }
}
return {scrollWidth: document.documentElement.scrollWidth, clientWidth: limit,
        innerWidth: window.innerWidth, offenders: found};
"""

# The page kinds, each found from the one before it or from the home page (crawl below).
KINDS = (
    "home",
    "plans",
    "provinces",
    "directives",
    "agencies",
    "waste-domains",
    "funding-sources",
    "plan",
    "province",
    "agency",
    "directive",
    "waste-domain",
    "statements",
    "ontology",
    "search",
    "calendar",
    "dashboards",
    "dashboard",
    "targets",
    "coverages",
    "coverage",
    "queries",
    "query-result",
    "sparql",
    "void",
    "sign-in",  # the report form itself is measured at 390 px by tests/test_browser_report_form.py
    "not-found",
)


def hrefs(driver: WebDriver, selector: str) -> list[str]:
    return [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, selector)]


def first_href(driver: WebDriver, selector: str, path_prefix: str) -> str:
    """The first link matched by ``selector`` whose path starts with ``path_prefix``."""
    for href in hrefs(driver, selector):
        if urlsplit(href).path.startswith(path_prefix):
            return href
    raise AssertionError(f"no link {selector} to {path_prefix}… on {driver.current_url}")


def crawl(driver: WebDriver, base_url: str, lang: str) -> dict[str, str]:
    """The URL of each page kind in ``lang``, found by following links from the home page."""
    home = urljoin(base_url, "/?lang=en" if lang == "en" else "/")
    pages = {"home": home}
    driver.get(home)
    menu = "header.site nav a"
    for kind, path in (
        ("calendar", "/calendar"),
        ("dashboards", "/dashboard"),
        ("coverages", "/coverage"),
        ("ontology", "/def/bioplan"),
        ("queries", "/queries"),
        ("sign-in", "/sign-in"),
    ):
        pages[kind] = first_href(driver, menu, path)
    pages["sparql"] = first_href(driver, "main a", "/sparql")
    pages["void"] = first_href(driver, "main a", "/void")
    for kind in ("plans", "provinces", "directives", "agencies", "waste-domains", "funding-sources"):
        pages[kind] = first_href(driver, "main a", f"/{kind}")
    # A search as a reader makes it: typed into the home page's form.
    box = driver.find_element(By.CSS_SELECTOR, "form.search input[type=search]")
    box.send_keys("xu ly chat thai")
    box.submit()
    pages["search"] = wait_for_url(driver, lambda now: urlsplit(now).path == "/search")
    for kind, index, path in (
        ("plan", "plans", "/id/doc/"),
        ("province", "provinces", "/id/area/"),
        ("agency", "agencies", "/id/org/"),
        ("directive", "directives", "/id/doc/"),
        ("waste-domain", "waste-domains", "/def/waste-domain/"),
    ):
        driver.get(pages[index])
        pages[kind] = first_href(driver, "main table tbody td:first-child a", path)
    driver.get(pages["plan"])
    pages["statements"] = next(href for href in hrefs(driver, "main a") if "view=statements" in href)
    driver.get(pages["dashboards"])
    pages["dashboard"] = first_href(driver, "main a", "/dashboard/")
    driver.get(pages["dashboard"])
    pages["targets"] = first_href(driver, "main a", "/targets/")
    driver.get(pages["coverages"])
    pages["coverage"] = first_href(driver, "main a", "/coverage/")
    driver.get(pages["queries"])
    pages["query-result"] = next(
        href
        for href in hrefs(driver, "main a")
        if urlsplit(href).path.startswith("/queries/") and "." not in urlsplit(href).path  # not .csv, .json
    )
    # No link leads to a page that is not there: the one address typed in.
    pages["not-found"] = urljoin(base_url, "/id/doc/no-such-plan" + ("?lang=en" if lang == "en" else ""))
    assert set(pages) == set(KINDS)
    if lang == "en":  # a few links (/sparql, /void) carry no language: the reader's choice is added
        pages = {kind: url if "lang=en" in url else with_english(url) for kind, url in pages.items()}
    return pages


def with_english(url: str) -> str:
    return url + ("&" if urlsplit(url).query else "?") + "lang=en"


@pytest.fixture(scope="module")
def phone():
    with chromium(window_size=PHONE) as driver:
        yield driver


@pytest.fixture(scope="module")
def pages(phone, examples_url) -> dict[str, dict[str, str]]:
    """The page of each kind, in each language, as found by following links."""
    return {lang: crawl(phone, examples_url, lang) for lang in ("vi", "en")}


def measured(driver: WebDriver) -> dict:
    return driver.execute_script(OFFENDERS_JS)


def assert_fits(driver: WebDriver, name: str) -> None:
    """The page in ``driver`` is no wider than the screen; its screenshot is kept as phone-<name>."""
    screenshot(driver, f"phone-{name}")
    found = measured(driver)
    assert found["offenders"] == [], (
        f"{driver.current_url}: page {found['scrollWidth']} px wide in a {found['clientWidth']} px screen; "
        f"{len(found['offenders'])} elements out of it:\n" + "\n".join(found["offenders"])
    )
    assert found["scrollWidth"] <= found["clientWidth"] <= found["innerWidth"]


def test_the_window_is_a_phone(phone, examples_url):
    """The measures below mean something only if the window really is a phone's 390 px."""
    phone.get(examples_url)
    assert measured(phone)["innerWidth"] == PHONE[0]


def test_the_measure_finds_what_pokes_out(phone, examples_url):
    """A box wider than the screen is reported, by tag, class and width, and so is a word running out of
    its paragraph; inside a box that scrolls sideways nothing is."""
    phone.get(urljoin(examples_url, "/"))
    phone.execute_script(
        """const main = document.querySelector("main");
        const wide = document.createElement("div");
        wide.className = "too wide";
        wide.style.cssText = "width: 600px; height: 1em";
        const frame = document.createElement("div");
        frame.style.overflowX = "auto";
        const inner = document.createElement("p");
        inner.className = "scrolled";
        inner.style.width = "900px";
        inner.textContent = "x";
        frame.append(inner);
        const word = document.createElement("p");
        word.className = "long-word";
        word.style.overflowWrap = "normal";
        word.textContent = "w".repeat(300);
        main.append(wide, frame, word);"""
    )
    offenders = measured(phone)["offenders"]
    assert any(o.startswith("div.too.wide (") and "width 600" in o for o in offenders), offenders
    assert any(o.startswith("p.long-word (") for o in offenders), offenders
    assert not [o for o in offenders if o.startswith("p.scrolled")]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_no_page_is_wider_than_a_phone(phone, pages, kind, lang):
    phone.get(pages[lang][kind])
    assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    assert_fits(phone, kind + ("-en" if lang == "en" else ""))
    expected = "status of 404" if kind == "not-found" else None  # the page's own status, logged by Chromium
    assert [error for error in console_errors(phone) if expected is None or expected not in error] == []


def test_the_query_page_fits_with_its_answer(phone, pages):
    """The SPARQL editor (a script's) and a table of answers from an example query."""
    phone.get(pages["vi"]["sparql"])
    phone.get(phone.find_element(By.CSS_SELECTOR, "#examples a").get_attribute("href"))
    WebDriverWait(phone, 30).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".CodeMirror"))
    phone.find_element(By.ID, "run").click()
    WebDriverWait(phone, 60).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, "#result-table tbody tr"))
    assert_fits(phone, "sparql-answer")
    assert console_errors(phone) == []


@pytest.mark.parametrize(
    ("name", "path"),
    [
        # What a reader types is shown back: one unbroken word as long as the search box takes (500).
        ("search-long-word", "/search?q=" + "x" * 500),
        ("not-found-long-word", "/id/doc/" + "y" * 400),
        ("query-long-argument", "/queries/agency-roles?agency=https://example.org/" + "z" * 400),
        ("search-markup", "/search?q=" + quote("<table><tr><td>" + "w" * 300 + "</td></tr></table>")),
    ],
)
def test_long_words_from_the_reader_wrap(phone, examples_url, name, path):
    phone.get(urljoin(examples_url, path))
    assert_fits(phone, name)


def test_the_api_documentation_fits(phone, pages):
    """/docs (Swagger UI, linked from the stored queries page), once its operations are drawn."""
    phone.get(pages["en"]["queries"])
    phone.get(first_href(phone, "main a", "/docs"))
    WebDriverWait(phone, 60).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".opblock"))
    assert_fits(phone, "api-docs")


@pytest.mark.parametrize(("lang", "words"), [("vi", "Danh mục"), ("en", "Menu")])
def test_the_folded_menu_opens_and_its_links_are_on_the_screen(phone, pages, lang, words):
    phone.get(pages[lang]["plan"])
    assert not phone.find_element(By.CSS_SELECTOR, "header.site nav.menu-wide").is_displayed()
    summary = phone.find_element(By.CSS_SELECTOR, "header.site details.menu > summary")
    assert summary.is_displayed() and summary.text.strip().endswith(words)
    links = phone.find_elements(By.CSS_SELECTOR, "header.site details.menu nav a")
    wide_links = phone.find_elements(By.CSS_SELECTOR, "header.site nav.menu-wide a")
    hrefs_of_links = [a.get_attribute("href") for a in links]
    assert hrefs_of_links == [a.get_attribute("href") for a in wide_links]
    assert len(links) >= 8 and not any(a.is_displayed() for a in links)
    summary.click()
    screenshot(phone, "phone-menu" + ("-en" if lang == "en" else ""))
    width = measured(phone)["clientWidth"]
    for a in links:
        box = a.rect
        assert a.is_displayed() and a.text.strip(), a.get_attribute("href")
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (a.text, box)
        # On top: the link itself is what a tap at its middle reaches, not the page under the menu.
        reached = phone.execute_script(
            "const r = arguments[0].getBoundingClientRect();"
            "return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);",
            a,
        )
        assert reached == a, a.text
    # The menu keeps the reader's language (SPARQL and the dataset description are one page for both).
    kept = {"lang=en" in href for href in hrefs_of_links if urlsplit(href).path not in ("/sparql", "/void")}
    assert kept == {lang == "en"}
    calendar = next(a for a in links if urlsplit(a.get_attribute("href")).path == "/calendar")
    calendar.click()
    wait_for_url(phone, lambda now: urlsplit(now).path == "/calendar")


def test_the_folded_menu_needs_no_script(examples_url):
    """With scripts off (the site serves none but the query editor's), the menu still opens."""
    with chromium(window_size=PHONE, switches=("--blink-settings=scriptEnabled=false",)) as driver:
        driver.get(urljoin(examples_url, "/sparql"))
        assert not driver.find_elements(By.CSS_SELECTOR, ".CodeMirror")  # scripts are off indeed
        driver.get(urljoin(examples_url, "/"))
        links = driver.find_elements(By.CSS_SELECTOR, "header.site details.menu nav a")
        assert links and not any(a.is_displayed() for a in links)
        driver.find_element(By.CSS_SELECTOR, "header.site details.menu > summary").click()
        assert all(a.is_displayed() for a in links)


def test_a_wide_screen_shows_the_whole_menu_without_a_click(examples_url):
    with chromium(window_size=WIDE) as driver:
        for path in ("/", "/plans?lang=en"):
            driver.get(urljoin(examples_url, path))
            assert not driver.find_element(By.CSS_SELECTOR, "header.site details.menu").is_displayed()
            links = driver.find_elements(By.CSS_SELECTOR, "header.site nav.menu-wide a")
            assert len(links) >= 8 and all(a.is_displayed() for a in links)
            # One row beside the brand: the menu does not wrap at 1280 px.
            assert len({a.rect["y"] for a in links}) == 1
            assert measured(driver)["offenders"] == []
        screenshot(driver, "wide-menu")
