/// Which database nodes to try, in which order: the bookkeeping of failover, free of locks,
/// clocks and I/O so it can be tested on its own (`MariaDBNodeHealth` holds the lock and reads
/// the clock).
///
/// A node that refused a connection, failed the Galera readiness check or lost a connection is
/// skipped for `skipSeconds`, so one dead node costs one failed attempt per `skipSeconds` rather
/// than one per lease; after that it is tried again in its place. The configured order is kept
/// otherwise: each process lists the nodes in its own order, which is how a cluster spreads
/// the processes over its nodes.
struct NodeSkipList<Node: Hashable> {
    let skipSeconds: Double
    /// When each skipped node may be tried again (seconds on the caller's monotonic clock).
    private(set) var skippedUntil: [Node: Double] = [:]

    init(skipSeconds: Double) {
        precondition(skipSeconds >= 0, "a negative skip")
        self.skipSeconds = skipSeconds
    }

    /// The nodes to try, in order: the usable ones in configured order, then the skipped ones,
    /// soonest usable first. Skipped nodes stay in the list as a last resort: when every node
    /// has failed lately, trying them again beats refusing outright (a cluster that came back
    /// is found at once).
    func attemptOrder(_ nodes: [Node], now: Double) -> [Node] {
        var usable: [Node] = []
        var skipped: [(node: Node, until: Double)] = []
        for node in nodes {
            if let until = skippedUntil[node], until > now {
                skipped.append((node, until))
            } else {
                usable.append(node)
            }
        }
        // A stable sort: equal expiries keep the configured order.
        let lastResort = skipped.enumerated().sorted { ($0.element.until, $0.offset) < ($1.element.until, $1.offset) }
        return usable + lastResort.map(\.element.node)
    }

    func isSkipped(_ node: Node, now: Double) -> Bool {
        guard let until = skippedUntil[node] else { return false }
        return until > now
    }

    /// How many of `nodes` are not skipped now.
    func usableCount(_ nodes: [Node], now: Double) -> Int {
        nodes.filter { !isSkipped($0, now: now) }.count
    }

    /// Whether a node listed before `current` is known to be usable: it never failed, or it
    /// answered since it last did (a node whose skip merely ran out is not known yet). A
    /// connection on `current` is then better replaced: connections drift back to the preferred
    /// node once it is back, instead of staying on the fallback for good.
    func hasBetterNode(than current: Node, in nodes: [Node]) -> Bool {
        for node in nodes {
            if node == current { return false }
            if skippedUntil[node] == nil { return true }
        }
        return false
    }

    /// The node failed: skip it until `now + skipSeconds`.
    mutating func markFailed(_ node: Node, now: Double) {
        skippedUntil[node] = now + skipSeconds
    }

    /// The node answered and is usable: try it in its place again.
    mutating func markUsable(_ node: Node) {
        skippedUntil[node] = nil
    }
}
