"""Everyone reads the 细则; the admin changes a number and gets a new version, the old one unchanged."""
from selenium.webdriver.common.by import By

from conftest import follow, screenshot
from test_sign_in import sign_in


def test_a_member_reads_the_rubric_as_the_table(browser, base_url):
    sign_in(browser, base_url, "dangyuan1")
    follow(browser, browser.find_element(By.LINK_TEXT, "考核细则"))
    follow(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "局党支部目标管理考核实施细则"))
    table = browser.find_element(By.CSS_SELECTOR, "table.rubric").text
    assert "组织健全" in table and "支部班子配备不全" in table
    assert not browser.find_elements(By.CSS_SELECTOR, "input.number"), "a member reads, does not edit"


def test_the_admin_moves_a_point_between_items_as_a_new_version(browser, base_url):
    sign_in(browser, base_url, "admin")
    browser.get(base_url + "/rubrics/bureau-branch/1")
    screenshot(browser, "rubric")
    first = browser.find_element(By.NAME, "base.1.1")
    second = browser.find_element(By.NAME, "base.1.2")
    a, b = first.get_attribute("value"), second.get_attribute("value")

    # One item alone: the total no longer equals 100, so nothing is saved and the reason is shown.
    first.clear(); first.send_keys(str(int(a) + 1))
    browser.find_element(By.ID, "note").send_keys("试改")
    follow(browser, browser.find_element(By.XPATH, "//button[text()='保存为新版本']"))
    assert "maxScore" in browser.find_element(By.CSS_SELECTOR, ".notice.bad").text

    first = browser.find_element(By.NAME, "base.1.1")
    second = browser.find_element(By.NAME, "base.1.2")
    first.clear(); first.send_keys(str(int(a) + 1))
    second.clear(); second.send_keys(str(int(b) - 1))
    browser.find_element(By.ID, "note").send_keys("经总支委员会研究调整")
    follow(browser, browser.find_element(By.XPATH, "//button[text()='保存为新版本']"))
    assert "已保存为新版本 2" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
    assert browser.find_element(By.NAME, "base.1.1").get_attribute("value") == str(int(a) + 1)

    browser.get(base_url + "/rubrics/bureau-branch/1")
    assert browser.find_element(By.NAME, "base.1.1").get_attribute("value") == a, "version 1 never changes"
