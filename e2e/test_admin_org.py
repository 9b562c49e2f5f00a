"""The admin imports the org tree from a CSV exported by Excel (GBK), and grants a role."""
import os
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import follow, screenshot
from test_sign_in import sign_in, sign_out


def test_admin_imports_a_gbk_csv_and_sees_the_tree(browser, base_url):
    sign_in(browser, base_url, "admin")
    follow(browser, browser.find_element(By.LINK_TEXT, "组织与人员"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "组织与人员"

    rows = "类型,代码,名称,上级代码,职务,入党日期,中层\n党支部,branch-9,机关第九党支部,general,,,\n党小组,branch-9-group-1,第九支部第一党小组,branch-9,,,\n党员,branch-9-group-1-member-1,钱九,branch-9-group-1,科长,2015-07-01,是\n"
    bad = rows + "党小组,branch-9-group-2,第二党小组,nowhere,,,\n"
    folder = tempfile.mkdtemp()
    bad_path = os.path.join(folder, "bad.csv")
    with open(bad_path, "wb") as f:
        f.write(bad.encode("gbk"))
    browser.find_element(By.NAME, "file").send_keys(bad_path)
    follow(browser, browser.find_element(By.XPATH, "//button[text()='检查并导入']"))
    alert = browser.find_element(By.CSS_SELECTOR, ".notice.bad")
    assert "第 5 行" in alert.text and "nowhere" in alert.text
    assert "机关第九党支部" not in browser.find_element(By.TAG_NAME, "table").text, "nothing is imported"
    screenshot(browser, "org-import-errors")

    good_path = os.path.join(folder, "good.csv")
    with open(good_path, "wb") as f:
        f.write(rows.encode("gbk"))
    browser.find_element(By.NAME, "file").send_keys(good_path)
    follow(browser, browser.find_element(By.XPATH, "//button[text()='检查并导入']"))
    assert "已导入 3 行" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
    assert "钱九" in browser.find_element(By.TAG_NAME, "table").text
    screenshot(browser, "org-tree")


def test_admin_grants_a_role_and_the_user_sees_it(browser, base_url):
    sign_in(browser, base_url, "admin")
    browser.get(base_url + "/admin/users")
    row = browser.find_element(By.XPATH, "//tr[td/code[text()='zhibu3']]")
    Select(row.find_element(By.NAME, "role")).select_by_visible_text("支部委员")
    row.find_element(By.NAME, "unit").send_keys("branch-4")
    follow(browser, row.find_element(By.XPATH, ".//button[text()='分配']"))
    row = browser.find_element(By.XPATH, "//tr[td/code[text()='zhibu3']]")
    assert "机关第四党支部 · 支部委员" in row.text, "the role's unit by name"
    screenshot(browser, "users")

    sign_out(browser)
    sign_in(browser, base_url, "zhibu3")
    assert "支部委员" in browser.find_element(By.TAG_NAME, "body").text
    browser.get(base_url + "/admin/users")
    assert "没有权限" in browser.find_element(By.TAG_NAME, "body").text
