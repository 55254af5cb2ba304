import Foundation

/// The process's view of which database nodes are usable, shared by every pool and one-off
/// connection (a node that failed for the app's pool is skipped by the data pool too).
/// The state is `NodeSkipList`; this class adds the lock and the clock.
public final class MariaDBNodeHealth: @unchecked Sendable {
    /// How long a failed node is skipped: long enough that a dead node costs one attempt per
    /// lease burst, short enough that a restarted one is used again within a couple of seconds.
    public static let skipSeconds = 1.5
    public static let shared = MariaDBNodeHealth(skipSeconds: skipSeconds)

    private var state: NodeSkipList<MariaDBConfiguration.Endpoint>
    private let lock = NSLock()

    init(skipSeconds: Double) {
        state = NodeSkipList(skipSeconds: skipSeconds)
    }

    private static func now() -> Double { ProcessInfo.processInfo.systemUptime }

    func attemptOrder(_ nodes: [MariaDBConfiguration.Endpoint]) -> [MariaDBConfiguration.Endpoint] {
        lock.withLock { state.attemptOrder(nodes, now: Self.now()) }
    }

    public func isSkipped(_ node: MariaDBConfiguration.Endpoint) -> Bool {
        lock.withLock { state.isSkipped(node, now: Self.now()) }
    }

    /// Whether a node before `current` in `nodes` is known to be usable (`NodeSkipList`).
    public func hasBetterNode(than current: MariaDBConfiguration.Endpoint, in nodes: [MariaDBConfiguration.Endpoint]) -> Bool {
        lock.withLock { state.hasBetterNode(than: current, in: nodes) }
    }

    /// How many of `nodes` have not failed lately.
    public func usableCount(_ nodes: [MariaDBConfiguration.Endpoint]) -> Int {
        lock.withLock { state.usableCount(nodes, now: Self.now()) }
    }

    public func markFailed(_ node: MariaDBConfiguration.Endpoint) {
        lock.withLock { state.markFailed(node, now: Self.now()) }
    }

    public func markUsable(_ node: MariaDBConfiguration.Endpoint) {
        lock.withLock { state.markUsable(node) }
    }
}
