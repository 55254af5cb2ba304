"""The table pages in headless Chromium (issue 18): a create form with every column option,
tabs, a row added from the data tab (a value, NULL or the default per column), several filter conditions with an exact count and previous/next pages, NULL apart from
empty text, and an import form with every option that keeps the file and the choices when an
option is refused, and asks before a replace."""
import os
import secrets
import tempfile
import unittest

from selenium.webdriver.common.by import By

from browser_support import BASE, BrowserTestCase


class TablePageTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.http = self.api("admin")
        project = self.http.call("POST", "/api/v1/projects", {"name": "tables_" + secrets.token_hex(3)}, expect=201)["id"]
        self.dataset = self.http.call("POST", f"/api/v1/projects/{project}/datasets", {"name": "raw"}, expect=201)["id"]

    def choose(self, select_id, value):
        self.browser.find_element(By.CSS_SELECTOR, f"#{select_id} option[value='{value}']").click()

    def test_a_table_is_made_with_every_column_option_and_a_refusal_keeps_the_rows(self):
        self.sign_in("admin")
        self.browser.get(f"{BASE}/datasets/{self.dataset}")
        self.fill("table-name", "people")
        self.fill("table-description", "Who is who")
        self.fill("col-name-1", "id")
        self.choose("col-type-1", "int64")
        self.browser.find_element(By.ID, "col-key-1").click()
        self.fill("col-description-1", "Who they are")
        self.fill("col-name-2", "name")
        self.fill("col-name-3", "active")
        self.choose("col-type-3", "bool")
        self.browser.find_element(By.ID, "col-nullable-3").click()
        self.fill("col-default-3", "maybe")
        self.submit("#new-table")
        # A default the type cannot hold: said on the form, every row kept.
        self.assertEqual(self.text("#table-error"), "Column active, default: does not match the column type bool.")
        self.assertEqual(self.browser.find_element(By.ID, "col-name-3").get_attribute("value"), "active")
        self.assertTrue(self.browser.find_element(By.ID, "col-key-1").is_selected())
        self.assertEqual(self.browser.find_element(By.ID, "table-description").get_attribute("value"), "Who is who")
        self.fill("col-default-3", "true")
        self.submit("#new-table")
        self.assertEqual(self.text("h1"), "people")
        self.navigate(self.browser.find_element(By.ID, "tab-columns"))
        self.assertEqual(self.rows("#columns tbody tr"), ["id int64 no primary Who they are", "name string yes", "active bool no true"])
        table = int(self.browser.current_url.split("/tables/")[1].split("?")[0])
        stored = self.http.call("GET", f"/api/v1/tables/{table}", expect=200)
        self.assertEqual(stored["description"], "Who is who")
        self.assertEqual([c["description"] for c in stored["columns"]], ["Who they are", None, None])
        self.assertEqual([(c["name"], c["primary_key"], c["nullable"], c["default"]) for c in stored["columns"]],
                         [("id", True, False, None), ("name", False, True, None), ("active", False, False, "true")])

    def test_data_is_filtered_counted_and_paged_with_null_apart_from_empty_text(self):
        table = self.http.call("POST", f"/api/v1/datasets/{self.dataset}/tables", {"name": "numbers", "columns": [
            {"name": "n", "type": "int64"}, {"name": "note", "type": "string"}]}, expect=201)["id"]
        rows = [{"n": n, "note": "" if n == 2 else None if n == 3 else f"row {n}"} for n in range(1, 131)]
        self.http.call("POST", f"/api/v1/tables/{table}/rows", rows, expect=201)
        self.sign_in("admin")
        self.browser.get(f"{BASE}/tables/{table}")
        self.assertEqual(self.browser.find_element(By.ID, "tab-data").get_attribute("aria-current"), "page")
        self.assertEqual(self.text("#row-count"), "130 rows (showing 1–50)")
        first = self.rows("#rows tbody tr")
        self.assertEqual(first[:3], ["1 row 1 Edit Delete", "2 (empty text) Edit Delete", "3 NULL Edit Delete"])
        self.assertEqual(len(self.browser.find_elements(By.CSS_SELECTOR, "#rows .dc-null")), 1)
        self.assertEqual(len(self.browser.find_elements(By.CSS_SELECTOR, "#rows .dc-empty")), 1)

        # Two conditions: n > 20 and n < 111 — 90 rows, on two pages.
        self.choose("f-column-1", "n")
        self.choose("f-op-1", "gt")
        self.fill("f-value-1", "20")
        self.submit("#filter")
        self.choose("f-column-2", "n")
        self.choose("f-op-2", "lt")
        self.fill("f-value-2", "111")
        self.submit("#filter")
        self.assertEqual(self.text("#row-count"), "90 rows match (showing 1–50)")
        self.assertEqual(self.rows("#rows tbody tr")[0], "21 row 21 Edit Delete")
        self.assertEqual(self.browser.find_elements(By.ID, "previous-page"), [])
        self.navigate(self.browser.find_element(By.ID, "next-page"))
        self.assertEqual(self.text("#row-count"), "90 rows match (showing 51–90)")
        self.assertEqual(self.rows("#rows tbody tr")[0], "71 row 71 Edit Delete")
        self.assertEqual(self.browser.find_elements(By.ID, "next-page"), [])
        self.navigate(self.browser.find_element(By.ID, "previous-page"))
        self.assertEqual(self.rows("#rows tbody tr")[0], "21 row 21 Edit Delete")
        self.screenshot("20-table-data")

        # A value the column cannot hold: said beside the conditions, which are kept.
        self.fill("f-value-2", "many")
        self.submit("#filter")
        self.assertIn("n", self.text("#filter-error"))
        self.assertEqual(self.browser.find_element(By.ID, "f-value-2").get_attribute("value"), "many")
        # NULL is a condition too.
        self.browser.get(f"{BASE}/tables/{table}?tab=data&f_column=note&f_op=is.null&f_value=")
        self.assertEqual(self.rows("#rows tbody tr"), ["3 NULL Edit Delete"])

    def test_a_row_is_added_from_the_data_tab_with_a_value_null_or_the_default(self):
        table = self.http.call("POST", f"/api/v1/datasets/{self.dataset}/tables", {"name": "people", "columns": [
            {"name": "id", "type": "int64", "primary_key": True, "nullable": False},
            {"name": "name", "type": "string"}, {"name": "joined", "type": "date"},
            {"name": "active", "type": "bool", "nullable": False, "default": True}]}, expect=201)["id"]
        self.http.call("POST", f"/api/v1/tables/{table}/rows", [{"id": 1, "name": "Ada", "joined": "2026-01-02"}], expect=201)
        self.sign_in("admin")
        self.browser.get(f"{BASE}/tables/{table}")
        self.browser.find_element(By.CSS_SELECTOR, "#add-row summary").click()
        # A fresh form: each column offers only what it can be set to, the default where there is one.
        self.assertEqual([o.get_attribute("value") for o in self.browser.find_elements(By.CSS_SELECTOR, "#row-set-2 option")],
                         ["value", "null"])
        self.assertEqual(self.browser.find_elements(By.ID, "row-set-1"), [], "a key without default or NULL has no choice")
        self.assertEqual(self.browser.find_element(By.CSS_SELECTOR, "#row-set-4 option:checked").get_attribute("value"), "default")
        # A value the column cannot hold, and a repeated key: said on the form, input kept.
        self.fill("row-value-1", "2")
        self.fill("row-value-2", "")
        self.fill("row-value-3", "2026-02-30")
        self.submit("#add-row-form")
        self.assertEqual(self.text("#row-error"), "1 value does not fit the table; no row was inserted.")
        self.assertEqual(self.text("#row-problem-3"), "joined is not a day of the calendar between 0001-01-01 and 9999-12-31")
        self.assertEqual(self.browser.find_element(By.ID, "row-value-3").get_attribute("value"), "2026-02-30")
        self.assertEqual(self.browser.find_element(By.ID, "row-value-3").get_attribute("aria-invalid"), "true")
        self.assertEqual(self.browser.find_element(By.ID, "row-value-1").get_attribute("value"), "2")
        self.screenshot("41-table-add-row")
        self.fill("row-value-1", "1")
        self.fill("row-value-3", "2026-02-28")
        self.submit("#add-row-form")
        self.assertEqual(self.text("#row-error"), "A row repeats an existing primary key; no row was inserted.")
        # Then empty text in name, NULL in joined, the default in active.
        self.fill("row-value-1", "2")
        self.browser.find_element(By.CSS_SELECTOR, "#row-set-3 option[value='null']").click()
        self.submit("#add-row-form")
        self.assertEqual(self.text("#row-notice"), "The row was added.")
        # A table with a one-column key links each row's history (issue 15); users edit and delete rows.
        self.assertEqual(self.rows("#rows tbody tr"), ["1 Ada 2026-01-02 true History Edit Delete",
                                                        "2 (empty text) NULL true History Edit Delete"])
        stored = self.http.call("GET", f"/api/v1/tables/{table}/rows?id=eq.2", expect=200)["items"]
        self.assertEqual(stored, [{"id": 2, "name": "", "joined": None, "active": True}])

    def test_viewers_are_not_offered_the_add_row_form(self):
        table = self.http.call("POST", f"/api/v1/datasets/{self.dataset}/tables", {"name": "v", "columns": [
            {"name": "n", "type": "int64"}]}, expect=201)["id"]
        self.sign_in("viewer")
        self.browser.get(f"{BASE}/tables/{table}")
        self.assertEqual(self.browser.find_elements(By.ID, "add-row"), [])
        status, _ = self.session_post(f"/tables/{table}/rows", {"value.n": "1"})
        self.assertEqual(status, 403)
        self.assertEqual(self.http.call("GET", f"/api/v1/tables/{table}/rows", expect=200)["items"], [])

    def test_the_import_form_keeps_the_file_and_choices_and_asks_before_a_replace(self):
        table = self.http.call("POST", f"/api/v1/datasets/{self.dataset}/tables", {"name": "loads", "columns": [
            {"name": "id", "type": "int64"}, {"name": "v", "type": "string"}]}, expect=201)["id"]
        self.http.call("POST", f"/api/v1/tables/{table}/rows", [{"id": 1, "v": "old"}, {"id": 2, "v": "old"}], expect=201)
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as csv:
            csv.write("id;v\n7;'a;b'\n8;NA\n")
        self.addCleanup(os.remove, csv.name)
        self.sign_in("admin")
        self.browser.get(f"{BASE}/tables/{table}?tab=import")
        self.browser.find_element(By.ID, "file").send_keys(csv.name)
        self.choose("mode", "replace")
        self.fill("delimiter", ";")
        self.fill("quote", "'")
        self.fill("null_marker", "NA")
        self.fill("max_bad_records", "lots")
        self.submit("#import-form")
        self.assertEqual(self.text("#import-error"), "max_bad_records must be an integer from 0.")
        self.assertIn(os.path.basename(csv.name), self.text("#kept-file"))
        self.assertEqual(self.browser.find_element(By.ID, "delimiter").get_attribute("value"), ";")
        self.assertEqual(self.browser.find_element(By.ID, "null_marker").get_attribute("value"), "NA")
        self.assertTrue(self.browser.find_element(By.CSS_SELECTOR, "#mode option[value=replace]").is_selected())
        # The file is kept: fix the option and send again, without choosing it again.
        self.fill("max_bad_records", "0")
        self.submit("#import-form")
        self.assertEqual(self.text("#import-error"), "A replace removes the rows the table has now; tick the box to confirm.")
        self.assertIn("remove the 2 rows the table has now", self.text("#import-form"))
        self.browser.find_element(By.ID, "confirm-replace").click()
        self.submit("#import-form")
        self.assertEqual(self.text("h1").split()[0], "Import")
        self.assertEqual(self.wait_for_job(), "completed")
        self.assertEqual(self.http.call("GET", f"/api/v1/tables/{table}/rows", expect=200)["items"],
                         [{"id": 7, "v": "a;b"}, {"id": 8, "v": None}])
        self.screenshot("21-table-import")

        # A dry run loads nothing and says what it would have loaded.
        self.browser.get(f"{BASE}/tables/{table}?tab=import")
        self.browser.find_element(By.ID, "file").send_keys(csv.name)
        self.fill("delimiter", ";")
        self.fill("quote", "'")
        self.browser.find_element(By.ID, "dry_run").click()
        self.submit("#import-form")
        self.assertEqual(self.wait_for_job(), "completed")
        self.assertIn("Rows that would load\n2", self.text("dl"))
        self.browser.get(f"{BASE}/tables/{table}?tab=jobs")
        self.assertIn("dry run: would load 2 rows, loaded none", self.rows("#jobs tbody tr")[0])


if __name__ == "__main__":
    unittest.main(verbosity=2)
