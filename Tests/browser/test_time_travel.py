"""Time travel in headless Chromium (issue 15): the table page's "as of" field shows the table as it
was (marked, read-only), an admin restores the table to that time, and a row's history page
restores one version."""
import datetime
import secrets
import time
import unittest

from selenium.webdriver.common.by import By

from browser_support import BASE, BrowserTestCase


def now():
    """An instant between two changes, in RFC 3339 with microseconds."""
    time.sleep(0.05)
    text = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    time.sleep(0.05)
    return text


class TimeTravelPageTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.http = self.api("admin")
        suffix = secrets.token_hex(3)
        project = self.http.call("POST", "/api/v1/projects", {"name": "tt_" + suffix}, expect=201)["id"]
        dataset = self.http.call("POST", f"/api/v1/projects/{project}/datasets", {"name": "d"}, expect=201)["id"]
        self.table = self.http.call("POST", f"/api/v1/datasets/{dataset}/tables", {
            "name": "people", "columns": [{"name": "id", "type": "int64", "primary_key": True},
                                          {"name": "name", "type": "string"}]}, expect=201)["id"]

    def names(self):
        return [row.find_elements(By.CSS_SELECTOR, "td")[1].text for row in self.browser.find_elements(By.CSS_SELECTOR, "#rows tbody tr")]

    def test_look_at_the_table_as_it_was_and_restore_it(self):
        self.http.call("POST", f"/api/v1/tables/{self.table}/rows", [{"id": 1, "name": "ann"}, {"id": 2, "name": "bob"}], expect=201)
        before = now()
        self.http.call("POST", f"/api/v1/tables/{self.table}/rows/2/restore", {"as_of": "2000-01-01T00:00:00Z"}, expect=410)
        job = self.http.call("POST", f"/api/v1/tables/{self.table}/imports?mode=replace", b"id,name\n3,cy\n",
                             content_type="text/csv", expect=202)
        self.assertEqual(self.http.await_job(f"/api/v1/imports/{job['id']}")["status"], "completed")

        self.sign_in("admin")
        self.browser.get(f"{BASE}/tables/{self.table}?tab=data")
        self.assertEqual(self.names(), ["cy"])
        self.fill("as-of", before)
        self.submit("#as-of-form")
        self.assertIn(f"As of {before}", self.text("#as-of-banner"))
        self.assertIn("Read-only", self.text("#as-of-banner"))
        self.assertEqual(self.names(), ["ann", "bob"])
        self.assertEqual(self.browser.find_elements(By.ID, "add-row"), [], "no adding rows to the past")
        self.screenshot("15-table-as-of")

        # A wrong instant is said beside the field.
        self.fill("as-of", "yesterday")
        self.submit("#as-of-form")
        self.assertIn("as_of must be an RFC 3339 timestamp", self.text("#as-of-error"))

        # The admin restores the table to that time, as one change.
        self.fill("as-of", before)
        self.submit("#as-of-form")
        self.submit("#restore-table-form")
        self.assertIn(f"The table was restored to {before}", self.text("#row-notice"))
        self.assertEqual(self.names(), ["ann", "bob"])
        self.assertEqual([r["name"] for r in self.http.call("GET", f"/api/v1/tables/{self.table}/rows", expect=200)["items"]],
                         ["ann", "bob"])

    def test_a_rows_history_restores_a_version(self):
        self.http.call("POST", f"/api/v1/tables/{self.table}/rows", [{"id": 1, "name": "ann"}], expect=201)
        now()
        job = self.http.call("POST", f"/api/v1/tables/{self.table}/imports?mode=replace", b"id,name\n1,anne\n",
                             content_type="text/csv", expect=202)
        self.assertEqual(self.http.await_job(f"/api/v1/imports/{job['id']}")["status"], "completed")

        self.sign_in("admin")
        self.browser.get(f"{BASE}/tables/{self.table}?tab=data")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "#rows a.dc-row-history"))
        self.assertEqual(self.text("h1"), "History of the row id = 1")
        versions = self.browser.find_elements(By.CSS_SELECTOR, "#row-versions tbody tr")
        self.assertEqual(len(versions), 2)
        self.assertIn("anne", versions[0].text)
        self.assertIn(f"import {job['id']}", versions[0].text)
        self.assertIn("ann", versions[1].text)
        self.screenshot("15-row-history")
        self.navigate(versions[1].find_element(By.CSS_SELECTOR, "button"))
        self.assertIn("The row was restored as of", self.text("#row-history-notice"))
        self.assertEqual([r["name"] for r in self.http.call("GET", f"/api/v1/tables/{self.table}/rows", expect=200)["items"]], ["ann"])
        # The restore is the row's newest version, made by the admin.
        self.browser.get(f"{BASE}/tables/{self.table}/rows/1/history")
        versions = self.browser.find_elements(By.CSS_SELECTOR, "#row-versions tbody tr")
        self.assertEqual(len(versions), 3)
        self.assertIn("restore by", versions[0].text)
        self.assertEqual(versions[0].find_elements(By.CSS_SELECTOR, "button"), [], "the current version has no Restore button")


if __name__ == "__main__":
    unittest.main()
