/// The bookkeeping of a bounded pool, free of locks and I/O so it can be tested on its own.
/// The shell (`MariaDBPool`) holds a lock around every call and does the connecting and waiting.
struct PoolStateMachine<Connection> {
    /// What the caller of `lease()` must do next.
    enum LeaseAction {
        /// Use this idle connection (reset it first).
        case reuse(Connection)
        /// Open a new connection; a slot is reserved for it.
        case connect
        /// Every slot is taken: wait until a release, then ask again.
        case wait
        /// The pool is shut down.
        case fail
    }

    let capacity: Int
    private(set) var idle: [Connection] = []
    /// Slots in use: leased connections plus connections being opened.
    private(set) var inUse = 0
    private(set) var isShutDown = false

    init(capacity: Int) {
        precondition(capacity > 0, "a pool needs at least one connection")
        self.capacity = capacity
    }

    var total: Int { idle.count + inUse }

    mutating func lease() -> LeaseAction {
        if isShutDown { return .fail }
        // Most recently used first: it is the likeliest to still be alive and warm.
        if let connection = idle.popLast() {
            inUse += 1
            return .reuse(connection)
        }
        if total < capacity {
            inUse += 1
            return .connect
        }
        return .wait
    }

    /// Gives a slot back, with its connection when that can serve again.
    /// Returns the connections to close (a released one after shutdown).
    mutating func release(_ connection: Connection?) -> [Connection] {
        precondition(inUse > 0, "release without a lease")
        inUse -= 1
        guard let connection else { return [] }
        if isShutDown { return [connection] }
        idle.append(connection)
        return []
    }

    /// Marks the pool closed and hands back the idle connections to close.
    mutating func shutDown() -> [Connection] {
        isShutDown = true
        defer { idle.removeAll() }
        return idle
    }
}
