import MariaDB

/// The login accounts of the responder, the worker and operators (dc_app, dc_data, dc_worker,
/// dc_ops), after the migrations: each gets its password and is unlocked. The migrations
/// grant to `'name'@'localhost'`; when the accounts must be reachable from elsewhere
/// (`DATACOVEY_DB_ACCOUNT_HOST`, a remote database or a cluster), an account at that host is
/// made the exact copy of the localhost one's grants, and the host is recorded for the
/// per-project query accounts (0020).
struct ServiceAccounts {
    let connection: MariaDBConnection

    /// A host a MariaDB account may name, spliced into statements: no quote can occur in it.
    static func isValidHost(_ host: String) -> Bool {
        !host.isEmpty && host.utf8.count <= 255 && host.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || [UInt8(ascii: "."), UInt8(ascii: "%"), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-")].contains(byte)
        }
    }

    /// Sets every account with a password (at localhost, and at `host` when it is another),
    /// records `host` for the query accounts, and names the accounts unlocked.
    func configure(_ accounts: [(user: String, password: String)], host: String, unlocked: inout [String]) throws {
        guard Self.isValidHost(host) else { throw MigrationError.invalidAccountHost(host) }
        try connection.execute("UPDATE datacovey.account_settings SET value = \(host) WHERE name = 'account_host'")
        for account in accounts where !account.password.isEmpty {
            try Self.checkCredentials(user: account.user, password: account.password)
            if host != "localhost" { try mirror(user: account.user, to: host) }
            for accountHost in Set(["localhost", host]) {
                try connection.executeText("ALTER USER '\(account.user)'@'\(accountHost)' IDENTIFIED BY '\(account.password)' ACCOUNT UNLOCK")
            }
            unlocked.append(host == "localhost" ? account.user : "\(account.user) (localhost, \(host))")
        }
    }

    /// Makes `'user'@'host'` hold exactly the grants of `'user'@'localhost'`: created if
    /// missing, everything revoked, then each grant of the localhost account given again.
    private func mirror(user: String, to host: String) throws {
        let grants = try connection.query("SHOW GRANTS FOR '\(unsafeRaw: user)'@'localhost'").map { try $0.decode(String.self, at: 0) }
        try connection.executeText("CREATE USER IF NOT EXISTS '\(user)'@'\(host)' ACCOUNT LOCK")
        try connection.executeText("REVOKE ALL PRIVILEGES, GRANT OPTION FROM '\(user)'@'\(host)'")
        let from = "TO `\(user)`@`localhost`"
        for grant in grants where !grant.hasPrefix("GRANT USAGE ON *.*") {
            // SHOW GRANTS quotes the grantee with backticks, once, after TO.
            guard let range = grant.range(of: from, options: .backwards) else { throw MigrationError.unreadableGrant(grant) }
            try connection.executeText(grant.replacingCharacters(in: range, with: "TO `\(user)`@`\(host)`"))
        }
    }

    /// `ALTER USER` cannot take a bound password, so the password is spliced into the text; it is
    /// therefore restricted to a character set that cannot end the string literal.
    private static func checkCredentials(user: String, password: String) throws {
        let allowed = password.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        let userAllowed = user.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || $0 == UInt8(ascii: "_") }
        guard allowed, (16...128).contains(password.utf8.count), userAllowed else {
            throw MigrationError.invalidPassword(account: user)
        }
    }
}
