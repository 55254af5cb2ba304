/// A growable run of plain values in manually managed memory, for the readers' per-record scratch
/// space: kept in a local variable while scanning, an append is a plain store with none of the
/// uniqueness or exclusivity checks an `Array` in a class property would pay per byte.
///
/// It does not own its memory: whoever keeps it calls `deallocate()` once, on the latest copy.
struct GrowableBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        self.base = .allocate(capacity: self.capacity)
    }

    func deallocate() { base.deallocate() }

    subscript(index: Int) -> Element { base[index] }

    /// Empties the buffer, keeping its memory for the next record.
    mutating func removeAll() { count = 0 }

    mutating func removeLast() {
        precondition(count > 0, "removeLast() on an empty buffer")
        count -= 1
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow(toAtLeast: count + 1) }
        base[count] = element
        count += 1
    }

    @inline(__always)
    mutating func append(contentsOf elements: UnsafePointer<Element>, count added: Int) {
        if count + added > capacity { grow(toAtLeast: count + added) }
        (base + count).update(from: elements, count: added)
        count += added
    }

    @inline(never)
    private mutating func grow(toAtLeast minimum: Int) {
        let newCapacity = max(minimum, capacity * 2)
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
