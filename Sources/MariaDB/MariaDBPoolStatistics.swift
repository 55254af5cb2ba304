/// A pool's counts at one moment, for metrics and health pages: plain numbers, no connection
/// leaves the pool through it.
public struct MariaDBPoolStatistics: Sendable, Equatable {
    /// The most connections the pool opens.
    public var capacity: Int
    /// Open connections waiting for a lease.
    public var idle: Int
    /// Leased connections plus those being opened.
    public var inUse: Int
    /// Leases that found every slot taken and had to wait (since the pool was made).
    public var waits: Int
    /// Leases that gave up waiting (`MariaDBPoolError.leaseTimeout`, since the pool was made).
    public var timeouts: Int
    /// Leases run again after a lost node or a conflict (`MariaDBPool.Retry`, since the pool was made).
    public var retries: Int

    public init(capacity: Int, idle: Int, inUse: Int, waits: Int, timeouts: Int, retries: Int = 0) {
        self.retries = retries
        self.capacity = capacity
        self.idle = idle
        self.inUse = inUse
        self.waits = waits
        self.timeouts = timeouts
    }
}
