"""办法 七 in a real browser (issue 11): the organizer enters the 扣奖 bases and prints the sheet; a veto on a group
takes its branch out of the proposal; four secretaries, the panel leader and the approver complete a year's
selection and print a certificate."""
from selenium.webdriver.common.by import By

from conftest import advance, api, confirm, follow, screenshot
from test_sign_in import sign_in, sign_out

BRANCHES = ["branch-1", "branch-2", "branch-3", "branch-4"]
# The year runs through to its 综合评定, which comes once 2026 is over (as does Q4's publication).
KAOHE_TODAY = "2027-01-20"


def publish(base_url: str, quarter: str) -> None:
    """Opens the quarter if it is not there, moves every branch's sheet to approved and publishes it (via the API)."""
    periods = {p["id"]: p for p in api(base_url, "zuzhi", "GET", "/api/v1/periods")}
    if quarter not in periods:
        api(base_url, "zuzhi", "POST", "/api/v1/periods", {"quarter": quarter})
    elif periods[quarter]["state"] == "published":
        return
    for unit in BRANCHES:
        path = f"/api/v1/periods/{quarter}/assessments/{unit}"
        secretary = "zhibu" + unit.split("-")[1]
        steps = [("submit", secretary), ("forward", "zuzhi"), ("review", "kaohe1"), ("approve", "shuji")]
        state = api(base_url, "zuzhi", "GET", path)["state"]
        order = ["draft", "submitted", "underReview", "reviewed", "approved", "published"]
        advance(base_url, unit, steps[min(order.index(state), len(steps)):], period=quarter)
    api(base_url, "zuzhi", "POST", f"/api/v1/periods/{quarter}/publish")


def test_the_organizer_enters_the_bases_and_prints_the_penalty_sheet(browser, base_url):
    # 机关第二党支部 falls to 基本合格 with two grave deductions, then the quarter is published.
    for rule, note in [("5.2.c", "一名党员参与赌博被查处"), ("3.2.c", "一名党员违反计划生育政策")]:
        api(base_url, "zhibu2", "POST", "/api/v1/periods/2026Q3/assessments/branch-2/entries", {"rule": rule, "note": note})
    publish(base_url, "2026Q3")

    sign_in(browser, base_url, "zuzhi")
    browser.get(base_url + "/periods/2026Q3/results")
    follow(browser, browser.find_element(By.LINK_TEXT, "扣奖"))
    for unit, amount in [("branch-1", "6000"), ("branch-2", "-6000"), ("branch-3", "5800"), ("branch-4", "5900.50")]:
        box = browser.find_element(By.ID, f"base-{unit}")
        box.clear()
        box.send_keys(amount)
    follow(browser, browser.find_element(By.XPATH, "//button[normalize-space()='保存基数奖金']"))
    assert "金额不能为负数" in browser.find_element(By.ID, "base-branch-2-error").text, "the message beside the field"
    assert browser.find_element(By.ID, "base-branch-3").get_attribute("value") == "5800", "what was typed is kept"
    box = browser.find_element(By.ID, "base-branch-2")
    box.clear()
    box.send_keys("６０００")
    follow(browser, browser.find_element(By.XPATH, "//button[normalize-space()='保存基数奖金']"))
    assert "已保存 4 个支部的基数奖金" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
    row = browser.find_element(By.XPATH, "//tr[td[text()='机关第二党支部']]")
    assert "6000 × 1.3 × (1 − " in row.text and "基本合格" in row.text, "the formula with its own numbers"
    assert "总支书记承担 60%" in browser.find_element(By.ID, "general").text
    screenshot(browser, "penalties")
    follow(browser, browser.find_element(By.LINK_TEXT, "打印扣奖表"))
    assert "财务经办" in browser.page_source and "机关第二党支部" in browser.page_source
    screenshot(browser, "penalties-print")
    browser.get(base_url + "/")
    sign_out(browser)

    sign_in(browser, base_url, "zhibu2")
    browser.get(base_url + "/periods/2026Q3/penalties")
    table = browser.find_element(By.CSS_SELECTOR, "table.penalties").text
    assert "机关第二党支部" in table and "机关第一党支部" not in table, "a secretary reads only their own line"
    sign_out(browser)


