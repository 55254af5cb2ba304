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
///
/// With several nodes (`MariaDBConfiguration.fallbackEndpoints`, a Galera cluster) a new
/// connection goes to the first usable node (`MariaDBConnection.connect`), an idle connection
/// whose node failed lately is replaced instead of reused, and a lease may opt in to being run
/// again when its node dies under it (`Retry`).
public final class MariaDBPool: @unchecked Sendable {
    /// Whether a lease that failed is run again on a fresh connection.
    ///
    /// The rule: a lease is run again only when nothing it did can have lasted — no statement on
    /// its connection may have committed (`MariaDBConnection.mayHaveCommitted`: a COMMIT or an
    /// autocommit write that succeeded or whose answer was lost, DDL, a `CALL` not known to be
    /// read-only), no lease of any pool nested in it on the same thread may have committed, no
    /// `noteSideEffect()` was called inside it, and the caller's `isRepeatable` still says yes
    /// (e.g. the request body has not been read: it cannot be read twice). Then running it again
    /// cannot write anything twice: the server rolled back whatever was open when the connection
    /// went. Bodies whose effects leave the database some other way (a response being streamed,
    /// a file written) must not opt in, or must call `noteSideEffect()` first.
    public enum Retry: Sendable, Equatable {
        /// Never: the error reaches the caller (the default; the worker, the data account and
        /// every streaming lease use it).
        case never
        /// Once more when the statement failed because its connection or node went
        /// (`MariaDBError.isConnectionFailure`: 2006, 2013, 2055, 1047, …), and up to
        /// `conflictRetries` times after a deadlock or a Galera certification failure (1213),
        /// with a short jittered backoff — both only while the lease is repeatable.
        case whenSafe
    }

    /// Runs after a 1213 (deadlock, or "Deadlock: wsrep aborted transaction" when another node's
    /// write set won certification): the app's transactions are short, so three more tries
    /// settle nearly every conflict; more would only pile up on a hot row.
    public static let conflictRetries = 3
    /// Runs after a lost connection: once, on a fresh connection (usually another node).
    public static let connectionRetries = 1

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
    private var retries = 0
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

    /// Leases a connection for the duration of `body`; with `.whenSafe`, runs it again on a
    /// fresh connection when it failed for a reason that a retry can cure and nothing of it can
    /// have lasted (see `Retry`). `isRepeatable` is asked before each retry.
    public func withConnection<T>(retry: Retry = .never, isRepeatable: () -> Bool = { true },
                                  _ body: (MariaDBConnection) throws -> T) throws -> T {
        guard retry == .whenSafe else {
            var leased = false
            return try leaseOnce(&leased, body)
        }
        var connectionRetries = 0
        var conflictRetries = 0
        while true {
            let ledger = RetryLedger()
            RetryLedger.push(ledger)
            var leased = false
            do {
                let result = try leaseOnce(&leased, body)
                RetryLedger.pop(ledger)
                return result
            } catch let error as MariaDBError {
                RetryLedger.pop(ledger)
                // No connection could be had: every node was tried already, up to the lease
                // deadline; another round would only make the caller wait twice as long.
                guard leased, ledger.isRepeatable, isRepeatable() else { throw error }
                if error.isConnectionFailure && connectionRetries < Self.connectionRetries {
                    connectionRetries += 1
                } else if error.isDeadlock && conflictRetries < Self.conflictRetries {
                    conflictRetries += 1
                    // The winning transaction commits meanwhile.
                    Self.conflictBackoff(conflictRetries)
                } else {
                    throw error
                }
                condition.lock()
                retries += 1
                condition.unlock()
            } catch {
                RetryLedger.pop(ledger)
                throw error
            }
        }
    }

    /// Leases a connection and runs `body` in a transaction on it.
    public func withTransaction<T>(retry: Retry = .never, _ body: (MariaDBConnection) throws -> T) throws -> T {
        try withConnection(retry: retry) { try $0.withTransaction(body) }
    }

