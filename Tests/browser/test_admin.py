"""Admin pages in headless Chromium (issue 18): renaming, disabling and enabling users, a trash that says
where each item was and who deleted it, and an audit log that pages, filters by e-mail, leaves
out the system and links each entry to its object."""
import secrets
import unittest

from selenium.webdriver.common.by import By

from browser_support import BASE, BrowserTestCase


class AdminPageTests(BrowserTestCase):
    def user_row(self, email):
        return [row for row in self.browser.find_elements(By.CSS_SELECTOR, "tbody tr") if email in row.text][0]

    def test_a_disabled_user_is_shut_out_until_enabled_again(self):
        viewer = self.api("viewer")
        self.assertEqual(viewer.call("GET", "/api/v1/projects", expect=200)["items"], [])
        self.sign_in("admin")
        self.browser.get(BASE + "/users")
        self.assertEqual(self.user_row(self.emails["admin"]).find_elements(By.CSS_SELECTOR, "form[action$='/access']"), [],
                         "an admin cannot shut themselves out")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, f"button[aria-label='Disable {self.emails['viewer']}']"))
        self.assertIn("disabled", self.user_row(self.emails["viewer"]).text)
        viewer.call("GET", "/api/v1/projects", expect=401)
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, f"button[aria-label='Enable {self.emails['viewer']}']"))
        self.assertIn("active", self.user_row(self.emails["viewer"]).text)
        viewer.call("GET", "/api/v1/projects", expect=200)

    def test_a_user_is_renamed(self):
        email = f"named-{secrets.token_hex(3)}@browser.test"
        self.api("admin").call("POST", "/api/v1/users", {"email": email, "name": "Old Name", "role": "viewer"}, expect=201)
        self.sign_in("admin")
        self.browser.get(BASE + "/users")
        field = self.user_row(email).find_element(By.CSS_SELECTOR, "input[name=name]")
        self.assertEqual(field.get_attribute("value"), "Old Name")
        field.clear()
        field.send_keys("New Name")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, f"button[aria-label='Save the name of {email}']"))
        self.assertEqual(self.user_row(email).find_element(By.CSS_SELECTOR, "input[name=name]").get_attribute("value"), "New Name")
        users = self.api("admin").call("GET", "/api/v1/users?limit=1000", expect=200)["items"]
        self.assertEqual([u["name"] for u in users if u["email"] == email], ["New Name"])
        # An empty name is refused on the page, the name kept.
        field = self.user_row(email).find_element(By.CSS_SELECTOR, "input[name=name]")
        field.clear()
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, f"button[aria-label='Save the name of {email}']"))
        self.assertIn("name", self.text("[role=alert]"))
        users = self.api("admin").call("GET", "/api/v1/users?limit=1000", expect=200)["items"]
        self.assertEqual([u["name"] for u in users if u["email"] == email], ["New Name"])

    def test_an_invited_user_is_removed(self):
        email = f"gone-{secrets.token_hex(3)}@browser.test"
        self.api("admin").call("POST", "/api/v1/users", {"email": email, "name": "Gone Soon", "role": "viewer"}, expect=201)
        self.sign_in("admin")
        self.browser.get(BASE + "/users")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, f"button[aria-label='Remove {email}']"))
        self.assertNotIn(email, self.text("table"))
        self.assertEqual(self.browser.find_elements(By.CSS_SELECTOR, f"button[aria-label='Remove {self.emails['admin']}']"), [],
                         "an admin cannot remove themselves")

    def test_the_trash_says_where_an_item_was_and_who_deleted_it(self):
        http = self.api("admin")
        project = http.call("POST", "/api/v1/projects", {"name": "kept_" + secrets.token_hex(3)}, expect=201)
        dataset = http.call("POST", f"/api/v1/projects/{project['id']}/datasets", {"name": "gone"}, expect=201)
        http.call("DELETE", f"/api/v1/datasets/{dataset['id']}", expect=204)
        self.sign_in("admin")
        self.browser.get(BASE + "/trash")
        row = [row for row in self.browser.find_elements(By.CSS_SELECTOR, "tbody tr") if "gone" in row.text][0]
        cells = [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "td")]
        self.assertEqual(cells[:4], ["dataset", "gone", f"project {project['name']}", self.emails["admin"]])
        self.assertEqual(row.find_element(By.CSS_SELECTOR, "a").get_attribute("href"), f"{BASE}/projects/{project['id']}")
        self.screenshot("17-trash")

    def test_the_audit_log_pages_filters_by_email_and_links_to_objects(self):
        http = self.api("admin")
        project = http.call("POST", "/api/v1/projects", {"name": "audited_" + secrets.token_hex(3)}, expect=201)
        queries = [http.call("POST", f"/api/v1/projects/{project['id']}/queries", {"name": f"q{n}", "sql": "SELECT 1"}, expect=201)
                   for n in range(101)]
        self.sign_in("admin")
        self.browser.get(BASE + "/audit")
        first_page = self.rows()
        self.assertEqual(len(first_page), 100)
        self.assertEqual(self.browser.find_elements(By.ID, "audit-first"), [])
        self.navigate(self.browser.find_element(By.ID, "audit-next"))
        second_page = self.rows()
        self.assertGreaterEqual(len(second_page), 2, "the 101st query and the project are on the second page")
        self.assertFalse(set(first_page) & set(second_page), "no entry on both pages")
        self.assertIn(project["name"], "\n".join(second_page))
        self.navigate(self.browser.find_element(By.ID, "audit-first"))
        self.assertEqual(self.rows(), first_page)

        # By e-mail, people only: every entry is the admin's.
        self.fill("user", self.emails["admin"].upper())
        self.browser.find_element(By.ID, "hide-system").click()
        self.submit("#audit-filter")
        self.assertTrue(all(self.emails["admin"] in row for row in self.rows()))
        self.assertEqual(self.browser.find_element(By.ID, "user").get_attribute("value"), self.emails["admin"].upper())
        self.assertTrue(self.browser.find_element(By.ID, "hide-system").is_selected())
        self.screenshot("18-audit-filtered")
        # The next page keeps the filter.
        self.assertIn("hide_system=true", self.browser.find_element(By.ID, "audit-next").get_attribute("href"))

        # The newest entry links to its object: the last saved query, opened in its editor.
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "tbody tr:first-child td a"))
        self.assertEqual(self.browser.current_url, f"{BASE}/projects/{project['id']}/query?saved={queries[-1]['id']}")

        # A filter the log cannot apply is said on the page.
        self.browser.get(BASE + "/audit?user=x")
        self.assertEqual(self.text("#audit-error"), "user must be a user id or an e-mail address.")


if __name__ == "__main__":
    unittest.main(verbosity=2)
