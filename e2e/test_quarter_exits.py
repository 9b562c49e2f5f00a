"""The quarter's exits in a real browser (issue 10): the approver sends a sheet back, two panel members write
side by side, a silent branch is forwarded after its deadline, and every page fits a phone."""
import pytest
from selenium.webdriver.common.by import By

from conftest import advance, api, close_review, confirm, follow, screenshot
from test_sign_in import sign_in, sign_out


def test_the_approver_sends_a_sheet_back_to_the_panel_with_a_reason(browser, base_url):
    advance(base_url, "branch-1", [("submit", "zhibu1"), ("forward", "zuzhi"), ("review", "kaohe1")])
    sign_in(browser, base_url, "shuji")
    browser.get(base_url + "/periods/2026Q3/sheets/branch-1")
    actions = browser.find_element(By.ID, "actions")
    follow(browser, actions.find_element(By.XPATH, ".//button[normalize-space()='退回考核小组']"))
    assert "理由" in browser.find_element(By.CSS_SELECTOR, ".field-error").text, "a send-back needs its reason"
    browser.find_element(By.ID, "reason-sendBack").send_keys("2.1 的扣分请再核对会议记录")
    actions = browser.find_element(By.ID, "actions")
    follow(browser, actions.find_element(By.XPATH, ".//button[normalize-space()='退回考核小组']"))
    assert "考核小组考核中" in browser.find_element(By.CSS_SELECTOR, ".scorebar").text
    sign_out(browser)

    sign_in(browser, base_url, "kaohe1")
    browser.get(base_url + "/periods/2026Q3/sheets/branch-1")
    assert "2.1 的扣分请再核对会议记录" in browser.find_element(By.CSS_SELECTOR, ".notice.bad").text
    screenshot(browser, "send-back")
    close_review(browser, base_url, "branch-1", "复核会议记录，扣分属实。")
    sign_out(browser)


def test_two_panel_members_write_opinions_on_different_items_at_once(browser, base_url):
    advance(base_url, "branch-3", [("submit", "zhibu3"), ("forward", "zuzhi")])
    sign_in(browser, base_url, "kaohe1")
    browser.get(base_url + "/periods/2026Q3/sheets/branch-3")
    # While this page is open, the other panel member saves an opinion on another item.
    version = api(base_url, "kaohe2", "GET", "/api/v1/periods/2026Q3/assessments/branch-3")["version"]
    api(base_url, "kaohe2", "POST", "/api/v1/periods/2026Q3/assessments/branch-3/opinions",
        {"item": "2.2", "text": "学习日记录齐全", "version": version})
    opinion = browser.find_element(By.ID, "item-2.1").find_element(By.CSS_SELECTOR, "form.opinion-form")
    opinion.find_element(By.NAME, "text").send_keys("支委会记录核实无误。")
    follow(browser, opinion.find_element(By.XPATH, ".//button[normalize-space()='保存意见']"))
    assert "已保存考核意见" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
    assert "已被他人修改" not in browser.page_source
    assert "学习日记录齐全" in browser.find_element(By.ID, "item-2.2").text
    sign_out(browser)


def test_a_silent_branch_is_forwarded_after_its_deadline(browser, base_url):
    # A quarter whose self-report day has passed: 2026Q2, due on 2026-07-10.
    api(base_url, "zuzhi", "POST", "/api/v1/periods", {"quarter": "2026Q2", "selfDeadline": "2026-07-10", "panelDeadline": "2026-07-15"})
    sign_in(browser, base_url, "zuzhi")
    browser.get(base_url + "/periods/2026Q2")
    row = browser.find_element(By.XPATH, "//tr[td/a[text()='机关第二党支部']]")
    assert "已逾期" in row.text
    confirm(browser, "未报送，转交考核小组", row)
    row = browser.find_element(By.XPATH, "//tr[td/a[text()='机关第二党支部']]")
    assert "考核小组考核中" in row.text and "未开展自查" in row.text
    screenshot(browser, "forward-unreported")
    sign_out(browser)

    sign_in(browser, base_url, "kaohe2")
    browser.get(base_url + "/periods/2026Q2/sheets/branch-2")
    assert "未开展自查" in browser.page_source
    assert "2.4.a" in browser.find_element(By.XPATH, "//section[h2[text()='建议扣分']]").text
    sign_out(browser)


def test_the_panel_rules_on_a_mitigation_before_it_closes(browser, base_url):
    # 机关第三党支部 asked for 从轻扣分 on 2.8.a (the demo's entry); its sheet is with the panel (an earlier
    # journey of this server may have sent it there already).
    if api(base_url, "zuzhi", "GET", "/api/v1/periods/2026Q3/assessments/branch-3")["state"] == "draft":
        advance(base_url, "branch-3", [("submit", "zhibu3"), ("forward", "zuzhi")])
    sign_in(browser, base_url, "kaohe1")
    browser.get(base_url + "/periods/2026Q3/sheets/branch-3")
    actions = browser.find_element(By.ID, "actions")
    assert "考核完毕前须先处理" in actions.text and "2.8.a 申请从轻扣分" in actions.text
    assert not browser.find_elements(By.ID, "closing-opinion"), "the close is not offered while a question is open"
    assert "总分 99 /" in browser.find_element(By.CSS_SELECTOR, ".score-total").text, "asked, not ruled: counted in full"
    screenshot(browser, "review-open-questions")

    decision = browser.find_element(By.CSS_SELECTOR, "details.mitigation-decision")
    decision.find_element(By.TAG_NAME, "summary").click()
    decision.find_element(By.NAME, "reason").send_keys("自查发现并已补交，认可从轻")
    follow(browser, decision.find_element(By.XPATH, ".//button[normalize-space()='认可']"))
    assert "总分 99.5 /" in browser.find_element(By.CSS_SELECTOR, ".score-total").text

    # Whatever the ledger still suggests is set aside with a reason; then the close asks for the overall opinion.
    for _ in range(10):
        forms = browser.find_elements(By.CSS_SELECTOR, "form.dismiss-suggestion")
        if not forms:
            break
        forms[0].find_element(By.NAME, "reason").send_keys("已另行核实")
        follow(browser, forms[0].find_element(By.XPATH, ".//button[normalize-space()='不采纳']"))
    browser.find_element(By.XPATH, ".//summary[normalize-space()='考核完毕']").click()
    follow(browser, browser.find_element(By.XPATH, ".//button[normalize-space()='确认考核完毕']"))
    assert "总体考核意见" in browser.find_element(By.CSS_SELECTOR, ".field-error").text
    browser.find_element(By.ID, "closing-opinion").send_keys("党费迟交已自查纠正，认可从轻扣分。")
    follow(browser, browser.find_element(By.XPATH, ".//button[normalize-space()='确认考核完毕']"))
    assert "考核完毕" in browser.find_element(By.CSS_SELECTOR, ".scorebar").text
    assert "认可从轻扣分" in browser.find_element(By.ID, "overall-opinion").text
    sign_out(browser)


