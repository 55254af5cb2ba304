import Foundation

/// A bounded pool of connections with scoped leases.
///
/// By default every reused connection is reset (`mysql_reset_connection`, then the session
/// setup) before the next lease sees it, so nothing of one lease — user variables such as the
/// tenant, an open transaction, temporary tables — survives into the next (SECURITY rule 5). The
/// reset doubles as a liveness check: a connection that died with a server restart is dropped and
/// replaced, so the pool recovers from restarts by itself.
///
/// `.scopedByCaller` is the cheaper scheme for an account whose SQL is all the caller's own code:
/// no reset (so prepared statements stay cached), the caller re-scopes the session at the start
/// of every lease, an open transaction is rolled back at release, and a connection idle for more
/// than a second is pinged before reuse so a server restart still never reaches a request.
///
/// Leases block the calling thread; waiting for a free slot ends with
/// `MariaDBPoolError.leaseTimeout` rather than hanging.
public final class MariaDBPool: @unchecked Sendable {
    /// How a reused connection is cleaned before its next lease.
    public enum Reuse: Sendable {
        /// `mysql_reset_connection` + session setup: nothing survives, whatever ran before.
        case reset
        /// No reset: the caller's own first statement re-scopes every session variable it uses;
        /// the pool only rolls back open transactions and checks connections idle over a second.
        case scopedByCaller
    }

    public let configuration: MariaDBConfiguration
    public let leaseTimeout: Duration
    public let reuse: Reuse
    private var state: PoolStateMachine<MariaDBConnection>
    private var lastUsed: [ObjectIdentifier: Date] = [:]
    // Counted under `condition`'s lock, which every lease takes anyway: no extra lock per lease.
    private var waits = 0
    private var timeouts = 0
    private let condition = NSCondition()
    private static let idleCheckAfter: TimeInterval = 1

    public init(configuration: MariaDBConfiguration, maxConnections: Int, leaseTimeout: Duration = .seconds(5),
                reuse: Reuse = .reset) {
        self.configuration = configuration
        self.leaseTimeout = leaseTimeout
        self.reuse = reuse
        self.state = PoolStateMachine(capacity: maxConnections)
    }

    deinit {
        shutDown()
    }

    /// Leases a connection for the duration of `body`.
    public func withConnection<T>(_ body: (MariaDBConnection) throws -> T) throws -> T {
        let connection = try lease()
        do {
            let result = try body(connection)
            release(connection)
            return result
        } catch {
            release(connection)
            throw error
        }
    }

    /// Leases a connection and runs `body` in a transaction on it.
    public func withTransaction<T>(_ body: (MariaDBConnection) throws -> T) throws -> T {
        try withConnection { try $0.withTransaction(body) }
    }

    /// Closes idle connections and refuses new leases; leased ones close when they come back.
    public func shutDown() {
        condition.lock()
        let closing = state.shutDown()
        condition.broadcast()
        condition.unlock()
        for connection in closing { connection.close() }
    }

    /// Idle and leased connection counts, for health pages and tests.
    public var counts: (idle: Int, inUse: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (state.idle.count, state.inUse)
    }

    /// Capacity, idle and leased connections, waits and timeouts, read together.
    public var statistics: MariaDBPoolStatistics {
        condition.lock()
        defer { condition.unlock() }
        return MariaDBPoolStatistics(capacity: state.capacity, idle: state.idle.count, inUse: state.inUse,
                                     waits: waits, timeouts: timeouts)
    }

    private func lease() throws -> MariaDBConnection {
        let deadline = Date().addingTimeInterval(Double(leaseTimeout.components.seconds)
            + Double(leaseTimeout.components.attoseconds) / 1e18)
        condition.lock()
        var hasWaited = false
        while true {
            switch state.lease() {
            case .fail:
                condition.unlock()
                throw MariaDBPoolError.shutDown
            case .wait:
                if !hasWaited {
                    hasWaited = true
                    waits += 1
                }
                if !condition.wait(until: deadline) && Date() >= deadline {
                    timeouts += 1
                    condition.unlock()
                    throw MariaDBPoolError.leaseTimeout
                }
            case .reuse(let connection):
                let idleSince = lastUsed.removeValue(forKey: ObjectIdentifier(connection))
                condition.unlock()
                do {
                    switch reuse {
                    case .reset:
                        try connection.reset()
                    case .scopedByCaller:
                        if let idleSince, Date().timeIntervalSince(idleSince) > Self.idleCheckAfter {
                            try connection.ping()
                        }
                    }
                    return connection
                } catch let error as MariaDBError where error.isLostConnection {
                    // Died while idle (server restart): drop it and open a fresh one in its place.
                    connection.close()
                    return try connectInReservedSlot()
                } catch {
                    connection.close()
                    giveBack(nil)
                    throw error
                }
            case .connect:
                condition.unlock()
                return try connectInReservedSlot()
            }
        }
    }

    private func connectInReservedSlot() throws -> MariaDBConnection {
        do {
            return try MariaDBConnection.connect(configuration)
        } catch {
            giveBack(nil)
            throw error
        }
    }

    private func release(_ connection: MariaDBConnection) {
        // A transaction left open would hold its locks until the next lease's reset; end it now.
        if !connection.isBroken && connection.isInTransaction {
            try? connection.executeText("ROLLBACK")
        }
        giveBack(connection.isBroken || connection.isClosed ? nil : connection)
        if connection.isBroken { connection.close() }
    }

    private func giveBack(_ connection: MariaDBConnection?) {
        condition.lock()
        let closing = state.release(connection)
        if let connection { lastUsed[ObjectIdentifier(connection)] = Date() }
        for closed in closing { lastUsed[ObjectIdentifier(closed)] = nil }
        condition.signal()
        condition.unlock()
        for connection in closing { connection.close() }
    }
}
