import Foundation

/// A bounded pool of connections with scoped leases.
///
/// Every reused connection is reset (`mysql_reset_connection`, then the session setup) before the
/// next lease sees it, so nothing of one lease — user variables such as the tenant, an open
/// transaction, temporary tables — survives into the next (SECURITY rule 5). The reset doubles as a
/// liveness check: a connection that died with a server restart is dropped and replaced, so the
/// pool recovers from restarts by itself. Leases block the calling thread; waiting for a free slot
/// ends with `MariaDBPoolError.leaseTimeout` rather than hanging.
public final class MariaDBPool: @unchecked Sendable {
    public let configuration: MariaDBConfiguration
    public let leaseTimeout: Duration
    private var state: PoolStateMachine<MariaDBConnection>
    private let condition = NSCondition()

    public init(configuration: MariaDBConfiguration, maxConnections: Int, leaseTimeout: Duration = .seconds(5)) {
        self.configuration = configuration
        self.leaseTimeout = leaseTimeout
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

    private func lease() throws -> MariaDBConnection {
        let deadline = Date().addingTimeInterval(Double(leaseTimeout.components.seconds)
            + Double(leaseTimeout.components.attoseconds) / 1e18)
        condition.lock()
        while true {
            switch state.lease() {
            case .fail:
                condition.unlock()
                throw MariaDBPoolError.shutDown
            case .wait:
                if !condition.wait(until: deadline) && Date() >= deadline {
                    condition.unlock()
                    throw MariaDBPoolError.leaseTimeout
                }
            case .reuse(let connection):
                condition.unlock()
                do {
                    try connection.reset()
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
        condition.signal()
        condition.unlock()
        for connection in closing { connection.close() }
    }
}