@pytest.mark.parametrize("width", [360, 390])
def test_every_page_fits_a_phone(browser, base_url, width):
    browser.set_window_size(width, 844)
    pages = {
        "zuzhi": ["/", "/periods", "/periods/2026Q3", "/periods/2026Q3/sheets/branch-1", "/periods/2026Q3/results",
                  "/periods/2026Q3/results/notice", "/rubrics", "/rubrics/bureau-branch/1", "/audit",
                  "/periods/2026Q3/sheets/branch-1/feedback", "/periods/2026Q3/penalties", "/years/2026/vetoes",
                  "/years/2026/selection"],
        "shuji": ["/periods/2026Q3/approval"],
        "zhibu1": ["/", "/periods/2026Q3/sheets/branch-1", "/units/branch-1/ledger", "/account/password", "/years/2026/selection",
                   "/periods/2026Q3/filing"],
        "admin": ["/admin/org", "/admin/users"],
    }
    browser.get(base_url + "/login")
    assert browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 1, "the sign-in page"
    for user, paths in pages.items():
        sign_in(browser, base_url, user)
        for path in paths:
            browser.get(base_url + path)
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} as {user} is {overflow}px wider than the phone"
            # every navigation link on one line, never a character per line
            tall = browser.execute_script("""
                const links = [...document.querySelectorAll('.nav a')];
                return links.filter(a => a.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(a).lineHeight || 20)).map(a => a.textContent);
            """)
            assert not tall, f"{path}: navigation links wrap: {tall}"
            # names in tables stay whole words (the table scrolls in its card instead)
            crushed = browser.execute_script("""
                return [...document.querySelectorAll('main td a, main th')].filter(el => {
                    const line = parseFloat(getComputedStyle(el).lineHeight) || 24;
                    return el.textContent.trim().length > 2 && el.getBoundingClientRect().height > 3 * line;
                }).map(el => el.textContent.trim().slice(0, 20));
            """)
            assert not crushed, f"{path} as {user}: table text crushed a few characters per line: {crushed[:5]}"
            # and no cell of the 待办 is a column a character or two wide (its lines stack on a phone)
            narrow = browser.execute_script("""
                return [...document.querySelectorAll('main table.pending td')].filter(el => {
                    const line = parseFloat(getComputedStyle(el).lineHeight) || 24;
                    const lines = Math.round(el.getBoundingClientRect().height / line);
                    return lines > 2 && el.textContent.trim().length / lines < 4;
                }).map(el => el.textContent.trim().slice(0, 20));
            """)
            assert not narrow, f"{path} as {user}: the 待办 wraps a character or two per line: {narrow[:5]}"
            # every field and button within reach, none off to the right of a sideways-scrolling table (the pages
            # where people type on a phone: the ledger's record form, the 扣奖 bases, the sheet's entries with their
            # 删除/撤销, the 备案 page)
            if path not in ("/units/branch-1/ledger", "/periods/2026Q3/penalties", "/periods/2026Q3/filing") and not (
                    user == "zhibu1" and path == "/periods/2026Q3/sheets/branch-1"):
                continue
            unreachable = browser.execute_script("""
                return [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea, main button')]
                    .filter(el => el.offsetParent !== null && el.getBoundingClientRect().right > window.innerWidth + 1)
                    .map(el => (el.name || el.id || el.textContent.trim()).slice(0, 30));
            """)
            assert not unreachable, f"{path} as {user}: fields off the screen's right edge: {unreachable[:5]}"
            # no text sticks out of its box (boxes that scroll on purpose excepted)
            spilled = browser.execute_script("""
                const out = [];
                for (const el of document.querySelectorAll('main h1, main h2, main p, main label, main button, main summary, .topbar *')) {
                    const style = getComputedStyle(el);
                    if (style.overflowX !== 'visible' || el.closest('.table-wrap, .card')?.scrollWidth > el.closest('.table-wrap, .card')?.clientWidth) continue;
                    if (el.scrollWidth > el.clientWidth + 1 && style.display !== 'inline') out.push(el.tagName + ': ' + el.textContent.trim().slice(0, 30));
                }
                return out;
            """)
            assert not spilled, f"{path} as {user}: text overflows its box: {spilled[:5]}"
        if user == "zuzhi" and width == 390:
            browser.get(base_url + "/periods/2026Q3")
            screenshot(browser, "phone-dashboard")
        sign_out(browser)
    browser.set_window_size(1280, 900)
