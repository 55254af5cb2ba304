"""Every main page, at a desktop's width (a screenshot each, in test-artifacts/screenshots/) and
at a phone's (nothing may scroll sideways: wide tables scroll inside themselves)."""
import secrets
import unittest

from browser_support import BASE, BrowserTestCase


class EveryPageTests(BrowserTestCase):
    def test_every_main_page_fits_a_phone_and_has_a_screenshot(self):
        http = self.api("admin")
        project = http.call("POST", "/api/v1/projects", {"name": "pages_" + secrets.token_hex(3), "description": "Every page"},
                            expect=201)["id"]
        dataset = http.call("POST", f"/api/v1/projects/{project}/datasets", {"name": "shop"}, expect=201)["id"]
        table = http.call("POST", f"/api/v1/datasets/{dataset}/tables", {"name": "orders", "columns": [
            {"name": "id", "type": "int64", "nullable": False, "primary_key": True}, {"name": "customer", "type": "string"},
            {"name": "amount", "type": "decimal(10,2)"}, {"name": "paid", "type": "bool"}, {"name": "at", "type": "timestamp"},
            {"name": "extra", "type": "json"}]}, expect=201)["id"]
        job = http.call("POST", f"/api/v1/tables/{table}/imports?max_bad_records=1",
                        b"id,customer,amount,paid,at,extra\n1,ann,9.50,true,2026-12-01T10:00:00.123456Z,{}\n"
                        b"2,,20.00,false,2026-12-02T11:00:00Z,[1]\n3,cy,x,true,2026-12-03T12:00:00Z,\n",
                        content_type="text/csv", expect=202)
        http.await_job(f"/api/v1/imports/{job['id']}")
        query = http.call("POST", f"/api/v1/projects/{project}/queries",
                          {"name": "by_customer", "sql": "SELECT customer, amount FROM orders WHERE amount > :min",
                           "parameters": [{"name": "min", "type": "decimal(10,2)", "default": "0"}]}, expect=201)["id"]
        export = http.call("POST", f"/api/v1/tables/{table}/exports", {"format": "csv"}, expect=202)
        http.await_job(f"/api/v1/exports/{export['id']}")
        http.call("PATCH", f"/api/v1/datasets/{dataset}", {"description": "Orders by day"}, expect=200)

        pages = [
            ("22-projects", "/projects"), ("23-project", f"/projects/{project}"), ("24-dataset", f"/datasets/{dataset}"),
            ("25-table-data", f"/tables/{table}"), ("26-table-columns", f"/tables/{table}?tab=columns"),
            ("27-table-jobs", f"/tables/{table}?tab=jobs"), ("28-table-import", f"/tables/{table}?tab=import"),
            ("29-table-export", f"/tables/{table}?tab=export"), ("30-table-settings", f"/tables/{table}?tab=settings"),
            ("31-table-history", f"/tables/{table}/history"), ("32-query-editor", f"/projects/{project}/query?saved={query}"),
            ("33-import-job", f"/imports/{job['id']}"), ("34-export-job", f"/exports/{export['id']}"),
            ("35-dataset-history", f"/datasets/{dataset}/history"), ("36-trash", "/trash"), ("37-users", "/users"),
            ("38-audit", "/audit"), ("45-row-edit", f"/tables/{table}/rows/1/edit"), ("46-row-delete", f"/tables/{table}/rows/1/delete"),
        ]
        self.sign_in("admin")
        for name, path in pages:
            self.browser.get(BASE + path)
            self.assertNotIn(self.text("h1"), ("Not found", "Not allowed", "Something went wrong"), path)
            self.screenshot(name)
        self.browser.set_window_size(390, 844)
        for name, path in pages:
            self.browser.get(BASE + path)
            overflow = self.browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            self.assertLessEqual(overflow, 0, f"{path} scrolls sideways on a phone")
        self.browser.get(BASE + f"/tables/{table}")
        self.screenshot("39-table-phone")
        self.browser.get(BASE + f"/projects/{project}/query?saved={query}")
        self.screenshot("40-query-editor-phone")


if __name__ == "__main__":
    unittest.main(verbosity=2)
