"""A whole quarter by five people, ending in publication (办法 四、六), then an objection (申诉).

The secretary of 第一党支部 self-assesses with evidence and reports; the organizer forwards; a panel member
writes an opinion; the panel leader closes the review; the approver approves; the organizer publishes; a
member reads the results. The other three branches move through the API so that the period can be published.
"""
import os
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import advance, api, close_review, confirm, follow, screenshot
from test_sign_in import sign_in, sign_out

SHEET = "/periods/2026Q3/sheets/branch-1"


def button(browser, label):
    return browser.find_element(By.XPATH, f"//button[normalize-space()='{label}']")


def total(browser):
    return browser.find_element(By.CSS_SELECTOR, ".scorebar .score-total strong").text


def test_a_whole_quarter_by_five_people_ends_in_publication(browser, base_url):
    # 支部书记: an entry in item 2.2, evidence behind it, then 报送.
    sign_in(browser, base_url, "zhibu1")
    browser.get(base_url + SHEET)
    assert total(browser) == "97"
    item = browser.find_element(By.ID, "item-2.2")
    form = item.find_element(By.CSS_SELECTOR, "form.entry-form")
    Select(form.find_element(By.NAME, "rule")).select_by_value("2.2.b")
    count = form.find_element(By.NAME, "count")
    count.clear()
    count.send_keys("1")
    form.find_element(By.NAME, "note").send_keys("9月一次周三学习日未开展")
    folder = tempfile.mkdtemp()
    plan = os.path.join(folder, "九月学习计划.pdf")
    with open(plan, "wb") as f:
        f.write(b"%PDF-1.4\n% 2026-09 study plan\n")
    form.find_element(By.CSS_SELECTOR, "details.attach summary").click()
    form.find_element(By.NAME, "file").send_keys(plan)
    follow(browser, form.find_element(By.XPATH, ".//button[normalize-space()='添加']"))
    assert total(browser) == "96", "the engine's score updates at once"
    assert "九月学习计划.pdf" in browser.find_element(By.ID, "item-2.2").text, "the file is the entry's evidence"
    screenshot(browser, "sheet-self-assessment")

    browser.get(base_url + SHEET + "/feedback")
    evidence = os.path.join(folder, "学习日签到表.pdf")
    with open(evidence, "wb") as f:
        f.write(b"%PDF-1.4\n% 2026-09 study day sign-in sheet\n")
    browser.find_element(By.NAME, "file").send_keys(evidence)
    Select(browser.find_element(By.NAME, "source")).select_by_value("records")
    follow(browser, button(browser, "上传"))
    assert "学习日签到表.pdf" in browser.find_element(By.ID, "evidence").text
    screenshot(browser, "evidence")

    browser.get(base_url + SHEET)
    confirm(browser, "报送")
    assert "已报送" in browser.find_element(By.CSS_SELECTOR, ".scorebar").text
    sign_out(browser)

    # 组织委员: the dashboard shows who acts next; forward to the panel.
    sign_in(browser, base_url, "zuzhi")
    browser.get(base_url + "/periods/2026Q3")
    assert "机关第一党支部" in browser.page_source
    screenshot(browser, "period-dashboard")
    browser.get(base_url + SHEET)
    follow(browser, button(browser, "转交考核小组"))
    assert "考核小组考核中" in browser.find_element(By.CSS_SELECTOR, ".scorebar").text
    sign_out(browser)

    # 考核小组成员: an opinion on item 2.1.
    sign_in(browser, base_url, "kaohe2")
    browser.get(base_url + SHEET)
    opinion = browser.find_element(By.ID, "item-2.1").find_element(By.CSS_SELECTOR, "form.opinion-form")
    opinion.find_element(By.NAME, "text").send_keys("支委会记录核实：本季少开三次，扣分属实。")
    follow(browser, opinion.find_element(By.XPATH, ".//button[normalize-space()='保存意见']"))
    assert "扣分属实" in browser.find_element(By.ID, "item-2.1").text
    screenshot(browser, "sheet-review")
    sign_out(browser)

    # 考核小组组长 closes the review.
    sign_in(browser, base_url, "kaohe1")
    close_review(browser, base_url, "branch-1")
    assert "考核小组意见" in browser.find_element(By.ID, "overall-opinion").text
    sign_out(browser)

    # The other branches reach approval through the API.
    for n in (2, 3, 4):
        advance(base_url, f"branch-{n}", [("submit", f"zhibu{n}"), ("forward", "zuzhi"), ("review", "kaohe1"), ("approve", "shuji")])

    # 总支书记 approves what the panel closed.
    sign_in(browser, base_url, "shuji")
    browser.get(base_url + "/periods/2026Q3/approval")
    assert "机关第一党支部" in browser.page_source
    screenshot(browser, "approval")
    confirm(browser, "全部审核确定", browser.find_element(By.CSS_SELECTOR, "form.approve-all"))
    sign_out(browser)

    # 组织委员 publishes; 党团园地 ranks the branches.
    sign_in(browser, base_url, "zuzhi")
    browser.get(base_url + "/periods/2026Q3/results")
    confirm(browser, "公布考核结果")
    table = browser.find_element(By.CSS_SELECTOR, "table.results")
    assert "机关第四党支部" in table.text and "优秀" in table.text
    sign_out(browser)

    sign_in(browser, base_url, "dangyuan1")
    browser.get(base_url + "/periods/2026Q3/results")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.results tbody tr")
    assert len(rows) == 4
    assert rows[0].text.startswith("1 机关第四党支部 100")
    assert browser.find_elements(By.CSS_SELECTOR, ".radar svg"), "a radar per branch"
    screenshot(browser, "results")
    browser.get(base_url + "/periods/2026Q3/results/notice")
    assert "公示" in browser.find_element(By.TAG_NAME, "h1").text
    screenshot(browser, "results-notice")
    browser.get(base_url + "/")
    sign_out(browser)


