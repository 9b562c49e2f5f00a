"""A demo secretary signs in through the page and lands on the start page (工作台)."""
from selenium.webdriver.common.by import By
from conftest import follow, screenshot


def sign_in(browser, base_url, username, password="kaohe-demo"):
    browser.get(base_url + "/login")
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys(password)
    # Either the start page (or the page asked for) or the sign-in form again with its message.
    follow(browser, browser.find_element(By.CSS_SELECTOR, "button[type=submit]"))


def sign_out(browser):
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.signout button"))
    assert "/login" in browser.current_url


def test_demo_secretary_signs_in_and_sees_the_start_page(browser, base_url):
    browser.get(base_url + "/")
    assert browser.current_url.endswith("/login"), "a stranger is sent to sign in"
    screenshot(browser, "login")

    sign_in(browser, base_url, "zhibu1")

    assert browser.find_element(By.TAG_NAME, "h1").text == "工作台"
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "张一" in body
    assert "支部书记" in body
    assert "机关第一党支部" in body, "units by name"
    assert "branch-1" not in body, "never the unit's code"
    screenshot(browser, "home")


def test_wrong_password_shows_the_reason_beside_the_form(browser, base_url):
    sign_in(browser, base_url, "zhibu2", "not-the-password")
    error = browser.find_element(By.CSS_SELECTOR, ".field-error")
    assert "用户名或密码不正确" in error.text
    assert browser.find_element(By.ID, "username").get_attribute("value") == "zhibu2"


def test_sign_out_returns_to_the_sign_in_page(browser, base_url):
    sign_in(browser, base_url, "zuzhi")
    sign_out(browser)
    assert browser.current_url.endswith("/login")
    browser.get(base_url + "/")
    assert browser.current_url.endswith("/login")
