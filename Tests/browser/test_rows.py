"""Row edit and delete from the table page in headless Chromium (issue 15): each previewed row
offers Edit (a form like add-a-row: a value, NULL or the default per column; refused values and a
repeated key said on the form, input kept) and Delete (a confirmation page), for users only; a
table without a primary key is edited by its hidden row id; each change is in the audit log."""
import secrets
import unittest

from selenium.webdriver.common.by import By

from browser_support import BASE, BrowserTestCase


class RowPageTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.http = self.api("admin")
        project = self.http.call("POST", "/api/v1/projects", {"name": "rows_" + secrets.token_hex(3)}, expect=201)["id"]
        dataset = self.http.call("POST", f"/api/v1/projects/{project}/datasets", {"name": "raw"}, expect=201)["id"]
        self.table = self.http.call("POST", f"/api/v1/datasets/{dataset}/tables", {"name": "people", "columns": [
            {"name": "id", "type": "int64", "primary_key": True, "nullable": False},
            {"name": "name", "type": "string"}, {"name": "joined", "type": "date"},
            {"name": "active", "type": "bool", "nullable": False, "default": True},
            {"name": "attrs", "type": "json"}]}, expect=201)["id"]
        self.http.call("POST", f"/api/v1/tables/{self.table}/rows", [
            {"id": 1, "name": "Ada", "joined": "2026-01-02", "attrs": {"k": "v"}},
            {"id": 2, "name": "Grace", "active": False}], expect=201)

    def test_a_row_is_edited_with_refusals_said_on_the_form(self):
        self.sign_in("admin")
        self.browser.get(f"{BASE}/tables/{self.table}")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "#rows tbody tr:first-child a[id^='edit-row-']"))
        self.assertEqual(self.text("h1"), "Edit a row of people")
        # The form starts from the row as it is: json as its text, NULL chosen where it is NULL.
        self.assertEqual([self.browser.find_element(By.ID, f"row-value-{i}").get_attribute("value") for i in range(1, 6)],
                         ["1", "Ada", "2026-01-02", "true", '{"k": "v"}'])
        # A value the column cannot hold: said beside its field, everything typed kept.
        self.fill("row-value-2", "Ada Lovelace")
        self.fill("row-value-3", "2026-02-30")
        self.submit("#edit-row-form")
        self.assertEqual(self.text("#row-error"), "1 value does not fit the table; no row was changed.")
        self.assertEqual(self.text("#row-problem-3"), "joined is not a day of the calendar between 0001-01-01 and 9999-12-31")
        self.assertEqual(self.browser.find_element(By.ID, "row-value-3").get_attribute("aria-invalid"), "true")
        self.assertEqual(self.browser.find_element(By.ID, "row-value-2").get_attribute("value"), "Ada Lovelace")
        self.screenshot("42-row-edit-refused")
        # A repeated key: a conflict, on the form.
        self.fill("row-value-1", "2")
        self.fill("row-value-3", "2026-02-28")
        self.submit("#edit-row-form")
        self.assertEqual(self.text("#row-error"), "The change would give two rows the same primary key; no row was changed.")
        self.assertEqual(self.http.call("GET", f"/api/v1/tables/{self.table}/rows/1", expect=200)["name"], "Ada", "nothing changed")
        # Then a new key, NULL in joined, the default in active.
        self.fill("row-value-1", "10")
        self.browser.find_element(By.CSS_SELECTOR, "#row-set-3 option[value='null']").click()
        self.browser.find_element(By.CSS_SELECTOR, "#row-set-4 option[value='default']").click()
        self.submit("#edit-row-form")
        self.assertEqual(self.text("#row-notice"), "The row was changed.")
        self.assertEqual(self.http.call("GET", f"/api/v1/tables/{self.table}/rows", expect=200)["items"], [
            {"id": 10, "name": "Ada Lovelace", "joined": None, "active": True, "attrs": {"k": "v"}},
            {"id": 2, "name": "Grace", "joined": None, "active": False, "attrs": None}])
        self.screenshot("43-row-edited")
        entries = self.http.call("GET", "/api/v1/audit?kind=rows&operation=update", expect=200)["items"]
        self.assertEqual([(e["operation"], e["record"]["rows"], e["record"]["table_id"]) for e in entries], [("update", 1, self.table)])

    def test_a_row_is_deleted_after_a_confirmation(self):
        self.sign_in("admin")
        self.browser.get(f"{BASE}/tables/{self.table}")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "#rows tbody tr:nth-child(2) a[id^='delete-row-']"))
        self.assertEqual(self.text("h1"), "Delete a row of people")
        self.assertEqual(self.rows("#row tbody tr"), ["id 2", "name Grace", "joined NULL", "active false", "attrs NULL"])
        self.screenshot("44-row-delete")
        self.submit("#delete-row-form")
        self.assertEqual(self.text("#row-notice"), "The row was deleted.")
        self.assertEqual(self.rows("#rows tbody tr"), ["1 Ada 2026-01-02 true {\"k\": \"v\"} History Edit Delete"])
        # The row is gone: its pages say so.
        status, _, _ = self.session_get(f"/tables/{self.table}/rows/2/delete")
        self.assertEqual(status, 404)
        entries = self.http.call("GET", "/api/v1/audit?kind=rows&operation=delete", expect=200)["items"]
        self.assertEqual([(e["operation"], e["record"]["rows"]) for e in entries], [("delete", 1)])

    def test_viewers_get_no_row_actions(self):
        self.sign_in("viewer")
        self.browser.get(f"{BASE}/tables/{self.table}")
        self.assertEqual(self.browser.find_elements(By.CSS_SELECTOR, "a[id^='edit-row-'], a[id^='delete-row-']"), [])
        for action in ("edit", "delete"):
            status, _ = self.session_post(f"/tables/{self.table}/rows/1/{action}", {"set.name": "value", "value.name": "x"})
            self.assertEqual(status, 403, action)
            status, _, _ = self.session_get(f"/tables/{self.table}/rows/1/{action}")
            self.assertEqual(status, 403, action)
        self.assertEqual(len(self.http.call("GET", f"/api/v1/tables/{self.table}/rows", expect=200)["items"]), 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
