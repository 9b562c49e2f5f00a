"""Browser journeys: a real `kaohe serve --demo` on a free port, driven by headless Chromium."""
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(request):
    """A fresh demo bureau for each journey file, so that one journey's publication never blocks another's. A
    journey file that runs the year through names the day it lives on (`KAOHE_TODAY = "2027-01-20"`): a quarter is
    published, and the year decided, only once it has ended."""
    binary = os.environ.get("KAOHE_BIN", str(ROOT / ".build" / "debug" / "kaohe"))
    data = tempfile.mkdtemp(prefix="kaohe-e2e-")
    port = _free_port()
    env = dict(os.environ, KAOHE_DATA_DIR=data)
    env.pop("DATABASE_URL", None)
    env.pop("KAOHE_TODAY", None)
    if getattr(request.module, "KAOHE_TODAY", None):
        env["KAOHE_TODAY"] = request.module.KAOHE_TODAY
    log = open(Path(data) / "server.log", "w")
    server = subprocess.Popen([binary, "serve", "--demo", "--port", str(port)], env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            if server.poll() is not None:
                raise RuntimeError("kaohe serve exited: " + (Path(data) / "server.log").read_text())
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.25)
        else:
            raise RuntimeError("kaohe serve did not become healthy")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=zh-CN"):
        options.add_argument(arg)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium:
        options.binary_location = chromium
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def screenshot(driver, name: str) -> None:
    """Saves a screenshot for the staff manual when KAOHE_SCREENSHOTS names a folder."""
    folder = os.environ.get("KAOHE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def follow(driver, element, timeout: float = 10) -> None:
    """Clicks a link or a form's button and waits until the next page has loaded in place of this one.

    Without the wait, a lookup right after the click can find the old page's element, which the
    browser then discards: the race that makes journeys flaky. The old page is marked with a script
    variable rather than watched through an element, because chromedriver, asked about an element
    mid-navigation, may answer "Node with given id does not belong to the document" instead of
    "stale"; while the page changes hands any driver error only means "not yet".
    """
    driver.execute_script("window.kaoheOldPage = true")
    element.click()

    def next_page_loaded(driver):
        try:
            return driver.execute_script(
                "return window.kaoheOldPage === undefined && document.readyState === 'complete'")
        except WebDriverException:
            return False

    WebDriverWait(driver, timeout).until(next_page_loaded)


def confirm(driver, label: str, within=None) -> None:
    """Takes a step that asks to be confirmed: opens its box (a <details>, no script needed) and confirms."""
    scope = within or driver
    scope.find_element(By.XPATH, f".//summary[normalize-space()='{label}']").click()
    follow(driver, scope.find_element(By.XPATH, f".//button[normalize-space()='确认{label}']"))


def close_review(driver, base_url: str, unit: str, opinion: str = "考核小组意见：台账核实，扣分属实。",
                 period: str = "2026Q3") -> None:
    """考核小组组长 closes the review on the sheet's page: what is open settled first (through the API), then the
    overall 考核意见 typed into the 考核完毕 box and confirmed."""
    settle(base_url, f"/api/v1/periods/{period}/assessments/{unit}", "kaohe1")
    driver.get(f"{base_url}/periods/{period}/sheets/{unit}")
    driver.find_element(By.XPATH, ".//summary[normalize-space()='考核完毕']").click()
    driver.find_element(By.ID, "closing-opinion").send_keys(opinion)
    follow(driver, driver.find_element(By.XPATH, ".//button[normalize-space()='确认考核完毕']"))


def api(base_url: str, username: str, method: str, path: str, body=None, password: str = "kaohe-demo"):
    """Calls the JSON API as a demo user: the setup a journey needs beside what the browser does."""
    import json
    def request(method, path, body, token=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(base_url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", "Bearer " + token)
        with urllib.request.urlopen(req, timeout=10) as response:
            return json.loads(response.read() or b"null")
    token = request("POST", "/api/v1/auth/token", {"username": username, "password": password})["token"]
    return request(method, path, body, token)


def settle(base_url: str, sheet_path: str, user: str):
    """What the panel does before 考核完毕 when a journey is about something else: each mitigation asked is
    confirmed and each suggestion still open set aside, so the score stays the entries' own."""
    sheet = api(base_url, user, "GET", sheet_path)
    for entry in sheet["entries"]:
        if not entry["withdrawn"] and entry.get("mitigation", "none") != "none" and not entry.get("mitigationDecision"):
            api(base_url, user, "POST", f"{sheet_path}/entries/{entry['id']}/mitigation",
                {"decision": "confirmed", "reason": "自查发现并已整改"})
    for suggestion in sheet["suggestions"]:
        api(base_url, user, "POST", f"{sheet_path}/suggestions/dismiss",
            {"rule": suggestion["rule"], "reason": "本流程不涉及此项"})


def advance(base_url: str, unit: str, steps, period: str = "2026Q3"):
    """Moves a sheet through workflow steps [(action, user)], each with the sheet's current version."""
    sheet_path = f"/api/v1/periods/{period}/assessments/{unit}"
    for action, user in steps:
        version = api(base_url, "zuzhi", "GET", sheet_path)["version"]
        body = {"version": version}
        if action == "review":
            settle(base_url, sheet_path, user)
            version = api(base_url, "zuzhi", "GET", sheet_path)["version"]
            body = {"version": version, "opinion": "考核小组意见：工作扎实，按细则考核。"}
        api(base_url, user, "POST", f"{sheet_path}/actions/{action}", body)