SELF = {unit: 85 + i for i, unit in enumerate(BRANCHES, start=1)}
PEER = {unit: {other: 80 + 2 * j + i for j, other in enumerate(BRANCHES) if other != unit} for i, unit in enumerate(BRANCHES)}
PANEL = {unit: 85 + i for i, unit in enumerate(BRANCHES)}


def rate_by_api(base_url: str) -> None:
    for index, unit in enumerate(BRANCHES, start=1):
        secretary = f"zhibu{index}"
        api(base_url, secretary, "PUT", "/api/v1/years/2026/evaluations/self", {"unit": unit, "score": SELF[unit]})
        api(base_url, secretary, "PUT", "/api/v1/years/2026/evaluations/peer", {"unit": unit, "ratings": PEER[unit]})
    api(base_url, "kaohe1", "PUT", "/api/v1/years/2026/evaluations/panel", {"ratings": PANEL})


def test_a_veto_on_a_group_takes_its_branch_out_of_the_proposal(browser, base_url):
    for quarter in ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]:
        publish(base_url, quarter)
    rate_by_api(base_url)
    selection = api(base_url, "shuji", "GET", "/api/v1/years/2026/selection")
    first = next(u for u in selection["units"] if u["proposed"])
    runner_up = next(u for u in selection["units"] if not u["proposed"] and not u["vetoed"])

    sign_in(browser, base_url, "zuzhi")
    browser.get(base_url + "/years/2026/vetoes")
    form = browser.find_element(By.ID, "record")
    form.find_element(By.CSS_SELECTOR, f"#unit option[value='{first['unit']}-group-1']").click()
    form.find_element(By.CSS_SELECTOR, "#veto option[value='V2']").click()
    date = form.find_element(By.ID, "date")
    browser.execute_script("arguments[0].value = '2026-03-15'", date)
    follow(browser, form.find_element(By.XPATH, ".//button[normalize-space()='记录']"))
    assert "请写明事由" in browser.find_element(By.CSS_SELECTOR, "#record .field-error").text, "a veto needs its reason"
    form = browser.find_element(By.ID, "record")
    form.find_element(By.ID, "reason").send_keys("小组一名党员发生廉政问题")
    follow(browser, form.find_element(By.XPATH, ".//button[normalize-space()='记录']"))
    assert "已记录一票否决" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
    assert first["name"] in browser.find_element(By.ID, "struck").text, "the group's branch is struck too"
    screenshot(browser, "vetoes")
    sign_out(browser)

    sign_in(browser, base_url, "shuji")
    browser.get(base_url + "/years/2026/selection")
    row = browser.find_element(By.XPATH, f"//table[contains(@class,'selection')]//tr[td[contains(., '{first['name']}')]]")
    assert "取消评比资格" in row.text and "推荐" not in row.text
    proposed = browser.find_element(By.XPATH, f"//table[contains(@class,'selection')]//tr[td[contains(., '{runner_up['name']}')]]")
    assert "推荐" in proposed.text, "the next branch is proposed"
    sign_out(browser)


def test_the_page_the_api_and_kaohe_annual_agree(browser, base_url):
    """The same year fed to the selection page, the API and `kaohe annual`: every number the same."""
    import json, os, subprocess, tempfile
    from conftest import ROOT
    for quarter in ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]:
        publish(base_url, quarter)
    rate_by_api(base_url)
    selection = api(base_url, "shuji", "GET", "/api/v1/years/2026/selection")
    assert selection["complete"]
    request = {"units": [{"unit": u["unit"], "quarters": u["quarters"], "bonus": u["bonus"], "self": SELF[u["unit"]],
                          "peer": {rater: PEER[rater][u["unit"]] for rater in BRANCHES if rater != u["unit"]},
                          "panel": PANEL[u["unit"]], "vetoed": u["vetoed"]} for u in selection["units"]]}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(request, file)
    binary = os.environ.get("KAOHE_BIN", str(ROOT / ".build" / "debug" / "kaohe"))
    out = subprocess.run([binary, "annual", "--rubric", str(ROOT / "rubrics" / "bureau-branch.yaml"), "--input", file.name],
                         capture_output=True, text=True, check=True).stdout
    report = json.loads(out)["units"]
    assert [u["unit"] for u in report] == [u["unit"] for u in selection["units"]], "the same ranking"
    for cli, line in zip(report, selection["units"]):
        for key in ("yearly", "peer", "composite", "rank", "proposed", "vetoed"):
            assert cli[key] == line[key], (line["unit"], key, cli[key], line[key])

    sign_in(browser, base_url, "shuji")
    browser.get(base_url + "/years/2026/selection")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.selection tbody tr")
    for cli, row in zip(report, rows):
        cells = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
        assert cells[0] == str(cli["rank"]), cells
        assert float(cells[-2]) == float(cli["composite"]) and float(cells[6]) == float(cli["yearly"]), (cells, cli)
    sign_out(browser)


