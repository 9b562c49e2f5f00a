"""Office-ready (issue 30) as people meet it: the branch secretary files the reported group sheets in one step, the
organizer is told what a step did and who acts next, and every paper has its Word document beside the print."""
import urllib.request

from selenium.webdriver.common.by import By

from conftest import advance, confirm, follow, screenshot
from test_sign_in import sign_in, sign_out


def test_the_secretary_files_the_reported_groups_in_one_step(browser, base_url):
    advance(base_url, "branch-1-group-1", [("submit", "xiaozu1")])
    sign_in(browser, base_url, "zhibu1")
    browser.get(base_url + "/periods/2026Q3")
    follow(browser, browser.find_element(By.LINK_TEXT, "党小组、党员考核表备案"))
    rows = browser.find_element(By.CSS_SELECTOR, "main table").text
    assert "机关第一党支部第一党小组" in rows and "转交考核小组 → 考核完毕 → 审核确定 → 备案" in rows, rows
    assert "第二党小组" not in rows, "a draft is not listed"
    browser.find_element(By.ID, "filing-opinion").send_keys("党小组组织生活正常，按细则考核。")
    screenshot(browser, "office-filing-list")
    confirm(browser, "备案")
    results = browser.find_element(By.CSS_SELECTOR, ".filing-results").text
    assert "机关第一党支部第一党小组：已备案" in results, results
    screenshot(browser, "office-filing")
    sheet = api_sheet(base_url, "branch-1-group-1")
    assert sheet == "published", sheet
    sign_out(browser)


def api_sheet(base_url, unit):
    from conftest import api
    return api(base_url, "zuzhi", "GET", f"/api/v1/periods/2026Q3/assessments/{unit}")["state"]


def test_a_forward_says_what_it_did_and_who_is_next(browser, base_url):
    advance(base_url, "branch-2", [("submit", "zhibu2")])
    sign_in(browser, base_url, "zuzhi")
    browser.get(base_url + "/periods/2026Q3/sheets/branch-2")
    follow(browser, browser.find_element(By.XPATH, "//button[normalize-space()='转交考核小组']"))
    notice = browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
    assert "已转交考核小组" in notice and "考核小组将在工作台看到" in notice, notice
    # The Word document of the sheet is one click away, and is a Word document.
    link = browser.find_element(By.LINK_TEXT, "下载 Word 考核表").get_attribute("href")
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    request = urllib.request.Request(link, headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.headers["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        assert response.read(2) == b"PK"
    screenshot(browser, "office-forward-notice")
    sign_out(browser)
