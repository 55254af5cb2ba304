import Foundation
import MariaDB

/// Connections of the per-project query accounts, kept for reuse a short while.
///
/// Not `MariaDBPool`: that pool serves one account, while here every project has its own, and
/// most projects query rarely. Idle ones are closed after `idleSeconds`, and only a few are
/// kept per project, since each counts against the account's `MAX_USER_CONNECTIONS`.
///
/// Unlike the responder's pool, a connection is not reset (`mysql_reset_connection`) before
/// reuse: measured on MariaDB 10.11, a reset connection no longer counts its statements
/// against the account's `MAX_QUERIES_PER_HOUR`, so resetting would switch the limit off. The
/// cheaper rule that is as tight here: a connection is only ever kept after a run that ended
/// with ROLLBACK and no error, a run sets every session value it relies on itself, and the
/// account may only run what the guard accepts (one SELECT: no variable, no temporary table,
/// no SET). Anything else closes the connection. The connection is also never shared beyond
/// its own project's account.
final class QueryConnections: @unchecked Sendable {
    private let base: MariaDBConfiguration
    private let accounts: QueryAccounts
    private let lock = NSLock()
    private var idle: [Int64: [(connection: MariaDBConnection, since: ContinuousClock.Instant)]] = [:]
    private var idleCount = 0
    private let maxIdlePerProject = 2
    private let maxIdle = 16
    private let idleTime = Duration.seconds(60)

    /// `base`: endpoint, timeouts and session setup; user and password are the project's.
    init(base: MariaDBConfiguration, accounts: QueryAccounts) {
        self.base = base
        self.accounts = accounts
    }

    /// A connection of the project's account. `repair` (re)creates the account when the login
    /// is refused: a project older than the accounts, or a rotated secret.
    func lease(project: Int64, repair: () throws -> Void) throws -> MariaDBConnection {
        if let cached = takeIdle(project: project) { return cached }
        var configuration = base
        configuration.user = QueryAccounts.user(project: project)
        configuration.password = try accounts.password(project: project)
        do {
            return try MariaDBConnection.connect(configuration)
        } catch let error as MariaDBError where error.isLoginRefused {
            try repair()
            return try MariaDBConnection.connect(configuration)
        }
    }

    /// Keeps a connection that finished cleanly; anything else is closed.
    func release(_ connection: MariaDBConnection, project: Int64, reusable: Bool) {
        guard reusable, !connection.isBroken, !connection.isClosed else {
            connection.close()
            return
        }
        let now = ContinuousClock.now
        var evicted: [MariaDBConnection] = []
        lock.withLock {
            evicted = evictExpired(now: now)
            if idle[project, default: []].count < maxIdlePerProject, idleCount < maxIdle {
                idle[project, default: []].append((connection, now))
                idleCount += 1
            } else {
                evicted.append(connection)
            }
        }
        for connection in evicted { connection.close() }
    }

    /// Closes every idle connection of a project (its account is being dropped).
    func closeIdle(project: Int64) {
        let closing = lock.withLock { () -> [MariaDBConnection] in
            let list = idle.removeValue(forKey: project) ?? []
            idleCount -= list.count
            return list.map(\.connection)
        }
        for connection in closing { connection.close() }
    }

    func shutDown() {
        let closing = lock.withLock { () -> [MariaDBConnection] in
            let all = idle.values.flatMap { $0.map(\.connection) }
            idle.removeAll()
            idleCount = 0
            return all
        }
        for connection in closing { connection.close() }
    }

    /// The project's most recently kept connection, if it has not idled too long.
    private func takeIdle(project: Int64) -> MariaDBConnection? {
        let taken = lock.withLock { () -> (connection: MariaDBConnection, since: ContinuousClock.Instant)? in
            guard var list = idle[project], let last = list.popLast() else { return nil }
            idle[project] = list.isEmpty ? nil : list
            idleCount -= 1
            return last
        }
        guard let taken else { return nil }
        guard ContinuousClock.now - taken.since < idleTime else {
            taken.connection.close()
            return nil
        }
        return taken.connection
    }

    /// Must hold `lock`.
    private func evictExpired(now: ContinuousClock.Instant) -> [MariaDBConnection] {
        var expired: [MariaDBConnection] = []
        for (project, list) in idle {
            let keep = list.filter { now - $0.since < idleTime }
            if keep.count != list.count {
                expired += list.filter { now - $0.since >= idleTime }.map(\.connection)
                idle[project] = keep.isEmpty ? nil : keep
                idleCount -= list.count - keep.count
            }
        }
        return expired
    }
}
