"""The query editor in headless Chromium (issue 18): the schema panel, a value and a type for
every :name, NULL apart from empty text, a chart the user chooses, saving, renaming and deleting
saved queries, and recent runs that open again."""
import secrets
import unittest

from selenium.webdriver.common.by import By

from browser_support import BASE, BrowserTestCase


class QueryEditorTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.http = self.api("admin")
        self.project = self.http.call("POST", "/api/v1/projects", {"name": "editor_" + secrets.token_hex(3)}, expect=201)["id"]
        dataset = self.http.call("POST", f"/api/v1/projects/{self.project}/datasets", {"name": "shop"}, expect=201)["id"]
        table = self.http.call("POST", f"/api/v1/datasets/{dataset}/tables", {"name": "orders", "columns": [
            {"name": "id", "type": "int64"}, {"name": "name", "type": "string"}, {"name": "amount", "type": "decimal(10,2)"}]},
            expect=201)["id"]
        self.http.call("POST", f"/api/v1/tables/{table}/rows", [
            {"id": 1, "name": "ann", "amount": "9.50"}, {"id": 2, "name": "", "amount": "20.00"},
            {"id": 3, "name": None, "amount": "35.25"}, {"id": 4, "name": "dee", "amount": "50.00"}], expect=201)

    def run_query(self):
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "button[value=html]"))

    def result(self):
        return [row.text for row in self.browser.find_elements(By.CSS_SELECTOR, "#result tbody tr")]

    def choose(self, select_id, value):
        self.browser.find_element(By.CSS_SELECTOR, f"#{select_id} option[value='{value}']").click()

    def test_values_types_null_and_the_chart_are_the_users(self):
        self.sign_in("admin")
        self.browser.get(f"{BASE}/projects/{self.project}/query")
        self.assertIn("shop.orders", self.text("#schema"))
        self.assertIn("amount decimal(10,2)", self.text("#schema"))

        # A :name with no value yet: the run names it, and the editor now has its input.
        self.fill("sql", "SELECT id, name, amount FROM orders WHERE amount > :min ORDER BY id")
        self.run_query()
        self.assertIn("min", self.text("#sql-error"))
        self.fill("param_min", "9.75")
        self.choose("type_min", "decimal(18,2)")
        self.run_query()
        self.assertEqual(self.result(), ["2 (empty text) 20.00", "3 NULL 35.25", "4 dee 50.00"])
        self.assertEqual(self.browser.find_element(By.ID, "param_min").get_attribute("value"), "9.75")
        self.assertEqual(len(self.browser.find_elements(By.CSS_SELECTOR, "#result .dc-null")), 1)
        self.assertEqual(len(self.browser.find_elements(By.CSS_SELECTOR, "#result .dc-empty")), 1)

        # By default the chart never plots the id, and leaves out the row whose label is NULL.
        self.assertEqual(self.text("figcaption"), "amount by name")
        self.assertEqual(len(self.browser.find_elements(By.CSS_SELECTOR, "svg rect.dc-bar")), 2)
        self.choose("chart", "line")
        self.choose("chart-x", "id")
        self.choose("chart-y", "amount")
        self.run_query()
        self.assertEqual(self.text("figcaption"), "amount by id")
        self.assertEqual(len(self.browser.find_elements(By.CSS_SELECTOR, "svg circle.dc-dot")), 3)
        self.screenshot("19-query-editor")
        self.choose("chart", "none")
        self.run_query()
        self.assertEqual(self.browser.find_elements(By.CSS_SELECTOR, "figure.dc-chart"), [])

        # The newest run opens again with the value it ran with.
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "#runs tbody tr:first-child a"))
        self.assertEqual(self.browser.find_element(By.ID, "sql").get_attribute("value"),
                         "SELECT id, name, amount FROM orders WHERE amount > :min ORDER BY id")
        self.assertEqual(self.browser.find_element(By.ID, "param_min").get_attribute("value"), "9.75")
        self.assertIn(self.emails["admin"], self.text("#runs tbody tr:first-child"))

    def test_saved_queries_are_saved_renamed_and_deleted_from_the_editor(self):
        self.sign_in("admin")
        self.browser.get(f"{BASE}/projects/{self.project}/query")
        self.fill("sql", "SELECT name FROM orders WHERE amount >= :min ORDER BY id")
        self.run_query()
        self.fill("param_min", "20")
        self.choose("type_min", "decimal(18,2)")
        self.fill("save-name", "bad name!")
        self.navigate(self.browser.find_element(By.ID, "save-new"))
        self.assertIn("letters, digits and _", self.text("#save-error"))
        self.assertEqual(self.browser.find_element(By.ID, "sql").get_attribute("value"),
                         "SELECT name FROM orders WHERE amount >= :min ORDER BY id", "the SQL is kept")
        self.fill("save-name", "big_orders")
        self.navigate(self.browser.find_element(By.ID, "save-new"))
        saved_url = self.browser.current_url
        self.assertRegex(saved_url, rf"^{BASE}/projects/{self.project}/query\?saved=\d+$")
        query_id = int(saved_url.rsplit("=", 1)[1])
        self.assertEqual(self.text("#saved-name"), "big_orders")
        self.assertEqual(self.browser.find_element(By.ID, "param_min").get_attribute("value"), "20",
                         "the default is shown as the value, as written")
        stored = self.http.call("GET", f"/api/v1/queries/{query_id}", expect=200)
        self.assertEqual(stored["parameters"], [{"name": "min", "type": "decimal(18,2)", "default": "20"}])

        # Rename, with the SQL changed too; a stale editor is refused.
        self.fill("save-name", "large_orders")
        self.fill("sql", "SELECT name, amount FROM orders WHERE amount >= :min ORDER BY id")
        self.navigate(self.browser.find_element(By.ID, "save-changes"))
        self.assertEqual(self.browser.current_url, saved_url)
        self.assertEqual(self.text("#saved-name"), "large_orders")
        self.assertEqual(self.http.call("GET", f"/api/v1/queries/{query_id}", expect=200)["version"], 2)
        self.browser.execute_script("document.querySelector('#save input[name=version]').value = '1'")
        self.fill("save-name", "stale")
        self.navigate(self.browser.find_element(By.ID, "save-changes"))
        self.assertIn("has changed", self.text("#save-error"))
        self.assertEqual(self.http.call("GET", f"/api/v1/queries/{query_id}", expect=200)["name"], "large_orders")

        self.browser.get(saved_url)
        self.navigate(self.browser.find_element(By.LINK_TEXT, "History"))
        self.assertEqual(self.text("h1"), "History of query large_orders")
        self.browser.get(saved_url)
        self.submit("#query-delete")
        self.assertEqual(self.browser.current_url, f"{BASE}/projects/{self.project}/query")
        self.http.call("GET", f"/api/v1/queries/{query_id}", expect=404)
        self.browser.get(BASE + "/trash")
        self.assertIn("query large_orders", self.text("table").replace("\n", " "))

    def test_a_dry_run_shows_the_plan_and_a_saved_query_exports_its_whole_result(self):
        query = self.http.call("POST", f"/api/v1/projects/{self.project}/queries", {
            "name": "paid", "sql": "SELECT id, amount FROM orders WHERE amount >= :min ORDER BY id",
            "parameters": [{"name": "min", "type": "decimal(10,2)", "default": "0"}]}, expect=201)["id"]
        self.sign_in("admin")
        self.browser.get(f"{BASE}/projects/{self.project}/query?saved={query}")
        self.navigate(self.browser.find_element(By.ID, "dry-run"))
        self.assertIn("nothing of the tables was read", self.text("#dry-run-notice"))
        runs = self.http.call("GET", f"/api/v1/queries/{query}/runs", expect=200)["items"]
        self.assertTrue(runs[0]["dry_run"], "a dry run is recorded as one")
        self.fill("param_min", "20")
        self.navigate(self.browser.find_element(By.ID, "export-query"))
        self.assertEqual(self.text("h1").split()[0], "Export")
        self.assertEqual(self.wait_for_job(), "completed")
        link = self.browser.find_element(By.LINK_TEXT, "Download").get_attribute("href")
        status, _, body = self.session_get(link[len(BASE):])
        self.assertEqual(status, 200)
        self.assertEqual(body, "id,amount\r\n2,20.00\r\n3,35.25\r\n4,50.00\r\n")

    def test_the_run_history_is_filtered_and_each_run_has_its_page(self):
        self.http.call("POST", f"/api/v1/projects/{self.project}/query", {"sql": "SELECT COUNT(*) AS n FROM orders"}, expect=200)
        self.http.call("POST", f"/api/v1/projects/{self.project}/query", {"sql": "SELECT nothing FROM orders"}, expect=400)
        self.sign_in("admin")
        self.browser.get(f"{BASE}/projects/{self.project}")
        self.navigate(self.browser.find_element(By.ID, "all-runs"))
        self.assertEqual(len(self.rows("#runs tbody tr")), 2)
        self.choose("status", "failed")
        self.submit("#runs-filter")
        failed = self.rows("#runs tbody tr")
        self.assertEqual(len(failed), 1)
        self.assertIn("SELECT nothing FROM orders", failed[0])
        self.browser.get(f"{BASE}/projects/{self.project}/runs?q=COUNT")
        self.assertEqual(len(self.rows("#runs tbody tr")), 1)
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "#runs tbody tr:first-child a"))
        self.assertEqual(self.text("#run-status"), "completed")
        self.assertEqual(self.text("#run-sql"), "SELECT COUNT(*) AS n FROM orders")
        self.assertIn(self.emails["admin"], self.text("dl"))
        self.navigate(self.browser.find_element(By.ID, "open-run"))
        self.assertEqual(self.browser.find_element(By.ID, "sql").get_attribute("value"), "SELECT COUNT(*) AS n FROM orders")
        self.browser.get(f"{BASE}/projects/{self.project}/runs?status=done")
        self.assertEqual(self.text("#runs-error"), "status must be pending, running, completed or failed.")

    def test_a_viewer_runs_but_does_not_save(self):
        self.sign_in("viewer")
        self.browser.get(f"{BASE}/projects/{self.project}/query")
        self.assertEqual(self.browser.find_elements(By.ID, "save-new"), [])
        self.fill("sql", "SELECT COUNT(*) AS n FROM orders")
        self.run_query()
        self.assertEqual(self.result(), ["4"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
