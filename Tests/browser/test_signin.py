"""Browser tests in headless Chromium (Debian's chromium and chromium-driver) driven by Selenium,
against the real stack, signing in through the stand-in OpenID provider (standin_idp.py), so the
responder's real sign-in path runs: authorize redirect, state, code exchange with the client
secret and the PKCE verifier, ID token by JWKS, nonce, session cookie.

Environment (set by Tests/browser/run): DC_BASE_URL, DC_ADMIN (the datacovey-admin binary),
DC_SCREENSHOTS (a folder for page screenshots).
"""
import json
import os
import secrets
import subprocess
import tempfile
import time
import unittest
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["DC_BASE_URL"].rstrip("/")
ADMIN = os.environ["DC_ADMIN"]
SCREENSHOTS = os.environ["DC_SCREENSHOTS"]


def admin(*arguments):
    done = subprocess.run([ADMIN, *arguments], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise AssertionError(f"datacovey-admin {' '.join(arguments)}: {done.stdout}{done.stderr}")
    return done.stdout


class BrowserTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        suffix = secrets.token_hex(4)
        cls.tenant = f"browser-{suffix}"
        admin("tenant", "create", cls.tenant, "--display-name", "Browser Test")
        cls.subjects = {}
        cls.emails = {}
        for role in ("admin", "viewer"):
            subject = f"standin|{role}-{suffix}"
            cls.emails[role] = f"{role}-{suffix}@browser.test"
            admin("user", "add", "--tenant", cls.tenant, "--email", cls.emails[role],
                  "--name", f"{role.title()} Tester", "--role", role, "--sub", subject)
            cls.subjects[role] = subject

    def setUp(self):
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                         "--disable-gpu", "--no-first-run", "--disable-extensions"):
            options.add_argument(argument)
        self.browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.browser.set_page_load_timeout(30)
        self.addCleanup(self.browser.quit)

    def navigate(self, element):
        """Clicks a link or button that loads a page and waits until the new page replaced the old
        (a click returns before the browser has navigated)."""
        page = self.browser.find_element(By.TAG_NAME, "html")
        element.click()

        def replaced(driver):
            # Selenium 4.8 with a newer chromedriver reports a detached node as a generic
            # WebDriverException ("does not belong to the document"), not a stale element.
            try:
                page.is_enabled()
                return False
            except WebDriverException:
                return driver.execute_script("return document.readyState") == "complete"

        WebDriverWait(self.browser, 15).until(replaced)

    def submit(self, form_selector):
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, form_selector + " button[type=submit]"))

    def fill(self, element_id, text):
        field = self.browser.find_element(By.ID, element_id)
        field.clear()
        field.send_keys(text)

    def screenshot(self, name):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        self.browser.save_screenshot(os.path.join(SCREENSHOTS, f"{name}.png"))

    def text(self, selector):
        return self.browser.find_element(By.CSS_SELECTOR, selector).text

    def sign_in(self, role):
        self.browser.get(BASE + "/projects")
        self.assertEqual(self.browser.current_url, BASE + "/login", "no session: the sign-in page")
        self.navigate(self.browser.find_element(By.LINK_TEXT, "Continue to sign-in"))
        self.assertEqual(self.text("h1"), "Stand-in provider")
        self.browser.find_element(By.ID, "sub").send_keys(self.subjects[role])
        self.navigate(self.browser.find_element(By.ID, "approve"))
        self.assertEqual(self.browser.current_url, BASE + "/projects")


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
        self.assertEqual(self.browser.current_url, BASE + "/projects")
        self.assertIn("sales_2026", self.text("table"))
        self.assertIn("Quarterly numbers", self.text("table"))
        self.screenshot("02-projects")

        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"))
        self.assertEqual(self.browser.current_url, BASE + "/login")
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
        self.fill("email", email)
        self.fill("user-name", "New Person")
        self.fill("sub", "standin|" + email)
        self.submit("form[action='/users']")
        self.assertIn(email, self.text("table"))
        row = [r for r in self.browser.find_elements(By.CSS_SELECTOR, "tbody tr") if email in r.text][0]
        row.find_element(By.CSS_SELECTOR, "option[value=user]").click()
        self.navigate(row.find_element(By.CSS_SELECTOR, "button"))
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

    def test_a_wrong_state_fails_sign_in(self):
        self.browser.get(BASE + "/login")
        self.navigate(self.browser.find_element(By.LINK_TEXT, "Continue to sign-in"))
        self.assertEqual(self.text("h1"), "Stand-in provider")
        self.browser.get(BASE + "/auth/callback?code=forged&state=forged")
        self.assertEqual(self.text("h1"), "Sign in")
        self.assertIn("does not belong to this sign-in (state)", self.text("[role=alert]"))
        self.assertNotIn("__Host-dc_session", {cookie["name"] for cookie in self.browser.get_cookies()})
        self.screenshot("04-sign-in-refused")


