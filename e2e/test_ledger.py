"""The ledger (活动台账) behind the sheet: 第二支部's sheet is offered 2.2.b for the two Wednesday study days its ledger
lacks and 2.10.a for the quarter's missing information report; the secretary records a meeting with its people
chosen from the roster and the report, the report's suggestion goes, the study days' is accepted in one click and
the score moves; the organizer opens 台账对照 and drills down to the branch's records."""
import os
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import follow, screenshot
from test_sign_in import sign_in, sign_out

SHEET = "/periods/2026Q3/sheets/branch-2"


def total(browser):
    return float(browser.find_element(By.CSS_SELECTOR, ".score-total strong").text)


def record(browser, kind, date, topic, people=None):
    form = browser.find_element(By.CSS_SELECTOR, "#record form")
    Select(form.find_element(By.NAME, "type")).select_by_value(kind)
    # A date input takes typed digits in the browser's locale; the value itself is locale-free.
    browser.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "date"), date)
    form.find_element(By.NAME, "topic").send_keys(topic)
    for code, state in (people or {}).items():
        form.find_element(By.CSS_SELECTOR, f"input[name='people[{code}]'][value='{state}']").click()
    follow(browser, form.find_element(By.XPATH, ".//button[text()='登记']"))
    assert "已登记" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text


def test_the_secretary_records_with_the_roster_and_accepts_a_suggestion(browser, base_url):
    sign_in(browser, base_url, "zhibu2")
    browser.get(base_url + SHEET)
    suggestions = [form.text for form in browser.find_elements(By.CSS_SELECTOR, "form.suggestion")]
    assert any("2.2.b" in text and "学习日8月12日那周 0 次" in text for text in suggestions)
    assert any("2.10.a" in text for text in suggestions)
    screenshot(browser, "ledger-suggestion")

    # From the sheet to the ledger: the third quarter's report cell says what is missing.
    follow(browser, browser.find_element(By.LINK_TEXT, "活动台账"))
    row = browser.find_element(By.XPATH, "//table[contains(@class,'ledger-compliance')]//tr[td[1]='信息上报']")
    assert "缺 1" in row.find_elements(By.TAG_NAME, "td")[5].text

    # A meeting with its people: two attend, one on leave, one absent without leave.
    record(browser, "committeeMeeting", "2026-09-29", "研究第四季度工作", {
        "branch-2-group-1-member-1": "attended", "branch-2-group-1-member-2": "attended",
        "branch-2-group-1-member-3": "excused", "branch-2-group-2-member-1": "absent",
    })
    records = browser.find_element(By.ID, "records").text
    assert "研究第四季度工作" in records and "王二、褚立" in records and "蒋欣" in records
    record(browser, "infoReport", "2026-09-30", "第三季度党建工作信息")
    screenshot(browser, "ledger")
    row = browser.find_element(By.XPATH, "//table[contains(@class,'ledger-compliance')]//tr[td[1]='信息上报']")
    assert "缺" not in row.find_elements(By.TAG_NAME, "td")[5].text

    # A month's dues: 王二 paid 30 of the 50 due in September.
    browser.get(base_url + "/units/branch-2/ledger?year=2026&month=2026-09#dues")
    form = browser.find_element(By.CSS_SELECTOR, "form.dues-form")
    amount = form.find_element(By.NAME, "amount[branch-2-group-1-member-1]")
    amount.clear()
    amount.send_keys("30")
    follow(browser, form.find_element(By.XPATH, ".//button[text()='保存该月党费']"))
    assert "已保存该月党费" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
    assert "9月 王二未足额" in browser.find_element(By.ID, "dues").text
    screenshot(browser, "ledger-dues")

    browser.get(base_url + SHEET)
    before = total(browser)
    forms = browser.find_elements(By.CSS_SELECTOR, "form.suggestion")
    assert [f.text.split()[0] for f in forms] == ["2.2.b", "2.8.a"], "the report recorded, its suggestion is gone"
    assert "9月 王二未足额" in forms[1].text
    follow(browser, forms[0].find_element(By.XPATH, ".//button[text()='采纳']"))
    assert total(browser) == before - 2, "two study days, a point each"
    assert len(browser.find_elements(By.CSS_SELECTOR, "form.suggestion")) == 1
    sign_out(browser)


