"""年度评议与测评 (issue 28) as the people who hold the facts meet it: the secretary enters the members' 民主评议 and the
branch's 满意率 in one form (a refused rate keeps what was typed), the organizer records an 内审 finding, and the
fourth quarter's sheet offers each as a suggestion with its records."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import follow, screenshot
from test_guard_rails import open_period
from test_organisation_over_time import set_date
from test_sign_in import sign_in, sign_out

KAOHE_TODAY = "2026-12-06"
FACTS = "/units/branch-1/facts?year=2026"


def test_the_facts_kept_where_they_arise_become_the_fourth_quarters_suggestions(browser, base_url):
    sign_in(browser, base_url, "zhibu1")
    browser.get(base_url + "/units/branch-1/ledger")
    follow(browser, browser.find_element(By.LINK_TEXT, "年度评议与测评"))
    Select(browser.find_element(By.NAME, "appraisals[branch-1-group-1-member-2]")).select_by_visible_text("基本合格")
    assert not browser.find_element(By.NAME, "reviews[branch-1-group-1-member-2]").is_enabled(), "the organizer's"
    browser.find_element(By.ID, "rate").send_keys("八十八")
    set_date(browser, "rateDay", "2026-11-20")
    follow(browser, browser.find_element(By.XPATH, "//button[text()='保存']"))
    assert "满意率" in browser.find_element(By.CSS_SELECTOR, "#satisfaction .field-error").text
    assert browser.find_element(By.ID, "rate").get_attribute("value") == "八十八", "what was typed stays"
    chosen = Select(browser.find_element(By.NAME, "appraisals[branch-1-group-1-member-2]"))
    assert chosen.first_selected_option.text == "基本合格"
    field = browser.find_element(By.ID, "rate")
    field.clear()
    field.send_keys("88")
    follow(browser, browser.find_element(By.XPATH, "//button[text()='保存']"))
    assert "已保存" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
    screenshot(browser, "year-facts")
    sign_out(browser)

    sign_in(browser, base_url, "zuzhi")
    browser.get(base_url + FACTS)
    form = browser.find_element(By.XPATH, "//form[contains(@action, '/findings')]")
    Select(form.find_element(By.NAME, "kind")).select_by_visible_text("不符合项")
    set_date(browser, "day", "2026-10-15")
    form.find_element(By.NAME, "note").send_keys("支委会记录不全")
    follow(browser, form.find_element(By.XPATH, ".//button[text()='登记内审发现']"))
    assert "支委会记录不全" in browser.find_element(By.ID, "findings").text

    open_period(browser, base_url, "2026Q4")
    sign_out(browser)

    # the secretary writing the fourth quarter's self-assessment is offered each, with its records
    sign_in(browser, base_url, "zhibu1")
    browser.get(base_url + "/periods/2026Q4/sheets/branch-1")
    suggestions = browser.find_element(By.ID, "suggestions").text
    assert "民主评议基本合格 1 人" in suggestions, suggestions
    assert "党员测评基本满意率 88%，低于 90%" in suggestions
    assert "内审不符合项 1 个：2026-10-15 支委会记录不全" in suggestions
    line = browser.find_element(By.XPATH, "//section[@id='suggestions']//*[contains(., '民主评议基本合格')][last()]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", line)
    screenshot(browser, "year-facts-suggestions")
