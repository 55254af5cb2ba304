import Foundation

/// The names the guard looks for, and how it compares names.
enum SQLGuardVocabulary {
    /// Folds case, accents and width, then lowercases.
    ///
    /// MariaDB resolves function names with an accent-insensitive collation, so `SLÉEP(1)` or
    /// `ſleep(1)` may reach `SLEEP`; folding at least as much as the server means a
    /// disguised spelling is never missed (at worst an odd name is refused).
    static func fold(_ name: String) -> String {
        name.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
    }

    /// Functions with side effects a READ ONLY transaction does not stop, with the reason shown to users.
    static let forbiddenFunctions: [String: String] = {
        var reasons: [String: String] = [:]
        for name in ["sleep", "benchmark"] { reasons[name] = "it only ties up the server" }
        for name in ["get_lock", "release_lock", "release_all_locks", "is_free_lock", "is_used_lock"] {
            reasons[name] = "queries cannot use server locks"
        }
        reasons["load_file"] = "queries cannot read files on the server"
        for name in ["master_pos_wait", "master_gtid_wait", "source_pos_wait", "wsrep_sync_wait_upto_gtid"] {
            reasons[name] = "queries cannot wait on replication"
        }
        for name in ["nextval", "setval", "lastval"] { reasons[name] = "reading or setting a sequence changes it" }
        reasons["last_insert_id"] = "with an argument it changes session state"
        for name in ["sys_exec", "sys_eval"] { reasons[name] = "queries cannot run commands" }
        return reasons
    }()

    /// Functions that are harmless when called with no argument (`LAST_INSERT_ID()`).
    static let allowedWithoutArguments: Set<String> = ["last_insert_id"]

    /// Server schemas no project may read.
    static let systemSchemas: Set<String> = ["mysql", "information_schema", "performance_schema", "sys"]

    /// Prefixes of the platform's physical database and table names; users must use logical names.
    static let physicalPrefixes = ["dcd_", "tbl_"]

    /// Keywords after which `SET` means a character set, not a statement.
    static let characterSetIntroducers: Set<String> = ["character", "char"]

    /// Keywords that end a FROM clause at their nesting level.
    static let clauseEnders: Set<String> = [
        "select", "where", "group", "having", "order", "limit", "offset", "union", "except", "intersect",
        "window", "fetch", "returning",
    ]
}