def test_four_secretaries_the_panel_and_the_approver_complete_the_year(browser, base_url):
    for quarter in ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]:
        publish(base_url, quarter)
    for index, unit in enumerate(BRANCHES, start=1):
        sign_in(browser, base_url, f"zhibu{index}")
        browser.get(base_url + "/years/2026/selection")
        section = browser.find_element(By.ID, f"rate-{unit}")
        assert section.find_elements(By.ID, f"peer-{unit}-{unit}") == [], "no box to rate one's own branch"
        box = section.find_element(By.ID, f"self-{unit}")
        box.clear()
        box.send_keys(str(88 + index))
        follow(browser, section.find_element(By.XPATH, ".//button[normalize-space()='保存自评']"))
        assert "评分已保存" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
        section = browser.find_element(By.ID, f"rate-{unit}")
        others = [u for u in BRANCHES if u != unit]
        for j, other in enumerate(others):
            box = section.find_element(By.ID, f"peer-{unit}-{other}")
            box.clear()
            box.send_keys("120" if index == 1 and j == 0 else str(82 + j + index))
        follow(browser, section.find_element(By.XPATH, ".//button[normalize-space()='保存互评']"))
        if index == 1:
            assert "分数应在 0–100 之间" in browser.find_element(By.CSS_SELECTOR, f"#rate-{unit} .field-error").text
            box = browser.find_element(By.ID, f"peer-{unit}-{others[0]}")
            box.clear()
            box.send_keys("83")
            follow(browser, browser.find_element(By.ID, f"rate-{unit}").find_element(By.XPATH, ".//button[normalize-space()='保存互评']"))
        assert "评分已保存" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
        sign_out(browser)

    sign_in(browser, base_url, "kaohe1")
    browser.get(base_url + "/years/2026/selection")
    panel = browser.find_element(By.ID, "panel")
    for i, unit in enumerate(BRANCHES):
        box = panel.find_element(By.ID, f"panel-{unit}")
        box.clear()
        box.send_keys(str(86 + i))
    follow(browser, panel.find_element(By.XPATH, ".//button[normalize-space()='保存考评']"))
    sign_out(browser)

    sign_in(browser, base_url, "shuji")
    browser.get(base_url + "/years/2026/selection")
    screenshot(browser, "selection")
    decision = browser.find_element(By.ID, "decision")
    chosen = [box.get_attribute("value") for box in decision.find_elements(By.CSS_SELECTOR, "input[type=checkbox]") if box.is_selected()]
    assert len(chosen) == 1, "the proposal is checked"
    confirm(browser, "综合评定", decision)
    awards = browser.find_element(By.ID, "awards").text
    assert "先进党支部" in awards
    follow(browser, browser.find_element(By.CSS_SELECTOR, f"#awards a[href='/years/2026/certificates/{chosen[0]}']"))
    assert "荣誉证书" in browser.page_source and "先进党支部" in browser.page_source
    # 落款: the issuing organisation and the date written out, where the seal is pressed; no seal drawn over them.
    issuer = browser.find_element(By.CSS_SELECTOR, ".certificate .issuer").text
    assert "机关党总支" in issuer and "二〇二" in issuer, issuer
    assert "（盖章）" not in browser.page_source
    screenshot(browser, "certificate")
