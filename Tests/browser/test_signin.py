"""Sign-in, roles and admin pages in headless Chromium (see browser_support.py)."""
import json
import secrets
import unittest
import urllib.request

from selenium.webdriver.common.by import By

from browser_support import BASE, IDP, BrowserTestCase


class SignInTests(BrowserTestCase):
    def test_sign_in_create_a_project_and_sign_out(self):
        self.browser.get(BASE + "/login")
        self.screenshot("01-sign-in")
        self.sign_in("admin")
        self.assertEqual(self.text("h1"), "Projects")
        header = self.text(".dc-who")
        self.assertIn("Admin Tester", header)
        self.assertIn(self.tenant, header)
        self.assertIn("admin", header)
        cookies = {cookie["name"]: cookie for cookie in self.browser.get_cookies()}
        session = cookies["__Host-dc_session"]
        self.assertTrue(session["secure"])
        self.assertTrue(session["httpOnly"])
        self.assertEqual(session["sameSite"], "Lax")
        self.assertEqual(session["path"], "/")
        self.assertNotIn("__Host-dc_signin", cookies, "the sign-in cookie is gone after the callback")

        # A bad name comes back next to its field, with the input kept.
        self.browser.find_element(By.ID, "name").send_keys("not valid!")
        self.browser.find_element(By.ID, "description").send_keys("Quarterly numbers")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "form[action='/projects'] button"))
        self.assertEqual(self.text("#name-error"), "Field name may contain only letters, digits and _.")
        self.assertEqual(self.browser.find_element(By.ID, "description").get_attribute("value"), "Quarterly numbers")
        name = self.browser.find_element(By.ID, "name")
        name.clear()
        name.send_keys("sales_2026")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "form[action='/projects'] button"))
        # A new project opens at once; the list has it too.
        self.assertRegex(self.browser.current_url, "^" + BASE + r"/projects/\d+$")
        self.assertEqual(self.text("h1"), "sales_2026")
        self.browser.get(BASE + "/projects")
        self.assertIn("sales_2026", self.text("table"))
        self.assertIn("Quarterly numbers", self.text("table"))
        self.screenshot("02-projects")

        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"))
        # Through the provider's logout (its session ends too), back to the sign-in page.
        self.assertEqual(self.browser.current_url, BASE + "/login")
        with urllib.request.urlopen(IDP + "test/logouts", timeout=10) as answer:
            self.assertEqual(json.loads(answer.read())[-1], BASE + "/login")
        self.browser.get(BASE + "/projects")
        self.assertEqual(self.browser.current_url, BASE + "/login", "the session no longer works")
        self.browser.add_cookie(session)
        self.browser.get(BASE + "/projects")
        self.assertEqual(self.browser.current_url, BASE + "/login", "not even with the old cookie put back")

    def test_a_viewer_sees_no_edit_forms(self):
        self.sign_in("viewer")
        self.assertIn("viewer", self.text(".dc-who"))
        self.assertEqual(self.browser.find_elements(By.CSS_SELECTOR, "form[action='/projects']"), [])
        self.assertEqual(self.browser.find_elements(By.LINK_TEXT, "Users"), [], "no admin pages in the menu")
        self.screenshot("03-projects-viewer")
        self.browser.get(BASE + "/users")
        self.assertEqual(self.text("h1"), "Not allowed")
        self.browser.get(BASE + "/audit")
        self.assertEqual(self.text("h1"), "Not allowed")

    def test_admins_manage_users_and_read_the_audit_log(self):
        self.sign_in("admin")
        self.navigate(self.browser.find_element(By.LINK_TEXT, "Users"))
        self.assertEqual(self.text("h1"), f"Users of {self.tenant}")
        email = f"new-{secrets.token_hex(3)}@browser.test"
        self.fill("email", "not-an-email")
        self.submit("form[action='/users']")
        self.assertTrue(self.text("[role=alert]"))
        self.assertEqual(self.browser.find_element(By.ID, "email").get_attribute("value"), "not-an-email")
        self.assertEqual(self.browser.find_elements(By.ID, "sub"), [], "admins do not choose identity subjects")
        self.fill("email", email)
        self.fill("user-name", "New Person")
        self.submit("form[action='/users']")
        self.assertIn(email, self.text("table"))
        row = [r for r in self.browser.find_elements(By.CSS_SELECTOR, "tbody tr") if email in r.text][0]
        self.assertIn("invited", row.text)
        row.find_element(By.CSS_SELECTOR, "option[value=user]").click()
        self.navigate(row.find_element(By.CSS_SELECTOR, "button[aria-label^='Save the role']"))
        row = [r for r in self.browser.find_elements(By.CSS_SELECTOR, "tbody tr") if email in r.text][0]
        self.assertEqual(row.find_element(By.CSS_SELECTOR, "option[selected]").get_attribute("value"), "user")
        self.screenshot("12-users")
        self.navigate(self.browser.find_element(By.LINK_TEXT, "Audit log"))
        self.assertEqual(self.text("h1"), "Audit log")
        self.browser.find_element(By.CSS_SELECTOR, "#kind option[value=users]").click()
        self.submit("form.dc-filter")
        entries = self.text("table")
        self.assertIn("update", entries)
        self.assertIn("New Person", entries)
        self.screenshot("13-audit")
        # The invited person signs in through the provider, which verified the e-mail: the
        # subject is bound to the invitation, and the person is in this tenant as a user.
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"))
        self.sign_in(subject="standin|" + email, email=email)
        who = self.text(".dc-who")
        self.assertIn("New Person", who)
        self.assertIn(self.tenant, who)
        self.assertIn("user", who)

    def test_a_wrong_state_fails_sign_in(self):
        self.browser.get(BASE + "/login")
        self.navigate(self.browser.find_element(By.LINK_TEXT, "Continue to sign-in"))
        self.assertEqual(self.text("h1"), "Stand-in provider")
        self.browser.get(BASE + "/auth/callback?code=forged&state=forged")
        self.assertEqual(self.text("h1"), "Sign in")
        self.assertIn("does not belong to this sign-in (state)", self.text("[role=alert]"))
        self.assertNotIn("__Host-dc_session", {cookie["name"] for cookie in self.browser.get_cookies()})
        self.screenshot("04-sign-in-refused")

    def test_pages_fit_a_phone(self):
        self.browser.set_window_size(390, 844)
        self.sign_in("admin")
        for path in ("/projects", "/trash", "/users", "/audit"):
            self.browser.get(BASE + path)
            overflow = self.browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            self.assertLessEqual(overflow, 0, f"{path} scrolls sideways on a phone")
        self.browser.get(BASE + "/projects")
        self.screenshot("14-projects-phone")


if __name__ == "__main__":
    unittest.main(verbosity=2)
