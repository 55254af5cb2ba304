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
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["DC_BASE_URL"].rstrip("/")
# The stand-in OpenID provider's issuer URL (ends in /).
IDP = os.environ["DATACOVEY_OIDC_ISSUER"]
ADMIN = os.environ["DC_ADMIN"]
SCREENSHOTS = os.environ["DC_SCREENSHOTS"]
STACKCTL = os.environ["DC_STACKCTL"]


def stackctl(command):
    """Stops or starts a part of the running stack (worker-stop, worker-start)."""
    done = subprocess.run(["bash", STACKCTL, command], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise AssertionError(f"stackctl {command}: {done.stdout}{done.stderr}")


class API:
    """The JSON API with a development token, for setting up what a page test then looks at."""

    def __init__(self, token):
        self.token = token

    def call(self, method, path, body=None, content_type="application/json", expect=None, accept="application/json"):
        data = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(BASE + path, data=data, method=method, headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": content_type, "Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                status, text = answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        if expect is not None and status != expect:
            raise AssertionError(f"{method} {path}: {status} {text}")
        return json.loads(text) if text.startswith(("{", "[")) else text

    def await_job(self, path, seconds=60):
        deadline = time.time() + seconds
        while time.time() < deadline:
            job = self.call("GET", path, expect=200)
            if job["status"] in ("completed", "failed"):
                return job
            time.sleep(0.3)
        raise AssertionError(f"{path} did not end: {job}")


def admin(*arguments):
    done = subprocess.run([ADMIN, *arguments], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise AssertionError(f"datacovey-admin {' '.join(arguments)}: {done.stdout}{done.stderr}")
    return done.stdout


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Keeps a 303 as the answer, so a test sees where a form sends the browser."""

    def redirect_request(self, *arguments):
        return None


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

    def api(self, role="admin"):
        """The API as the fixture user of `role` (a development token)."""
        token = admin("token", "mint", "--user", self.emails[role], "--tenant", self.tenant).strip().splitlines()[-1]
        return API(token)

    def session_get(self, path):
        """GETs `path` with this browser's session: (status, headers, body) — for downloads."""
        request = urllib.request.Request(BASE + path, headers={"Cookie": f"__Host-dc_session={self.session_cookie()}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, answer.headers, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def session_post(self, path, fields):
        """POSTs a form to `path` with this browser's session and the page's CSRF token."""
        csrf = self.browser.find_element(By.CSS_SELECTOR, "input[name=csrf_token]").get_attribute("value")
        body = urllib.parse.urlencode({"csrf_token": csrf, **fields}).encode()
        request = urllib.request.Request(BASE + path, data=body, headers={
            "Cookie": f"__Host-dc_session={self.session_cookie()}", "Content-Type": "application/x-www-form-urlencoded"})
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def session_cookie(self):
        return {cookie["name"]: cookie["value"] for cookie in self.browser.get_cookies()}["__Host-dc_session"]