    /// Makes the retryable leases open on this thread unrepeatable: call it before an effect
    /// outside the database that running the lease again would repeat.
    public static func noteSideEffect() {
        RetryLedger.markAllUnrepeatable()
    }

    private func leaseOnce<T>(_ leased: inout Bool, _ body: (MariaDBConnection) throws -> T) throws -> T {
        let connection = try lease()
        leased = true
        connection.beginLease()
        do {
            let result = try body(connection)
            release(connection)
            return result
        } catch {
            release(connection)
            throw error
        }
    }

    /// How many nodes are configured and how many are usable right now: each node is tried at
    /// once, in parallel (a connection and the Galera readiness check, then closed), so the
    /// answer takes at most one connect timeout however many nodes are dead. The shared node
    /// health learns the answers. For `/readyz`; cache it, it costs a connection per node.
    public func probeNodes() -> (configured: Int, usable: Int) {
        let nodes = configuration.nodes
        final class Answers: @unchecked Sendable {
            let lock = NSLock()
            var usable: [Bool]
            init(_ count: Int) { usable = Array(repeating: false, count: count) }
        }
        let answers = Answers(nodes.count)
        let configuration = configuration
        DispatchQueue.concurrentPerform(iterations: nodes.count) { index in
            let connection = try? MariaDBConnection.openReady(configuration, at: nodes[index],
                                                              connectTimeout: configuration.connectTimeout)
            connection?.close()
            answers.lock.withLock { answers.usable[index] = connection != nil }
        }
        for (index, node) in nodes.enumerated() {
            if answers.usable[index] { MariaDBNodeHealth.shared.markUsable(node) } else { MariaDBNodeHealth.shared.markFailed(node) }
        }
        return (nodes.count, answers.usable.filter { $0 }.count)
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
                                     waits: waits, timeouts: timeouts, retries: retries)
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
                if configuration.hasFallbacks && (MariaDBNodeHealth.shared.isSkipped(connection.node)
                    || MariaDBNodeHealth.shared.hasBetterNode(than: connection.node, in: configuration.nodes)) {
                    // Its node failed lately: whatever it answers now, a fresh connection to a
                    // usable node is the better bet (and the retry of a lease that died there
                    // must not land on its neighbour). Or a node this process prefers is back:
                    // one connection moves per lease, so the processes spread over the cluster
                    // again as their node lists say.
                    connection.close()
                    return try connectInReservedSlot(deadline: deadline)
                }
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
                } catch let error as MariaDBError where error.isConnectionFailure {
                    // Died while idle (server restart): drop it and open a fresh one in its place.
                    connection.close()
                    return try connectInReservedSlot(deadline: deadline)
                } catch {
                    connection.close()
                    giveBack(nil)
                    throw error
                }
            case .connect:
                condition.unlock()
                return try connectInReservedSlot(deadline: deadline)
            }
        }
    }

    private func connectInReservedSlot(deadline: Date) throws -> MariaDBConnection {
        do {
            return try MariaDBConnection.connect(configuration, deadline: deadline)
        } catch {
            giveBack(nil)
            throw error
        }
    }

    private func release(_ connection: MariaDBConnection) {
        // Something of this lease may have lasted: the retryable leases around it (on this
        // thread, of any pool) can no longer be run again.
        if connection.mayHaveCommitted { RetryLedger.markAllUnrepeatable() }
        // A transaction left open would hold its locks until the next lease's reset; end it now.
        if !connection.isBroken && connection.isInTransaction {
            try? connection.executeText("ROLLBACK")
        }
        // After a 1213 the connection may answer the next statement with 1213 again
        // (`mayEchoDeadlock`): closed, so that no lease (a retry of this one included) gets it.
        let discard = connection.isBroken || connection.isClosed || connection.mayEchoDeadlock
        giveBack(discard ? nil : connection)
        if discard { connection.close() }
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