def test_the_secretary_imports_past_dues_and_attaches_the_plan_itself(browser, base_url):
    sign_in(browser, base_url, "zhibu3")
    browser.get(base_url + "/units/branch-3/ledger?year=2026#import")
    folder = tempfile.mkdtemp()
    # 2025's dues from a GBK spreadsheet: one bad row, nothing imported, the row named; then the good file.
    rows = "month,member,amount,paidOn,signed,handedOverOn\n2025-12,branch-3-group-1-member-1,50,2025-12-05,是,2025-12-12\n"
    for name, text in (("bad.csv", rows + "2025-12,branch-3-group-1-member-2,-5,2025-12-05,是,\n"), ("good.csv", rows)):
        path = os.path.join(folder, name)
        with open(path, "wb") as f:
            f.write(text.encode("gbk"))
        form = browser.find_element(By.CSS_SELECTOR, "#import form")
        Select(form.find_element(By.NAME, "kind")).select_by_value("dues")
        form.find_element(By.NAME, "file").send_keys(path)
        follow(browser, form.find_element(By.XPATH, ".//button[text()='导入']"))
        if name == "bad.csv":
            assert "第 3 行 amount" in browser.find_element(By.CSS_SELECTOR, "#import .problems").text
    assert "已导入 1 行" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text

    # The year's work plan itself, attached to its line.
    browser.get(base_url + "/units/branch-3/ledger?year=2026#documents")
    plan = os.path.join(folder, "2026年党支部工作计划.pdf")
    with open(plan, "wb") as f:
        f.write(b"%PDF-1.4\n% 2026 work plan\n")
    row = browser.find_element(By.XPATH, "//section[@id='documents']//tr[td[1]='年度工作计划']")
    row.find_element(By.NAME, "file").send_keys(plan)
    follow(browser, row.find_element(By.XPATH, ".//button[text()='附上原件']"))
    assert "已附上原件" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
    row = browser.find_element(By.XPATH, "//section[@id='documents']//tr[td[1]='年度工作计划']")
    assert row.find_element(By.LINK_TEXT, "2026年党支部工作计划.pdf")
    sign_out(browser)


def test_the_organizer_opens_the_compliance_view_and_drills_down(browser, base_url):
    sign_in(browser, base_url, "zuzhi")
    follow(browser, browser.find_element(By.LINK_TEXT, "台账对照"))
    assert "台账对照" in browser.find_element(By.TAG_NAME, "h1").text
    short = [chip.text for chip in browser.find_elements(By.CSS_SELECTOR, ".chip.short")]
    behind = [chip.text for chip in browser.find_elements(By.CSS_SELECTOR, ".chip.behind")]
    assert any("学习日" in text for text in short) and any("支委会" in text for text in behind)
    screenshot(browser, "compliance")
    follow(browser, browser.find_element(By.LINK_TEXT, "机关第四党支部"))
    assert "活动台账 · 机关第四党支部" in browser.find_element(By.TAG_NAME, "h1").text
    row = browser.find_element(By.XPATH, "//table[contains(@class,'ledger-compliance')]//tr[td[1]='党费上交']")
    assert "缺 1" in row.find_elements(By.TAG_NAME, "td")[5].text

    # only the units with a window ended short (issue 29: the view pages, filters and searches)
    browser.get(base_url + "/compliance")
    Select(browser.find_element(By.ID, "compliance-show")).select_by_visible_text("有不足")
    follow(browser, browser.find_element(By.XPATH, "//form[@role='search']//button[text()='查找']"))
    rows = browser.find_elements(By.CSS_SELECTOR, "table.compliance tbody tr")
    assert rows and all(row.find_elements(By.CSS_SELECTOR, ".chip.short") for row in rows)
    screenshot(browser, "compliance-short")
    sign_out(browser)
