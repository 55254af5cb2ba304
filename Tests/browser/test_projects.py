"""Project pages in headless Chromium (issue 18): rename and delete a project from its page, a
refused edit kept on the form, and a deleted project waiting in the trash."""
import secrets
import unittest

from selenium.webdriver.common.by import By

from browser_support import BASE, BrowserTestCase


class ProjectPageTests(BrowserTestCase):
    def test_a_project_is_renamed_and_deleted_from_its_page(self):
        self.sign_in("admin")
        suffix = secrets.token_hex(3)
        taken = self.api("admin").call("POST", "/api/v1/projects", {"name": "taken_" + suffix}, expect=201)
        self.fill("name", "draft_" + suffix)
        self.submit("form[action='/projects']")
        project_url = self.browser.current_url
        self.assertEqual(self.text("h1"), "draft_" + suffix)

        # A name in use is refused next to the field, with what was typed kept.
        self.fill("edit-name", taken["name"])
        self.submit("#project-edit")
        self.assertIn("already", self.text("#edit-name-error"))
        self.assertEqual(self.browser.find_element(By.ID, "edit-name").get_attribute("value"), taken["name"])

        self.fill("edit-name", "final_" + suffix)
        self.fill("edit-description", "Renamed from its page")
        self.submit("#project-edit")
        self.assertEqual(self.browser.current_url, project_url)
        self.assertEqual(self.text("h1"), "final_" + suffix)
        self.assertIn("Renamed from its page", self.text("main"))
        self.assertIn("Version 2", self.text("main"))
        self.screenshot("16-project")

        # A form made from an older version is refused, not applied over the newer one.
        self.browser.execute_script("document.querySelector('#project-edit input[name=version]').value = '1'")
        self.fill("edit-description", "stale edit")
        self.submit("#project-edit")
        self.assertIn("has changed", self.text("#project-form-error"))

        self.browser.get(project_url)
        self.submit("#project-delete")
        self.assertEqual(self.browser.current_url, BASE + "/projects")
        self.assertNotIn("final_" + suffix, self.text("main"))
        self.browser.get(project_url)
        self.assertEqual(self.text("h1"), "Not found")
        self.browser.get(BASE + "/trash")
        self.assertIn("project final_" + suffix, self.text("table").replace("\n", " "))

    def test_a_viewer_has_no_project_settings(self):
        project = self.api("admin").call("POST", "/api/v1/projects", {"name": "seen_" + secrets.token_hex(3)}, expect=201)
        self.sign_in("viewer")
        self.browser.get(f"{BASE}/projects/{project['id']}")
        self.assertEqual(self.browser.find_elements(By.ID, "project-edit"), [])
        self.assertEqual(self.browser.find_elements(By.ID, "project-delete"), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
