import Foundation

/// Whether a retryable lease may still be run again, shared with the leases nested in it on the
/// same thread: a lease of another pool that commits inside it (the data account's DDL during
/// a request, say) or `MariaDBPool.noteSideEffect()` makes it unrepeatable, since running it
/// again would do that twice.
final class RetryLedger {
    var isRepeatable = true

    /// The retryable leases open on this thread, innermost last.
    private final class Stack {
        var ledgers: [RetryLedger] = []
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let created = pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            Unmanaged<AnyObject>.fromOpaque(pointer).release()
        }
        precondition(created == 0, "pthread_key_create failed: \(created)")
        return key
    }()

    private static func stack(creating: Bool) -> Stack? {
        if let pointer = pthread_getspecific(key) {
            return Unmanaged<Stack>.fromOpaque(pointer).takeUnretainedValue()
        }
        guard creating else { return nil }
        let stack = Stack()
        pthread_setspecific(key, Unmanaged.passRetained(stack).toOpaque())
        return stack
    }

    static func push(_ ledger: RetryLedger) {
        stack(creating: true)!.ledgers.append(ledger)
    }

    static func pop(_ ledger: RetryLedger) {
        guard let stack = stack(creating: false), let index = stack.ledgers.lastIndex(where: { $0 === ledger }) else { return }
        stack.ledgers.remove(at: index)
    }

    /// Whether a retryable lease is open on this thread: only then is it worth judging what a
    /// statement may commit (`MariaDBConnection.tracking`), since nothing else reads it.
    static var isActive: Bool {
        stack(creating: false).map { !$0.ledgers.isEmpty } ?? false
    }

    /// Makes every open retryable lease on this thread unrepeatable.
    static func markAllUnrepeatable() {
        guard let stack = stack(creating: false) else { return }
        for ledger in stack.ledgers { ledger.isRepeatable = false }
    }
}
