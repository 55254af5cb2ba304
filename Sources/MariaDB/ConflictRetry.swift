import Foundation

/// A transaction that lost a deadlock or a Galera certification (1213) was rolled back whole by
/// the server, on a connection that is still good: a transaction written to run twice may run
/// again there, where the pool's retry of the whole lease (`MariaDBPool.Retry`) cannot — a lease
/// that also ran DDL on the data account (which commits by itself) is no longer repeatable, but
/// its metadata transaction is, when the DDL it calls is idempotent on a later attempt.
extension MariaDBConnection {
    /// Runs `body` in a transaction; when the transaction loses a conflict (`isDeadlock`) it runs
    /// again, up to `conflictRetries` more times after a short growing jittered backoff (the
    /// winner commits meanwhile). `attempt` is 0 the first time: from 1 on, whatever `body`
    /// did outside this connection (DDL on another) may already exist.
    public func withTransaction<T>(conflictRetries: Int, _ body: (MariaDBConnection, _ attempt: Int) throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                return try withTransaction { try body($0, attempt) }
            } catch let error as MariaDBError where error.isDeadlock && attempt < conflictRetries && !isBroken && !isInTransaction {
                attempt += 1
                MariaDBPool.conflictBackoff(attempt)
            }
        }
    }
}

extension MariaDBPool {
    /// The pause before the `attempt`th run after a conflict: 5–25 ms, growing with the attempt.
    static func conflictBackoff(_ attempt: Int) {
        Thread.sleep(forTimeInterval: Double.random(in: 0.005...0.025) * Double(attempt))
    }
}
