@testable import DataCovey

/// The DomainError `body` throws, or nil when it throws nothing or something else: what the
/// operations tests compare, since the kind is what every edge maps.
func domainRefusal(_ body: () throws -> Any) -> DomainError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error as? DomainError
    }
}
