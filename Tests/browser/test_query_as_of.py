"""The query editor's "As of" field (issue 15): the same SQL, run as of an earlier time, shows
the rows as they were; an instant that is no timestamp is refused with the field named."""
import os
import secrets
import subprocess
import time
import unittest

from selenium.webdriver.common.by import By

from browser_support import BASE, BrowserTestCase


def sql(account, statement):
    """One statement on a service account (`data`: dcd_* databases only; `ops`: the operators'),
    through the stack's socket."""
    done = subprocess.run(
        ["mysql", "-S", os.path.join(os.environ["DATACOVEY_RUN_DIR"], "mariadb", "mariadb.sock"), "-u", f"dc_{account}",
         "-p" + os.environ[f"DATACOVEY_{account.upper()}_DB_PASSWORD"], "-N", "-B", "-e", statement],
        capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise AssertionError(f"{statement}: {done.stderr}")
    return done.stdout.strip()


class QueryAsOfTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.http = self.api("admin")
        self.project = self.http.call("POST", "/api/v1/projects", {"name": "asof_" + secrets.token_hex(3)}, expect=201)["id"]
        dataset = self.http.call("POST", f"/api/v1/projects/{self.project}/datasets", {"name": "shop"}, expect=201)["id"]
        table = self.http.call("POST", f"/api/v1/datasets/{dataset}/tables", {"name": "stock", "columns": [
            {"name": "id", "type": "int64"}, {"name": "item", "type": "string"}]}, expect=201)
        self.http.call("POST", f"/api/v1/tables/{table['id']}/rows", [{"id": 1, "item": "apples"}, {"id": 2, "item": "pears"}],
                       expect=201)
        database, name = sql("ops", "SELECT d.data_database, t.physical_name FROM datacovey.dataset_tables t "
                                    f"JOIN datacovey.datasets d ON d.id = t.dataset_id WHERE t.id = {int(table['id'])}").split("\t")
        physical = f"`{database}`.`{name}`"
        # Every data table is system-versioned once migration 0023 is in; until then, this one.
        versioned = sql("data", f"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{database}' "
                                f"AND TABLE_NAME = '{name}' AND TABLE_TYPE = 'SYSTEM VERSIONED'")
        if versioned != "1":
            sql("data", f"ALTER TABLE {physical} ADD SYSTEM VERSIONING")
        time.sleep(0.05)
        self.before = sql("data", "SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%dT%H:%i:%s.%fZ')")
        time.sleep(0.05)
        sql("data", f"UPDATE {physical} SET item = 'plums' WHERE id = 2")

    def run_query(self):
        self.navigate(self.browser.find_element(By.CSS_SELECTOR, "button[value=html]"))

    def result(self):
        return [row.text for row in self.browser.find_elements(By.CSS_SELECTOR, "#result tbody tr")]

    def test_the_same_query_as_of_an_earlier_time_shows_the_rows_as_they_were(self):
        self.sign_in("admin")
        self.browser.get(f"{BASE}/projects/{self.project}/query")
        self.fill("sql", "SELECT id, item FROM shop.stock ORDER BY id")
        self.run_query()
        self.assertEqual(self.result(), ["1 apples", "2 plums"])
        self.assertEqual(self.browser.find_elements(By.ID, "as-of-notice"), [])

        self.fill("as-of", self.before)
        self.run_query()
        self.assertEqual(self.result(), ["1 apples", "2 pears"])
        self.assertIn(self.before, self.text("#as-of-notice"))
        self.assertEqual(self.browser.find_element(By.ID, "as-of").get_attribute("value"), self.before)
        self.screenshot("query-as-of")

        self.fill("as-of", "last tuesday")
        self.run_query()
        self.assertIn("as_of must be an RFC 3339 timestamp", self.text("#sql-error"))
        self.assertEqual(self.result(), [])


if __name__ == "__main__":
    unittest.main()
