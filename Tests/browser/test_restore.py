"""Restoring from the pages (issue 18): out of the trash or to a version, under another name when
the name has been taken since, and a table version that lacks columns only once the admin has
ticked that their data goes."""
import secrets

from selenium.webdriver.common.by import By

from browser_support import BASE, BrowserTestCase


class RestorePageTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.http = self.api("admin")
        self.project = self.http.call("POST", "/api/v1/projects", {"name": "restore_" + secrets.token_hex(3)}, expect=201)["id"]

    def test_a_trashed_dataset_whose_name_was_taken_is_restored_under_another_name(self):
        dataset = self.http.call("POST", f"/api/v1/projects/{self.project}/datasets", {"name": "sales"}, expect=201)["id"]
        self.http.call("DELETE", f"/api/v1/datasets/{dataset}", expect=204)
        self.http.call("POST", f"/api/v1/projects/{self.project}/datasets", {"name": "sales"}, expect=201)
        self.sign_in("admin")
        self.browser.get(f"{BASE}/trash")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "button[aria-label='Restore dataset sales']"))
        self.assertEqual(self.text("h1"), "Restore dataset sales")
        self.assertEqual(self.text("#restore-error"), "A dataset named 'sales' exists here now; restore it under another name.")
        self.assertEqual(self.text("#rename-to-error"), "Choose a name that is not taken.")
        self.assertEqual(self.browser.find_element(By.ID, "rename-to").get_attribute("aria-invalid"), "true")
        self.screenshot("42-restore-under-another-name")
        # A name the rules refuse is said next to the field, the input kept.
        self.fill("rename-to", "bad name!")
        self.submit("#restore-form")
        self.assertEqual(self.text("#restore-error"), "The new name cannot be used.")
        self.assertEqual(self.text("#rename-to-error"), "The new name may contain only letters, digits and _.")
        self.assertEqual(self.browser.find_element(By.ID, "rename-to").get_attribute("value"), "bad name!")
        self.fill("rename-to", "sales_old")
        self.submit("#restore-form")
        self.assertEqual(self.browser.current_url, f"{BASE}/datasets/{dataset}")
        self.assertEqual(self.text("h1"), "sales_old")
        self.assertEqual(self.http.call("GET", "/api/v1/trash", expect=200)["items"], [])

    def test_a_table_version_with_fewer_columns_is_restored_only_once_dropping_is_ticked(self):
        dataset = self.http.call("POST", f"/api/v1/projects/{self.project}/datasets", {"name": "d"}, expect=201)["id"]
        table = self.http.call("POST", f"/api/v1/datasets/{dataset}/tables", {"name": "t", "columns": [
            {"name": "a", "type": "int64"}]}, expect=201)["id"]
        self.http.call("PATCH", f"/api/v1/tables/{table}", {"add_columns": [{"name": "b", "type": "string"}]}, expect=200)
        self.http.call("POST", f"/api/v1/tables/{table}/rows", [{"a": 1, "b": "goes"}], expect=201)
        self.sign_in("admin")
        self.browser.get(f"{BASE}/tables/{table}/history")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "a[aria-label='Restore version 1 under another name']"))
        self.assertEqual(self.text("h1"), "Restore table t, version 1")
        self.submit("#restore-form")
        self.assertEqual(self.text("#restore-error"),
                         "Version 1 has fewer columns: restoring it drops b and their data. Tick the box to drop them.")
        self.assertEqual(self.text("#drop-error"), "Tick the box to confirm.")
        self.assertEqual(self.http.call("GET", f"/api/v1/tables/{table}", expect=200)["version"], 2, "nothing changed")
        self.browser.find_element(By.CSS_SELECTOR, "#restore-form input[name=drop_columns]").click()
        self.fill("rename-to", "t_v1")
        self.submit("#restore-form")
        self.assertEqual(self.browser.current_url, f"{BASE}/tables/{table}")
        self.assertEqual(self.text("h1"), "t_v1")
        stored = self.http.call("GET", f"/api/v1/tables/{table}", expect=200)
        self.assertEqual([c["name"] for c in stored["columns"]], ["a"])
        self.assertEqual(self.http.call("GET", f"/api/v1/tables/{table}/rows", expect=200)["items"], [{"a": 1}])

    def test_viewers_get_no_restore_form(self):
        self.sign_in("viewer")
        self.browser.get(f"{BASE}/projects/{self.project}/restore")
        self.assertEqual(self.text("h1"), "Not allowed")
