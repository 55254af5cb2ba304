"""Job pages in headless Chromium (issue 18): rejects as CSV, revert with a confirmation, cancel,
the job's history, and breadcrumbs that lead back to what was imported or exported."""
import secrets
import unittest

from selenium.webdriver.common.by import By

from browser_support import BASE, BrowserTestCase, stackctl


class JobPageTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.http = self.api("admin")
        suffix = secrets.token_hex(3)
        self.project = self.http.call("POST", "/api/v1/projects", {"name": "jobs_" + suffix}, expect=201)["id"]
        dataset = self.http.call("POST", f"/api/v1/projects/{self.project}/datasets", {"name": "raw"}, expect=201)["id"]
        self.table = self.http.call("POST", f"/api/v1/datasets/{dataset}/tables", {
            "name": "loads", "columns": [{"name": "id", "type": "int64"}, {"name": "v", "type": "string"}]}, expect=201)["id"]

    def test_an_import_page_gives_its_rejects_its_history_and_a_confirmed_revert(self):
        job = self.http.call("POST", f"/api/v1/tables/{self.table}/imports?max_bad_records=5", b"id,v\n1,a\n2,b\nx,c\n",
                             content_type="text/csv", expect=202)
        done = self.http.await_job(f"/api/v1/imports/{job['id']}")
        self.assertEqual((done["status"], done["rows_loaded"], done["rows_rejected"]), ("completed", 2, 1))
        self.sign_in("admin")
        self.browser.get(f"{BASE}/imports/{job['id']}")
        crumb = self.browser.find_element(By.CSS_SELECTOR, ".dc-crumbs a")
        self.assertEqual((crumb.get_attribute("href"), crumb.text), (f"{BASE}/tables/{self.table}", "loads"))

        # Every rejected record as CSV, the same file the API gives.
        link = self.browser.find_element(By.ID, "rejects-csv").get_attribute("href")
        status, headers, body = self.session_get(link[len(BASE):])
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Disposition"], f'attachment; filename="import-{job["id"]}-rejects.csv"')
        self.assertEqual(body, self.http.call("GET", f"/api/v1/imports/{job['id']}/rejects", accept="text/csv", expect=200))
        self.assertEqual(body.splitlines()[0], "line,column,value,reason")
        self.assertEqual(body.splitlines()[1].split(",")[:3], ["4", "id", "x"])
        self.screenshot("15-import-job")

        # A revert needs its box ticked (no script runs on the pages); the server checks it too.
        status, text = self.session_post(f"/imports/{job['id']}/revert", {"version": str(done["version"])})
        self.assertEqual(status, 422)
        self.assertIn("Tick the box to confirm the revert.", text)
        self.browser.get(f"{BASE}/imports/{job['id']}")
        self.browser.find_element(By.ID, "revert-confirm").click()
        self.navigate(self.browser.find_element(By.ID, "revert-import"))
        self.assertEqual(self.browser.current_url, f"{BASE}/imports/{job['id']}")
        self.assertIn("Reverted", self.text("dl"))
        self.assertEqual(self.browser.find_elements(By.ID, "revert-import"), [], "a reverted import offers no second revert")
        self.assertEqual(self.http.call("GET", f"/api/v1/tables/{self.table}/rows", expect=200)["items"], [])

        # The job's history: every version the API lists, newest first, the revert on top.
        versions = self.http.call("GET", f"/api/v1/imports/{job['id']}/history", expect=200)["items"]
        self.navigate(self.browser.find_element(By.ID, "job-history"))
        self.assertEqual(self.text("h1"), f"History of import {job['id']}")
        rows = self.browser.find_elements(By.CSS_SELECTOR, "tbody tr")
        self.assertEqual([row.find_element(By.CSS_SELECTOR, "td").text for row in rows], [str(v["version"]) for v in versions])
        self.assertIn("reverted_at", rows[0].text)
        self.assertEqual(self.browser.find_elements(By.CSS_SELECTOR, "button[aria-label^='Restore version']"), [],
                         "a job is undone by its revert, not restored to a version")

    def test_a_refused_revert_says_why_on_the_import_page(self):
        first = self.http.call("POST", f"/api/v1/tables/{self.table}/imports", b"id,v\n1,a\n", content_type="text/csv", expect=202)
        self.http.await_job(f"/api/v1/imports/{first['id']}")
        replace = self.http.call("POST", f"/api/v1/tables/{self.table}/imports?mode=replace", b"id,v\n5,e\n",
                                 content_type="text/csv", expect=202)
        self.http.await_job(f"/api/v1/imports/{replace['id']}")
        self.sign_in("admin")
        # The append came before the replace: its revert is refused (409) with the API's reason.
        self.browser.get(f"{BASE}/imports/{first['id']}")
        self.browser.find_element(By.ID, "revert-confirm").click()
        self.navigate(self.browser.find_element(By.ID, "revert-import"))
        self.assertEqual(self.text("#job-message"), f"Import {replace['id']} changed the table after this one; revert it first.")
        self.assertEqual(self.http.call("GET", f"/api/v1/imports/{first['id']}", expect=200)["reverted_at"], None)
        self.screenshot("16-import-revert-refused")
        # The replace itself reverts from its page, and the rows it replaced are back.
        self.browser.get(f"{BASE}/imports/{replace['id']}")
        self.browser.find_element(By.ID, "revert-confirm").click()
        self.navigate(self.browser.find_element(By.ID, "revert-import"))
        self.assertIn("Reverted", self.text("dl"))
        self.assertEqual(self.http.call("GET", f"/api/v1/tables/{self.table}/rows", expect=200)["items"], [{"id": 1, "v": "a"}])

    def test_a_pending_export_is_cancelled_from_its_page_and_a_query_export_leads_to_its_query(self):
        self.sign_in("admin")
        # With the worker stopped, the export stays pending until it is cancelled.
        stackctl("worker-stop")
        try:
            self.browser.get(f"{BASE}/tables/{self.table}?tab=export")
            self.submit("form[action$='/export']")
            self.assertEqual(self.text("#job-status"), "pending")
            export_url = self.browser.current_url
            self.navigate(self.browser.find_element(By.ID, "cancel-job"))
        finally:
            stackctl("worker-start")
        self.assertEqual(self.browser.current_url, export_url)
        self.assertEqual(self.text("#job-status"), "failed")
        self.assertIn("cancelled", self.text("main"))
        self.assertEqual(self.browser.find_elements(By.ID, "cancel-job"), [])
        status, text = self.session_post(export_url[len(BASE):] + "/cancel", {})
        self.assertEqual(status, 409)
        self.assertIn("The export has already failed; it cannot be cancelled.", text)

        query = self.http.call("POST", f"/api/v1/projects/{self.project}/queries", {"name": "all_loads", "sql": "SELECT id FROM loads"},
                               expect=201)["id"]
        export = self.http.call("POST", f"/api/v1/queries/{query}/exports", {}, expect=202)
        self.browser.get(f"{BASE}/exports/{export['id']}")
        crumb = self.browser.find_element(By.CSS_SELECTOR, ".dc-crumbs a")
        self.assertEqual((crumb.get_attribute("href"), crumb.text), (f"{BASE}/projects/{self.project}/query?saved={query}", "all_loads"))
        # A saved query's own address opens it in its project's editor.
        self.browser.get(f"{BASE}/queries/{query}")
        self.assertEqual(self.browser.current_url, f"{BASE}/projects/{self.project}/query?saved={query}")

    def test_a_viewer_sees_no_job_actions(self):
        job = self.http.call("POST", f"/api/v1/tables/{self.table}/imports", b"id,v\n1,a\n", content_type="text/csv", expect=202)
        self.http.await_job(f"/api/v1/imports/{job['id']}")
        self.sign_in("viewer")
        self.browser.get(f"{BASE}/imports/{job['id']}")
        self.assertEqual(self.text("#job-status"), "completed")
        self.assertEqual(self.browser.find_elements(By.ID, "revert-import"), [])
        self.assertEqual(self.browser.find_elements(By.ID, "cancel-job"), [])
        status, _ = self.session_post(f"/imports/{job['id']}/revert", {"confirm": "yes"})
        self.assertEqual(status, 403)


if __name__ == "__main__":
    unittest.main(verbosity=2)