def test_a_unit_objects_and_the_organizer_upholds_it(browser, base_url):
    # Runs after the publication above, on the same demo bureau.
    assert api(base_url, "zuzhi", "GET", "/api/v1/periods")[0]["state"] == "published"
    sign_in(browser, base_url, "zhibu2")
    browser.get(base_url + "/periods/2026Q3/sheets/branch-2/feedback")
    button(browser, "提出申诉").click()  # empty: the browser's own check stops it, the server's too
    reason = browser.find_element(By.NAME, "reason")
    reason.send_keys("调研任务延期经局领导书面同意，附批示。")
    follow(browser, button(browser, "提出申诉"))
    assert "待处理" in browser.find_element(By.ID, "objection").text
    screenshot(browser, "objection")
    sign_out(browser)

    # The organizer finds it on the 工作台 and opens it from there.
    sign_in(browser, base_url, "zuzhi")
    pending = browser.find_element(By.CSS_SELECTOR, "table.pending").text
    assert "申诉待处理" in pending and "机关第二党支部" in pending
    screenshot(browser, "home-objection")
    follow(browser, browser.find_element(By.XPATH, "//table[contains(@class,'pending')]//tr[td[text()='申诉待处理']]//a"))
    assert "/periods/2026Q3/sheets/branch-2/feedback" in browser.current_url
    browser.find_element(By.NAME, "reason").send_keys("批示属实，重新考核该项。")
    follow(browser, button(browser, "受理并重新考核"))
    assert "已受理" in browser.find_element(By.ID, "objection").text
    sheet = api(base_url, "zuzhi", "GET", "/api/v1/periods/2026Q3/assessments/branch-2")
    assert sheet["state"] == "underReview"
    # The board keeps the branch, marked 复核中, with its published rank.
    browser.get(base_url + "/periods/2026Q3/results")
    row = browser.find_element(By.XPATH, "//table[contains(@class,'results')]//tr[td/a[text()='机关第二党支部']]")
    assert "复核中" in row.text
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.results tbody tr")) == 4
    sign_out(browser)

    # The panel withdraws the contested deduction with its reason and closes the review again.
    sign_in(browser, base_url, "kaohe2")
    browser.get(base_url + "/periods/2026Q3/sheets/branch-2")
    remove = browser.find_element(By.CSS_SELECTOR, "form.remove-entry")
    remove.find_element(By.NAME, "reason").send_keys("延期经局领导同意，不应扣分")
    follow(browser, remove.find_element(By.XPATH, ".//button[normalize-space()='撤销']"))
    assert "撤销理由已保留" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
    sign_out(browser)
    sign_in(browser, base_url, "kaohe1")
    close_review(browser, base_url, "branch-2", "撤销延期任务的扣分后重新考核。")
    sign_out(browser)
    sign_in(browser, base_url, "shuji")
    browser.get(base_url + "/periods/2026Q3/approval")
    confirm(browser, "全部审核确定", browser.find_element(By.CSS_SELECTOR, "form.approve-all"))
    sign_out(browser)

    # The organizer republishes from the results page; the objection records its outcome.
    sign_in(browser, base_url, "zuzhi")
    browser.get(base_url + "/periods/2026Q3/results")
    screenshot(browser, "republish")
    confirm(browser, "公布复核结果")
    row = browser.find_element(By.XPATH, "//table[contains(@class,'results')]//tr[td/a[text()='机关第二党支部']]")
    assert "复核中" not in row.text
    browser.get(base_url + "/periods/2026Q3/sheets/branch-2/feedback")
    outcome = browser.find_element(By.ID, "objection").text
    assert "处理结果" in outcome and "复核后" in outcome
    screenshot(browser, "objection-outcome")
    sign_out(browser)
