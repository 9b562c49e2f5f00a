"""The organisation over time (issue 28) as the admin and a secretary meet it: the admin transfers a member out,
adds a group and moves another member into it, renames a branch; the secretary's ledger and the sheets follow, and the
search box finds the one who left, whose page keeps their history."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import follow, screenshot
from test_sign_in import sign_in, sign_out

# The journey's days are fixed, so its dates are too.
KAOHE_TODAY = "2026-12-06"


def set_date(browser, element_id, date):
    # A date input takes typed digits in the browser's locale; the value itself is locale-free.
    browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, element_id), date)


def record_change(browser, base_url, member, action, date, **fields):
    browser.get(f"{base_url}/admin/org/units/{member}")
    Select(browser.find_element(By.ID, "membership-action")).select_by_value(action)
    set_date(browser, "membership-date", date)
    if "to" in fields:
        Select(browser.find_element(By.ID, "membership-to")).select_by_value(fields["to"])
    if "destination" in fields:
        browser.find_element(By.ID, "membership-destination").send_keys(fields["destination"])
    form = browser.find_element(By.XPATH, "//form[contains(@action, '/membership')]")
    form.find_element(By.XPATH, ".//summary[normalize-space()='记录变动']").click()
    follow(browser, form.find_element(By.XPATH, ".//button[normalize-space()='确认记录变动']"))


def test_the_admin_transfers_moves_and_renames_and_the_ledger_follows(browser, base_url):
    sign_in(browser, base_url, "admin")
    # 转出, in two steps: the choice, then the confirmation
    record_change(browser, base_url, "branch-1-group-1-member-2", "transferOut", "2026-11-01",
                  destination="市教育局机关第一党支部")
    membership = browser.find_element(By.ID, "membership").text
    assert "转出" in membership and "市教育局机关第一党支部" in membership and "2026-10-31" in membership
    screenshot(browser, "org-membership")

    # a new group, and a member moved into it from 15 November
    browser.get(base_url + "/admin/org")
    form = browser.find_element(By.XPATH, "//form[@action='/admin/org/units']")
    Select(form.find_element(By.NAME, "kind")).select_by_value("group")
    form.find_element(By.NAME, "code").send_keys("branch-1-group-3")
    form.find_element(By.NAME, "name").send_keys("机关第一党支部第三党小组")
    form.find_element(By.NAME, "parent").send_keys("branch-1")
    follow(browser, form.find_element(By.XPATH, ".//button[text()='新增']"))
    assert "第三党小组" in browser.find_element(By.TAG_NAME, "table").text
    record_change(browser, base_url, "branch-1-group-1-member-1", "move", "2026-11-15", to="branch-1-group-3")
    assert "第三党小组" in browser.find_element(By.ID, "membership").text

    # a branch renamed from 20 November; a refused date keeps the name typed
    browser.get(base_url + "/admin/org/units/branch-1")
    browser.find_element(By.ID, "change-name").send_keys("机关综合党支部")
    set_date(browser, "change-date", "2099-12-31")
    follow(browser, browser.find_element(By.XPATH, "//button[text()='记录更名或调整隶属']"))
    assert browser.find_element(By.ID, "change-name").get_attribute("value") == "机关综合党支部"
    assert browser.find_elements(By.CSS_SELECTOR, "#change .field-error")
    set_date(browser, "change-date", "2026-11-20")
    follow(browser, browser.find_element(By.XPATH, "//button[text()='记录更名或调整隶属']"))
    assert "已记录更名" in browser.find_element(By.CSS_SELECTOR, "#change .notice.ok").text
    screenshot(browser, "org-rename")
    sign_out(browser)

    # the secretary's ledger: the new name, the one who left offered for the days before, the new group counted
    sign_in(browser, base_url, "zhibu1")
    browser.get(base_url + "/units/branch-1/ledger")
    assert "机关综合党支部" in browser.find_element(By.TAG_NAME, "h1").text
    roster = browser.find_element(By.CSS_SELECTOR, "fieldset.roster").text
    assert "在册至 2026-10-31" in roster
    screenshot(browser, "ledger-roster-over-time")

    # the search finds the one who left, marked so; their page keeps the move, the quarter's sheet and its link
    browser.get(base_url + "/search")
    browser.find_element(By.ID, "search-q").send_keys("branch-1-group-1-member-2")
    follow(browser, browser.find_element(By.XPATH, "//main//button[text()='查找']"))
    hit = browser.find_element(By.XPATH, "//main//table//tr[td/code[text()='branch-1-group-1-member-2']]")
    assert "离开" in hit.text
    follow(browser, hit.find_element(By.TAG_NAME, "a"))
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "转出" in page and "市教育局机关第一党支部" in page and "2026年第三季度" in page.replace(" ", "")
    screenshot(browser, "unit-record")
    follow(browser, browser.find_element(By.XPATH, "//section[@id='sheets']//a"))
    assert "/periods/2026Q3/sheets/branch-1-group-1-member-2" in browser.current_url
    sign_out(browser)
