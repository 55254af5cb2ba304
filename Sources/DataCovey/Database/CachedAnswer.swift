import Foundation

/// An answer that is costly to get (a probe of every database node) and may be a second old:
/// at most one thread computes it at a time, the others take the last answer meanwhile.
final class CachedAnswer<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?
    private var computedAt = 0.0
    private var isComputing = false

    func answer(maxAge: Double, _ compute: () -> Value) -> Value {
        let now = ProcessInfo.processInfo.systemUptime
        lock.lock()
        if let value, isComputing || now - computedAt < maxAge {
            lock.unlock()
            return value
        }
        isComputing = true
        lock.unlock()
        let fresh = compute()
        lock.withLock {
            value = fresh
            computedAt = ProcessInfo.processInfo.systemUptime
            isComputing = false
        }
        return fresh
    }
}
