"""The whole browser workflow in headless Chromium, in issue 7's order (see browser_support.py)."""
import json
import os
import secrets
import tempfile
import unittest
import urllib.parse
import urllib.request

from selenium.webdriver.common.by import By

from browser_support import BASE, BrowserTestCase, admin


class WorkflowTests(BrowserTestCase):
    def test_the_whole_workflow(self):
        """Issue 7's order: sign in, project, dataset, table, upload, preview and filter, query and
        chart, export and download, edit and restore a version, trash and restore, sign out."""
        self.sign_in("admin")
        project_suffix = secrets.token_hex(3)
        self.fill("name", "tables_" + project_suffix)
        self.submit("form[action='/projects']")
        self.assertEqual(self.text("h1"), "tables_" + project_suffix, "a new project opens at once")
        self.fill("name", "shop")
        self.fill("description", "Orders by day")
        self.submit("form[action$='/datasets']")
        self.assertEqual(self.text("h1"), "shop")
        dataset_url = self.browser.current_url
        self.screenshot("05-dataset")
        self.fill("table-name", "orders")
        for n, (name, type_) in enumerate([("id", "int64"), ("name", "string"), ("amount", "decimal(18,2)")], start=1):
            self.fill(f"col-name-{n}", name)
            self.browser.find_element(By.CSS_SELECTOR, f"#col-type-{n} option[value='{type_}']").click()
        self.submit("form[action$='/tables']")
        self.assertEqual(self.text("h1"), "orders")
        self.navigate(self.browser.find_element(By.ID, "tab-columns"))
        columns = [row.text for row in self.browser.find_elements(By.CSS_SELECTOR, "#columns tbody tr")]
        self.assertEqual(columns[0].split()[:2], ["id", "int64"])
        self.navigate(self.browser.find_element(By.ID, "tab-import"))

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
        table_url = self.browser.current_url.split("#")[0].split("?")[0]
        self.assertEqual(self.text("#row-count"), "3 rows (showing 1–3)")
        self.screenshot("09-table")
        data = self.browser.find_elements(By.CSS_SELECTOR, "#rows tbody tr")
        self.assertEqual([row.text for row in data], ["1 ann 9.50 Edit Delete", "2 bob 20.00 Edit Delete", "3 cy 35.25 Edit Delete"])
        # Filter amount > 10, then sort by name descending.
        self.browser.find_element(By.CSS_SELECTOR, "#f-column-1 option[value=amount]").click()
        self.browser.find_element(By.CSS_SELECTOR, "#f-op-1 option[value=gt]").click()
        self.fill("f-value-1", "10")
        self.submit("#filter")
        self.assertEqual(self.text("#row-count"), "2 rows match (showing 1–2)")
        self.assertEqual([row.text for row in self.browser.find_elements(By.CSS_SELECTOR, "#rows tbody tr")],
                         ["2 bob 20.00 Edit Delete", "3 cy 35.25 Edit Delete"])
        self.navigate(self.browser.find_element(By.LINK_TEXT, "name"))
        self.navigate(self.browser.find_element(By.LINK_TEXT, "name ▲"))
        self.assertEqual([row.text for row in self.browser.find_elements(By.CSS_SELECTOR, "#rows tbody tr")],
                         ["3 cy 35.25 Edit Delete", "2 bob 20.00 Edit Delete"])

        # The query editor: a result table and a bar chart (a label and a number), and CSV.
        self.browser.get(BASE + "/projects")
        self.navigate(self.browser.find_element(By.LINK_TEXT, "tables_" + project_suffix))
        self.navigate(self.browser.find_element(By.LINK_TEXT, "Open the query editor"))
        self.fill("sql", "SELECT name, amount FROM orders ORDER BY id")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "button[value=html]"))
        self.assertIn("3 rows", self.text("#result-summary"))
        cells = [row.text for row in self.browser.find_elements(By.CSS_SELECTOR, "#result tbody tr")]
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
            "Cookie": f"__Host-dc_session={self.session_cookie()}", "Content-Type": "application/x-www-form-urlencoded"})
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
        self.assertEqual([row.text for row in self.browser.find_elements(By.CSS_SELECTOR, "#result tbody tr")], ["bob", "cy"])
        self.assertEqual(self.browser.find_element(By.ID, "param_min").get_attribute("value"), "10")

        # A refused statement is shown next to the editor with the SQL kept.
        self.fill("sql", "DELETE FROM orders")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "button[value=html]"))
        self.assertTrue(self.text("#sql-error"))
        self.assertEqual(self.browser.find_element(By.ID, "sql").get_attribute("value"), "DELETE FROM orders")

        # Export and download the file with this browser's session.
        self.browser.get(table_url + "?tab=export")
        self.submit("form[action$='/export']")
        self.assertEqual(self.wait_for_job(), "completed")
        link = self.browser.find_element(By.LINK_TEXT, "Download").get_attribute("href")
        request = urllib.request.Request(link, headers={"Cookie": f"__Host-dc_session={self.session_cookie()}"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            self.assertEqual(answer.read().decode(), "id,name,amount\r\n1,ann,9.50\r\n2,bob,20.00\r\n3,cy,35.25\r\n")
        self.screenshot("10-export")

        # Rename a column from the table page.
        self.browser.get(table_url + "?tab=columns")
        self.browser.find_element(By.CSS_SELECTOR, "#rename-from option[value=name]").click()
        self.fill("rename-to", "customer")
        self.submit("#columns-form")
        self.assertEqual(self.rows("#columns tbody tr")[1].split()[:2], ["customer", "string"])

        self.browser.get(dataset_url)
        # Edit: version 2; then the history shows the change and restores version 1 as version 3.
        self.fill("edit-description", "Orders by week")
        self.submit("form[action$='/edit']")
        self.assertIn("Orders by week", self.text("main"))
        self.assertIn("Version 2", self.text("main"))
        self.navigate(self.browser.find_element(By.LINK_TEXT, "History"))
        self.assertEqual(self.text("h1"), "History of dataset shop")
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
        self.assertNotIn("shop", self.text("main table") if self.browser.find_elements(By.CSS_SELECTOR, "main table") else "")
        self.browser.get(dataset_url)
        self.assertEqual(self.text("h1"), "Not found")
        self.navigate(self.browser.find_element(By.LINK_TEXT, "Trash"))
        self.assertIn("dataset shop", self.text("table").replace("\n", " "))
        self.screenshot("07-trash")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "button[aria-label='Restore dataset shop']"))
        self.assertEqual(self.browser.current_url, dataset_url)
        self.assertEqual(self.text("h1"), "shop")
        self.browser.get(table_url)
        self.assertEqual(self.rows("#rows tbody tr"), ["1 ann 9.50 Edit Delete", "2 bob 20.00 Edit Delete", "3 cy 35.25 Edit Delete"], "every row came back")

        # Sign out: the session no longer works.
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"))
        self.browser.get(BASE + "/projects")
        self.assertEqual(self.browser.current_url, BASE + "/login")


if __name__ == "__main__":
    unittest.main(verbosity=2)