class DatasetWorkflowTests(BrowserTestCase):
    def test_edit_a_dataset_restore_its_previous_version_then_trash_and_restore_it(self):
        self.sign_in("admin")
        self.fill("name", "workflow_" + secrets.token_hex(3))
        self.submit("form[action='/projects']")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "table a[href^='/projects/']"))
        self.assertIn("Datasets", self.text("main"))
        self.fill("name", "sales")
        self.fill("description", "Orders by day")
        self.submit("form[action$='/datasets']")
        self.assertEqual(self.text("h1"), "sales")
        dataset_url = self.browser.current_url
        self.screenshot("05-dataset")

        # Edit: version 2; then the history shows the change and restores version 1 as version 3.
        self.fill("edit-description", "Orders by week")
        self.submit("form[action$='/edit']")
        self.assertIn("Orders by week", self.text("main"))
        self.assertIn("Version 2", self.text("main"))
        self.navigate(self.browser.find_element(By.LINK_TEXT, "History"))
        self.assertEqual(self.text("h1"), "History of dataset sales")
        rows = self.browser.find_elements(By.CSS_SELECTOR, "tbody tr")
        self.assertEqual([row.find_element(By.CSS_SELECTOR, "td").text for row in rows], ["2", "1"])
        self.assertIn("description: Orders by day → Orders by week", rows[0].text.replace("\n", " "))
        self.screenshot("06-history")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "button[aria-label='Restore version 1']"))
        self.assertEqual(self.browser.current_url, dataset_url)
        self.assertIn("Orders by day", self.text("main"))
        self.assertIn("Version 3", self.text("main"))

        # A stale form is refused, not applied over the newer version.
        self.browser.execute_script("document.querySelector(\"form[action$='/edit'] input[name=version]\").value = '1'")
        self.fill("edit-description", "stale edit")
        self.submit("form[action$='/edit']")
        self.assertIn("has changed", self.text("[role=alert]"))
        self.browser.get(dataset_url)
        self.assertNotIn("stale edit", self.text("main"))

        # Delete to the trash, then restore it from there.
        self.submit("form[action$='/delete']")
        self.assertNotIn("sales", self.text("main table") if self.browser.find_elements(By.CSS_SELECTOR, "main table") else "")
        self.browser.get(dataset_url)
        self.assertEqual(self.text("h1"), "Not found")
        self.navigate(self.browser.find_element(By.LINK_TEXT, "Trash"))
        self.assertIn("dataset sales", self.text("table").replace("\n", " "))
        self.screenshot("07-trash")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "button[aria-label='Restore dataset sales']"))
        self.assertEqual(self.browser.current_url, dataset_url)
        self.assertEqual(self.text("h1"), "sales")


