"""API tokens on the admin page (issue 18) in headless Chromium: an admin makes a token, sees its
secret once, a program uses it against the API (urllib), and the admin revokes it."""
import json
import secrets
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser_support import BASE, BrowserTestCase


def api(method, path, secret, body=None):
    """Calls the API as a program would: the token as bearer, JSON in and out."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + secret, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


class TokenPageTests(BrowserTestCase):
    def test_an_admin_makes_uses_and_revokes_a_token(self):
        self.sign_in("admin")
        self.navigate(self.browser.find_element(By.LINK_TEXT, "API tokens"))
        self.assertEqual(self.text("h1"), "API tokens of " + self.tenant)
        self.assertIn("No API tokens yet.", self.text("main"))

        name = "nightly-" + secrets.token_hex(3)
        self.fill("token-name", name)
        Select(self.browser.find_element(By.ID, "token-role")).select_by_value("user")
        Select(self.browser.find_element(By.ID, "token-lifetime")).select_by_value("30")
        self.submit("form[action='/tokens']")

        # The secret, once, with the advice to copy it now.
        secret = self.browser.find_element(By.ID, "token-secret").get_attribute("value")
        self.assertRegex(secret, r"^dct_[A-Za-z0-9_-]{43}$")
        self.assertIn("shown only this once", self.text("#new-token"))
        rows = self.rows()
        self.assertEqual(len(rows), 1)
        self.assertIn(name, rows[0])
        self.assertIn(secret[:12], rows[0])
        self.assertIn("active", rows[0])
        self.screenshot("tokens")

        # A program uses it: reads, and writes with the role `user`; admin endpoints stay closed.
        status, body = api("GET", "/api/v1/me", secret)
        self.assertEqual((status, body["role"]), (200, "user"))
        status, body = api("POST", "/api/v1/projects", secret, {"name": "from_token_" + secrets.token_hex(3)})
        self.assertEqual(status, 201, body)
        status, _ = api("GET", "/api/v1/users", secret)
        self.assertEqual(status, 403)

        # Reloaded, the page never shows the secret again, and counts the uses.
        self.browser.get(BASE + "/tokens")
        self.assertNotIn(secret[12:], self.browser.page_source)
        self.assertEqual(self.browser.find_elements(By.ID, "token-secret"), [])
        self.assertEqual(self.text("main table tbody tr td.dc-num"), "3", "three requests counted")

        # Revoked on the page: the program is refused from then on.
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "button[aria-label='Revoke the token %s']" % name))
        self.assertEqual(self.browser.current_url, BASE + "/tokens")
        self.assertEqual(self.text("main table tbody tr .dc-token-state"), "revoked")
        self.assertEqual(self.browser.find_elements(By.CSS_SELECTOR, "form[action$='/revoke']"), [])
        status, body = api("GET", "/api/v1/me", secret)
        self.assertEqual(status, 401)
        self.assertEqual(body["detail"], "The API token is invalid, expired or revoked.")

        # The audit page shows it made, used and revoked.
        self.browser.get(BASE + "/audit?kind=tokens")
        self.assertEqual(len(self.rows()), 2, "made and revoked")
        self.browser.get(BASE + "/audit?kind=token_uses")
        self.assertEqual(len(self.rows()), 1)
        self.assertIn("use", self.rows()[0])

    def test_a_viewer_has_no_tokens_page(self):
        self.sign_in("viewer")
        self.assertEqual(self.browser.find_elements(By.LINK_TEXT, "API tokens"), [])
        self.browser.get(BASE + "/tokens")
        self.assertEqual(self.text("h1"), "Not allowed")
