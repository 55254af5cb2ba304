"""Support for the browser tests in headless Chromium (Debian's chromium and chromium-driver) driven by Selenium,
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

    def sign_in(self, role=None, subject=None, email=None, expect=None):
        """Signs in as the fixture user of `role`, or as `subject` with a verified `email`."""
        self.browser.get(BASE + "/projects")
        self.assertEqual(self.browser.current_url, BASE + "/login", "no session: the sign-in page")
        self.navigate(self.browser.find_element(By.LINK_TEXT, "Continue to sign-in"))
        self.assertEqual(self.text("h1"), "Stand-in provider")
        self.browser.find_element(By.ID, "sub").send_keys(subject or self.subjects[role])
        if email:
            self.browser.find_element(By.ID, "email").send_keys(email)
        self.navigate(self.browser.find_element(By.ID, "approve"))
        self.assertEqual(self.browser.current_url, expect or BASE + "/projects")

    def wait_for_job(self, seconds=60):
        """The job page refreshes itself while the job runs; waits for an ended status."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            status = self.browser.find_element(By.ID, "job-status").text
            if status in ("completed", "failed"):
                return status
            time.sleep(0.5)
        return self.browser.find_element(By.ID, "job-status").text

    def rows(self, selector="main table tbody tr"):
        return [row.text for row in self.browser.find_elements(By.CSS_SELECTOR, selector)]

    def session_cookie(self):
        return {cookie["name"]: cookie["value"] for cookie in self.browser.get_cookies()}["__Host-dc_session"]