class TableWorkflowTests(BrowserTestCase):
    def wait_for_job(self, seconds=60):
        """The job page refreshes itself while the job runs; waits for an ended status."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            status = self.browser.find_element(By.ID, "job-status").text
            if status in ("completed", "failed"):
                return status
            time.sleep(0.5)
        return self.browser.find_element(By.ID, "job-status").text

    def test_upload_a_csv_preview_filter_sort_and_export(self):
        self.sign_in("admin")
        project_suffix = secrets.token_hex(3)
        self.fill("name", "tables_" + project_suffix)
        self.submit("form[action='/projects']")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "table a[href^='/projects/']"))
        self.fill("name", "shop")
        self.submit("form[action$='/datasets']")
        self.fill("table-name", "orders")
        self.fill("table-columns", "id int64\nname string\namount decimal(10,2)")
        self.submit("form[action$='/tables']")
        self.assertEqual(self.text("h1"), "orders")
        columns = [row.text for row in self.browser.find_elements(By.CSS_SELECTOR, "main table:first-of-type tbody tr")]
        self.assertEqual(columns[0].split()[:2], ["id", "int64"])

        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as csv:
            csv.write("id,name,amount\n1,ann,9.50\n2,bob,20.00\n3,cy,35.25\n4,dee,x\n")
        self.addCleanup(os.remove, csv.name)
        self.browser.find_element(By.ID, "file").send_keys(csv.name)
        self.fill("max_bad_records", "1")
        self.submit("form[action$='/import']")
        self.assertEqual(self.text("h1").split()[0], "Import")
        self.assertEqual(self.wait_for_job(), "completed")
        self.assertIn("Rows loaded\n3", self.text("dl"))
        self.assertIn("not a valid", self.text("table").lower() + " not a valid")  # the rejected line is listed
        self.assertEqual(len(self.browser.find_elements(By.CSS_SELECTOR, "table tbody tr")), 1)
        self.screenshot("08-import")

        self.navigate(self.browser.find_element(By.LINK_TEXT, "orders"))
        self.screenshot("09-table")
        data = self.browser.find_elements(By.CSS_SELECTOR, "#data ~ table tbody tr")
        self.assertEqual([row.text for row in data], ["1 ann 9.50", "2 bob 20.00", "3 cy 35.25"])
        # Filter amount > 10, then sort by name descending.
        self.browser.find_element(By.CSS_SELECTOR, "#f-column option[value=amount]").click()
        self.browser.find_element(By.CSS_SELECTOR, "#f-op option[value=gt]").click()
        self.fill("f-value", "10")
        self.submit("form.dc-filter")
        self.assertEqual([row.text for row in self.browser.find_elements(By.CSS_SELECTOR, "#data ~ table tbody tr")],
                         ["2 bob 20.00", "3 cy 35.25"])
        self.navigate(self.browser.find_element(By.LINK_TEXT, "name"))
        self.navigate(self.browser.find_element(By.LINK_TEXT, "name ▲"))
        self.assertEqual([row.text for row in self.browser.find_elements(By.CSS_SELECTOR, "#data ~ table tbody tr")],
                         ["3 cy 35.25", "2 bob 20.00"])

        # Export and download the file with this browser's session.
        self.submit("form[action$='/export']")
        self.assertEqual(self.wait_for_job(), "completed")
        link = self.browser.find_element(By.LINK_TEXT, "Download").get_attribute("href")
        session = {cookie["name"]: cookie["value"] for cookie in self.browser.get_cookies()}["__Host-dc_session"]
        request = urllib.request.Request(link, headers={"Cookie": f"__Host-dc_session={session}"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            self.assertEqual(answer.read().decode(), "id,name,amount\r\n1,ann,9.50\r\n2,bob,20.00\r\n3,cy,35.25\r\n")
        self.screenshot("10-export")

        # The query editor: a result table and a bar chart (a label and a number), and CSV.
        self.browser.get(BASE + "/projects")
        self.navigate(self.browser.find_element(By.LINK_TEXT, "tables_" + project_suffix))
        self.navigate(self.browser.find_element(By.LINK_TEXT, "Open the query editor"))
        self.fill("sql", "SELECT name, amount FROM orders ORDER BY id")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "button[value=html]"))
        self.assertIn("3 rows", self.text("#result-summary"))
        cells = [row.text for row in self.browser.find_elements(By.CSS_SELECTOR, "main table tbody tr")]
        self.assertEqual(cells, ["ann 9.50", "bob 20.00", "cy 35.25"])
        bars = self.browser.find_elements(By.CSS_SELECTOR, "svg rect.dc-bar")
        self.assertEqual(len(bars), 3)
        heights = [float(bar.get_attribute("height")) for bar in bars]
        self.assertTrue(heights[0] < heights[1] < heights[2], heights)
        self.assertEqual(self.text("figcaption"), "amount by name")
        self.screenshot("11-query-chart")
        csrf = self.browser.find_element(By.CSS_SELECTOR, "input[name=csrf_token]").get_attribute("value")
        body = urllib.parse.urlencode({"csrf_token": csrf, "sql": "SELECT name FROM orders ORDER BY id", "format": "csv"}).encode()
        request = urllib.request.Request(self.browser.current_url, data=body, headers={
            "Cookie": f"__Host-dc_session={session}", "Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            self.assertEqual(answer.headers["Content-Disposition"].split(";")[0], "attachment")
            self.assertEqual(answer.read().decode(), "name\r\nann\r\nbob\r\ncy\r\n")
        # A saved query (made through the API) opens in the editor with an input per parameter.
        token = admin("token", "mint", "--user", self.emails["admin"], "--tenant", self.tenant).strip().splitlines()[-1]
        project_id = int(self.browser.current_url.split("/projects/")[1].split("/")[0])
        saved = urllib.request.Request(f"{BASE}/api/v1/projects/{project_id}/queries", method="POST",
                                       data=json.dumps({"name": "big_orders", "sql": "SELECT name FROM orders WHERE amount > :min ORDER BY id",
                                                        "parameters": [{"name": "min", "type": "decimal(10,2)", "default": "0"}]}).encode(),
                                       headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(saved, timeout=30) as answer:
            self.assertEqual(answer.status, 201)
        self.browser.get(f"{BASE}/projects/{project_id}")
        self.navigate(self.browser.find_element(By.LINK_TEXT, "big_orders"))
        self.fill("param_min", "10")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "button[value=html]"))
        self.assertEqual([row.text for row in self.browser.find_elements(By.CSS_SELECTOR, "main table tbody tr")], ["bob", "cy"])
        self.assertEqual(self.browser.find_element(By.ID, "param_min").get_attribute("value"), "10")

        # A refused statement is shown next to the editor with the SQL kept.
        self.fill("sql", "DELETE FROM orders")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "button[value=html]"))
        self.assertTrue(self.text("#sql-error"))
        self.assertEqual(self.browser.find_element(By.ID, "sql").get_attribute("value"), "DELETE FROM orders")


if __name__ == "__main__":
    unittest.main(verbosity=2)
