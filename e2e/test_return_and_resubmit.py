"""A branch reports its self-assessment, the organizer returns it with a reason, the branch puts it right and
reports again, and the organizer forwards it to the panel — all through the pages, without JavaScript."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import follow, screenshot
from test_sign_in import sign_in, sign_out

SHEET = "/periods/2026Q3/sheets/branch-2"


def total(browser) -> str:
    return browser.find_element(By.CSS_SELECTOR, ".scorebar .score-total strong").text


def add_entry(browser, item, rule, count=None, note="", self_found=False):
    """Fills the item's 添加记录 form and adds the entry."""
    form = browser.find_element(By.ID, f"item-{item}").find_element(By.CSS_SELECTOR, "form.entry-form")
    Select(form.find_element(By.NAME, "rule")).select_by_value(rule)
    if count is not None:
        form.find_element(By.NAME, "count").send_keys(str(count))
    form.find_element(By.NAME, "note").send_keys(note)
    if self_found:
        form.find_element(By.CSS_SELECTOR, "details.mitigation summary").click()
        form.find_element(By.NAME, "selfFound").click()
        form.find_element(By.NAME, "corrected").click()
        Select(form.find_element(By.NAME, "mitigation")).select_by_value("reduced")
    follow(browser, form.find_element(By.XPATH, ".//button[text()='添加']"))


def press(browser, label):
    """Takes a workflow step from the 办理 box at the top of the sheet (scrolled clear of the sticky score bar)."""
    actions = browser.find_element(By.ID, "actions")
    browser.execute_script("arguments[0].scrollIntoView()", actions)
    boxes = actions.find_elements(By.XPATH, f".//summary[normalize-space()='{label}']")
    if boxes:  # a step that cannot be taken back asks to be confirmed first
        boxes[0].click()
        follow(browser, actions.find_element(By.XPATH, f".//button[normalize-space()='确认{label}']"))
    else:
        follow(browser, actions.find_element(By.XPATH, f".//button[text()='{label}']"))


def test_the_organizer_returns_a_sheet_which_the_branch_fixes_and_reports_again(browser, base_url):
    # The secretary finds the sheet on the start page, adds an entry and reports.
    sign_in(browser, base_url, "zhibu2")
    follow(browser, browser.find_element(By.LINK_TEXT, "机关第二党支部"))
    assert browser.current_url.endswith(SHEET)
    before = total(browser)
    add_entry(browser, "1.1", "1.1.b", note="支部委员补选迟了两个月")
    assert "已添加记录" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
    assert float(total(browser)) == float(before) - 2
    assert "支部委员补选迟了两个月" in browser.find_element(By.ID, "item-1.1").text
    screenshot(browser, "sheet")
    press(browser, "报送")
    assert "已报送" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
    assert not browser.find_elements(By.CSS_SELECTOR, "form.entry-form"), "a reported sheet is closed to the branch"
    sign_out(browser)

    # The organizer sees on the dashboard that the sheet waits for them, and returns it with a reason.
    sign_in(browser, base_url, "zuzhi")
    follow(browser, browser.find_element(By.LINK_TEXT, "考核期"))
    follow(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "2026年第三季度"))
    row = browser.find_element(By.XPATH, "//tr[td/a[text()='机关第二党支部']]")
    assert "组织委员转交或退回" in row.text
    assert "待我办理" in row.text
    screenshot(browser, "dashboard")
    follow(browser, row.find_element(By.LINK_TEXT, "机关第二党支部"))
    press(browser, "退回")
    assert "退回须写明理由" in browser.find_element(By.CSS_SELECTOR, ".field-error").text, "a return needs its reason"
    browser.find_element(By.ID, "reason-return").send_keys("党费收缴情况未自查，请补充后重新报送")
    screenshot(browser, "return")
    press(browser, "退回")
    assert "已退回" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
    sign_out(browser)

    # The secretary reads the reason, adds what was missing and reports again.
    sign_in(browser, base_url, "zhibu2")
    pending = browser.find_element(By.CSS_SELECTOR, "table.pending").text
    assert "已退回" in pending and "党费收缴情况未自查" in pending, "the 工作台 says why before the sheet is opened"
    follow(browser, browser.find_element(By.LINK_TEXT, "机关第二党支部"))
    assert "党费收缴情况未自查" in browser.find_element(By.CSS_SELECTOR, ".notice.bad").text
    add_entry(browser, "2.8", "2.8.a", count=1, note="8月党费迟交，已补交", self_found=True)
    assert "8月党费迟交" in browser.find_element(By.ID, "item-2.8").text
    screenshot(browser, "sheet-returned")
    press(browser, "报送")
    assert "已报送" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
    sign_out(browser)

    # The organizer forwards it to the panel; the self-assessed score is kept beside the panel's column.
    sign_in(browser, base_url, "zuzhi")
    browser.get(base_url + SHEET)
    press(browser, "转交考核小组")
    assert "已转交考核小组" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
    assert "考核小组考核中" in browser.find_element(By.CSS_SELECTOR, ".scorebar").text
    assert "考核小组评分" in browser.find_element(By.ID, "item-2.8").text
    history = browser.find_element(By.CSS_SELECTOR, ".history").text
    assert "退回：党费收缴情况未自查" in history and "转交考核小组" in history
