import MariaDB

/// The physical databases that hold a dataset's tables (`dcd_<n>`), created and dropped on the
/// data account, which may act on `dcd_%` databases only.
public final class DataDatabases: Sendable {
    private let pool: MariaDBPool

    public init(pool: MariaDBPool) {
        self.pool = pool
    }

    /// A fresh name of the `dcd_<digits>` shape the data account's grant and the schema's CHECK
    /// allow. Random rather than the dataset's id, so the name is known before the row is
    /// inserted and a dataset is created as one version, not an insert and an update.
    static func newName() -> String {
        "dcd_\(UInt64.random(in: 100_000_000_000_000...999_999_999_999_999))"
    }

    /// Names are spliced into DDL (identifiers cannot be bound), so only our own shape passes.
    static func isValidName(_ name: String) -> Bool {
        name.hasPrefix("dcd_") && name.utf8.count <= 64 && name.utf8.count > 4
            && name.utf8.dropFirst(4).allSatisfy { (0x30...0x39).contains($0) }
    }

    public func create(_ name: String) throws {
        precondition(Self.isValidName(name), "not a data database name")
        try pool.withConnection { connection in
            try connection.executeText("CREATE DATABASE `\(name)` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        }
    }

    public func drop(_ name: String) throws {
        precondition(Self.isValidName(name), "not a data database name")
        try pool.withConnection { connection in
            try connection.executeText("DROP DATABASE IF EXISTS `\(name)`")
        }
    }

    public func shutDown() {
        pool.shutDown()
    }
}
