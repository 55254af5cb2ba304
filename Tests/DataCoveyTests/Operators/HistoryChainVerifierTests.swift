import XCTest
@testable import DataCovey

/// `HistoryChain.verify` on made-up links (the hashes here are labels: the database computes
/// the real ones, and `computed` is what it found for the row).
final class HistoryChainVerifierTests: XCTestCase {
    private func link(_ seq: UInt64, prev: String, hash: String, computed: String? = nil, id: Int64? = nil) -> HistoryChain.Link {
        HistoryChain.Link(table: "project_history", historyID: id ?? Int64(seq) * 10, seq: seq, prev: prev, hash: hash,
                          computed: computed ?? hash)
    }

    private let g = HistoryChain.genesis

    func testAWholeChainHoldsAndEveryKindOfBreakIsNamed() {
        let chain = [link(1, prev: g, hash: "a"), link(2, prev: "a", hash: "b"), link(3, prev: "b", hash: "c")]
        let head = HistoryChain.Head(seq: 3, hash: "c", checkpoint: nil)
        let whole = HistoryChain.verify(tenantID: 7, links: chain, head: head)
        XCTAssertTrue(whole.isValid)
        XCTAssertEqual(whole.entries, 3)
        XCTAssertEqual(whole.head, "c")

        var edited = chain
        edited[1] = link(2, prev: "a", hash: "b", computed: "b2")
        XCTAssertEqual(HistoryChain.verify(tenantID: 7, links: edited, head: head).firstBreak,
                       .init(table: "project_history", historyID: 20, seq: 2, expected: "b2", stored: "b",
                             reason: "the row does not hash to its stored hash (the row was changed)"))

        // Rehashed after the edit: the next link no longer follows it.
        var rehashed = chain
        rehashed[1] = link(2, prev: "a", hash: "b2")
        XCTAssertEqual(HistoryChain.verify(tenantID: 7, links: rehashed, head: head).firstBreak?.historyID, 30)

        let holey = [chain[0], chain[2]]
        XCTAssertEqual(HistoryChain.verify(tenantID: 7, links: holey, head: head).firstBreak?.reason, "link 2 is missing (deleted)")

        let forked = [chain[0], chain[1], link(2, prev: "a", hash: "x", id: 99), chain[2]]
        XCTAssertEqual(HistoryChain.verify(tenantID: 7, links: forked, head: head).firstBreak?.historyID, 99)

        let cut = Array(chain.prefix(2))
        XCTAssertEqual(HistoryChain.verify(tenantID: 7, links: cut, head: head).firstBreak?.reason,
                       "links 3…3 are missing (the head is at 3)")
        XCTAssertFalse(HistoryChain.verify(tenantID: 7, links: chain, head: nil).isValid, "links without a head")
        XCTAssertTrue(HistoryChain.verify(tenantID: 7, links: [], head: nil).isValid, "no history yet")
    }

    func testAfterAPurgeTheChainStartsAtItsCheckpointAndTheKeptLinksAreCovered() {
        // Links 2 and 4 were purged; 1 and 3 (newest versions of their objects) stayed.
        let kept = [link(1, prev: g, hash: "a"), link(3, prev: "b", hash: "c")]
        let rest = [link(5, prev: "d", hash: "e"), link(6, prev: "e", hash: "f")]
        let checkpoint = HistoryChain.Checkpoint(seq: 4, hash: "d", keptDigest: HistoryChain.keptDigest([(1, "a"), (3, "c")]),
                                                 keptLinks: 2)
        let head = HistoryChain.Head(seq: 6, hash: "f", checkpoint: checkpoint)
        XCTAssertTrue(HistoryChain.verify(tenantID: 7, links: kept + rest, head: head).isValid)
        XCTAssertEqual(HistoryChain.verify(tenantID: 7, links: [kept[0]] + rest, head: head).firstBreak?.seq, 4,
                       "a kept link removed")
        XCTAssertEqual(HistoryChain.verify(tenantID: 7, links: [kept[0], link(3, prev: "b", hash: "c9")] + rest, head: head)
            .firstBreak?.seq, 4, "a kept link rehashed")
        XCTAssertEqual(HistoryChain.verify(tenantID: 7, links: kept + [link(5, prev: "x", hash: "e"), rest[1]], head: head)
            .firstBreak?.reason, "the link does not follow the previous link's hash")
    }
}
