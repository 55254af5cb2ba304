"""The table page's facets and downloads in headless Chromium (issue 15): choose a column, see
its most frequent values with counts over the current conditions, choose one to add it as a
condition; "this view as CSV/JSON" downloads exactly the rows the view selects, in its order;
a json column has no facet."""
import json
import secrets

from selenium.webdriver.common.by import By

from browser_support import BASE, BrowserTestCase


class TableFacetTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.http = self.api("admin")
        project = self.http.call("POST", "/api/v1/projects", {"name": "facets_" + secrets.token_hex(3)}, expect=201)["id"]
        dataset = self.http.call("POST", f"/api/v1/projects/{project}/datasets", {"name": "raw"}, expect=201)["id"]
        self.table = self.http.call("POST", f"/api/v1/datasets/{dataset}/tables", {"name": "sales", "columns": [
            {"name": "n", "type": "int64"}, {"name": "city", "type": "string"}, {"name": "amount", "type": "decimal(30,10)"},
            {"name": "doc", "type": "json"}]}, expect=201)["id"]
        cities = ["Lyon", "Paris", "Paris", None, "Oslo", "Paris", "Lyon", None, "Paris", "Rome"]
        rows = [{"n": n, "city": city, "amount": f"12345678901234567890.{n:010d}"} for n, city in enumerate(cities, start=1)]
        self.http.call("POST", f"/api/v1/tables/{self.table}/rows", rows, expect=201)

    def choose(self, select_id, value):
        self.browser.find_element(By.CSS_SELECTOR, f"#{select_id} option[value='{value}']").click()

    def test_a_facet_value_filters_the_view_and_the_csv_link_downloads_those_rows(self):
        self.sign_in("viewer")
        # A condition first (n > 1), then the facet counts within it.
        self.browser.get(f"{BASE}/tables/{self.table}?tab=data&f_column=n&f_op=gt&f_value=1&order=n.desc")
        self.choose("facet-column", "city")
        self.submit("#facet")
        self.assertEqual(self.rows("#facet-values tbody tr"), ["Paris 4", "NULL 2", "Lyon 1", "Oslo 1", "Rome 1"])
        self.screenshot("15-table-facets")
        self.navigate(self.browser.find_element(By.LINK_TEXT, "Paris"))
        self.assertEqual(self.text("#row-count"), "4 rows match (showing 1–4)")
        self.assertEqual([row.split(" ")[0] for row in self.rows("#rows tbody tr")], ["9", "6", "3", "2"])
        self.assertEqual(self.rows("#facet-values tbody tr"), ["Paris 4"], "the facet counts the filtered view")

        href = self.browser.find_element(By.ID, "view-csv").get_attribute("href")
        status, headers, body = self.session_get(href.removeprefix(BASE))
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(body, "n,city,amount,doc\r\n"
                         "9,Paris,12345678901234567890.0000000009,\r\n"
                         "6,Paris,12345678901234567890.0000000006,\r\n"
                         "3,Paris,12345678901234567890.0000000003,\r\n"
                         "2,Paris,12345678901234567890.0000000002,\r\n")
        status, _, body = self.session_get(self.browser.find_element(By.ID, "view-json").get_attribute("href").removeprefix(BASE))
        self.assertEqual(status, 200)
        self.assertEqual([(row["n"], row["amount"]) for row in json.loads(body)],
                         [(9, "12345678901234567890.0000000009"), (6, "12345678901234567890.0000000006"),
                          (3, "12345678901234567890.0000000003"), (2, "12345678901234567890.0000000002")])

        # NULL is a facet value too: its link adds "is NULL".
        self.browser.get(f"{BASE}/tables/{self.table}?tab=data&_facet=city")
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "#facet-values a .dc-null"))
        self.assertEqual([row.split(" ")[0] for row in self.rows("#rows tbody tr")], ["4", "8"])

    def test_a_json_column_has_no_facet(self):
        self.sign_in("viewer")
        self.browser.get(f"{BASE}/tables/{self.table}?tab=data&_facet=doc")
        self.assertIn("doc is a json column", self.text("#facet-error"))
        self.assertEqual(self.browser.find_elements(By.ID, "facet-values"), [])
