"""The ledger (活动台账) behind the sheet: 第三支部's sheet is offered 2.1.a for the 支委会 its ledger lacks; the
secretary records the missing meeting and the suggestion is gone (细则 2.1)."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import follow, screenshot
from test_sign_in import sign_in, sign_out

SHEET = "/periods/2026Q3/sheets/branch-3"


def test_the_secretary_records_the_missing_meeting_and_the_suggestion_goes(browser, base_url):
    sign_in(browser, base_url, "zhibu3")
    browser.get(base_url + SHEET)
    suggestion = browser.find_element(By.CSS_SELECTOR, "form.suggestion")
    assert "2.1.a" in suggestion.text and "支委会本季度 2 次，应不少于 3 次" in suggestion.text
    screenshot(browser, "ledger-suggestion")

    # From the sheet to the ledger: the third quarter's 支委会 cell says what is missing.
    follow(browser, browser.find_element(By.LINK_TEXT, "活动台账"))
    row = browser.find_element(By.XPATH, "//table[contains(@class,'ledger-compliance')]//tr[td[1]='支委会']")
    assert "缺 1" in row.find_elements(By.TAG_NAME, "td")[5].text

    form = browser.find_element(By.CSS_SELECTOR, "#record form")
    Select(form.find_element(By.NAME, "type")).select_by_value("committeeMeeting")
    # A date input takes typed digits in the browser's locale; the value itself is locale-free.
    browser.execute_script("arguments[0].value = '2026-09-29'", form.find_element(By.NAME, "date"))
    form.find_element(By.NAME, "topic").send_keys("研究第四季度工作")
    form.find_element(By.NAME, "attendees").send_keys("李三、杨帆、朱红")
    follow(browser, form.find_element(By.XPATH, ".//button[text()='登记']"))
    assert "已登记" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
    screenshot(browser, "ledger")
    assert "研究第四季度工作" in browser.find_element(By.ID, "records").text
    row = browser.find_element(By.XPATH, "//table[contains(@class,'ledger-compliance')]//tr[td[1]='支委会']")
    assert "缺" not in row.find_elements(By.TAG_NAME, "td")[5].text

    browser.get(base_url + SHEET)
    assert not browser.find_elements(By.CSS_SELECTOR, "form.suggestion"), "three 支委会 held: nothing to suggest"
    sign_out(browser)
